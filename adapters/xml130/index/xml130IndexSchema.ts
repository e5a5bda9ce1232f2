/**
 * Version of the tables below. An index written by another version is dropped and rebuilt from
 * the folder (the files are the record; the index is only a cache of them).
 */
export const XML130_INDEX_SCHEMA_VERSION = '5';

/**
 * The on-disk index (docs/standards.md §XML 130 index). Every row hangs off the file that gave it
 * (`ON DELETE CASCADE`), so a vanished or changed file goes with one DELETE. A changed file's
 * new rows are written under a new `xml130_file` row in state `loading` and become visible in the
 * one transaction that marks it `active`, retires the old copy and recomputes `winner` (the copy
 * of each MA_LK that is used) and the merged patients of the MA_BN it touched.
 * Paths compare byte-wise (COLLATE "C"), as the adapter sorts them.
 */
export const XML130_INDEX_DDL: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS xml130_meta (key text PRIMARY KEY, value text NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS xml130_file (
     id serial PRIMARY KEY,
     path text COLLATE "C" NOT NULL,
     size bigint NOT NULL,
     mtime_ms double precision NOT NULL,
     sha256 text NOT NULL,
     state text NOT NULL CHECK (state IN ('loading', 'active', 'gone')),
     summary jsonb NOT NULL
   )`,
  `CREATE UNIQUE INDEX IF NOT EXISTS xml130_file_active_path ON xml130_file (path) WHERE state = 'active'`,
  `CREATE TABLE IF NOT EXISTS xml130_hoso (
     file_id integer NOT NULL REFERENCES xml130_file (id) ON DELETE CASCADE,
     ordinal integer NOT NULL,
     ma_lk text NOT NULL,
     ma_bn text COLLATE "C" NOT NULL,
     winner boolean NOT NULL DEFAULT false,
     start_at text COLLATE "C" NOT NULL,
     window_date text COLLATE "C" NOT NULL,
     fact_date text COLLATE "C",
     encounter_class text NOT NULL,
     primary_code text,
     primary_display text,
     national_id text,
     insurance_number text,
     bhxh text,
     full_name text,
     birth_date text,
     gender text,
     t_tongchi numeric,
     t_bhtt numeric,
     t_bncct numeric,
     end_date text COLLATE "C",
     PRIMARY KEY (file_id, ordinal)
   )`,
  // Every change of a file recomputes the winner of each MA_LK it holds and the merged patient of
  // each MA_BN, and a patient's resources are read by MA_BN: without these, each of those is a
  // scan of every HOSO, so indexing a folder costs the square of its size and one patient's
  // query grows with the whole index (bench/RESULTS.md, 1,000,000 HOSO).
  `CREATE INDEX IF NOT EXISTS xml130_hoso_ma_lk ON xml130_hoso (ma_lk)`,
  `CREATE INDEX IF NOT EXISTS xml130_hoso_ma_bn ON xml130_hoso (ma_bn)`,
  // The resources apart from the narrow row above (recomputing winners rewrites only narrow rows),
  // as deflated JSON (`hosoPayload.ts`): written once, returned whole, never searched inside, and
  // the volume written is what an embedded store's ingest rate is bound by.
  `CREATE TABLE IF NOT EXISTS xml130_resources (
     file_id integer NOT NULL,
     ordinal integer NOT NULL,
     payload bytea NOT NULL,
     PRIMARY KEY (file_id, ordinal),
     FOREIGN KEY (file_id, ordinal) REFERENCES xml130_hoso (file_id, ordinal) ON DELETE CASCADE
   )`,
  `CREATE TABLE IF NOT EXISTS xml130_diagnosis (
     file_id integer NOT NULL,
     ordinal integer NOT NULL,
     position integer NOT NULL,
     code text NOT NULL,
     norm_code text COLLATE "C" NOT NULL,
     category text,
     chapter text,
     PRIMARY KEY (file_id, ordinal, position),
     FOREIGN KEY (file_id, ordinal) REFERENCES xml130_hoso (file_id, ordinal) ON DELETE CASCADE
   )`,
  `CREATE TABLE IF NOT EXISTS xml130_patient (
     ma_bn text COLLATE "C" PRIMARY KEY,
     national_id text,
     insurance_number text,
     bhxh text,
     full_name text,
     birth_date text,
     gender text
   )`,
  `CREATE INDEX IF NOT EXISTS xml130_patient_national_id ON xml130_patient (national_id)`,
  `CREATE INDEX IF NOT EXISTS xml130_patient_bhxh ON xml130_patient (bhxh)`,
  `CREATE INDEX IF NOT EXISTS xml130_patient_birth_date ON xml130_patient (birth_date)`,
];

export const XML130_INDEX_TABLES = ['xml130_resources', 'xml130_diagnosis', 'xml130_hoso', 'xml130_patient', 'xml130_file', 'xml130_meta'] as const;
