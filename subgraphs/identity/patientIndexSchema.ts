/**
 * Tables of the persistent patient index (PostgreSQL, or PGlite embedded). Links, not copies
 * (docs/identity.md): a person's demographics and identifiers, one row per facility record linked
 * to them (how, score, when, by whom), the blocking keys that find candidates without reading
 * the index whole, and every link decision as an event. Statements are idempotent.
 */
export const PATIENT_INDEX_SCHEMA: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS identity_person (
    national_id text PRIMARY KEY,
    full_name text NOT NULL,
    family text,
    given text NOT NULL,
    birth_date text,
    gender text NOT NULL,
    insurance_number text,
    province text,
    address text,
    phone text,
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE IF NOT EXISTS identity_blocking_key (
    key text NOT NULL,
    national_id text NOT NULL REFERENCES identity_person (national_id) ON DELETE CASCADE,
    PRIMARY KEY (key, national_id)
  )`,
  'CREATE INDEX IF NOT EXISTS identity_blocking_key_person ON identity_blocking_key (national_id)',
  `CREATE TABLE IF NOT EXISTS identity_link (
    id bigserial PRIMARY KEY,
    national_id text NOT NULL REFERENCES identity_person (national_id) ON DELETE CASCADE,
    facility_code text NOT NULL,
    local_id text NOT NULL,
    record text NOT NULL,
    method text NOT NULL,
    decision text NOT NULL,
    confidence double precision NOT NULL,
    agreed text NOT NULL,
    status text NOT NULL,
    decided_by text NOT NULL,
    decided_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (facility_code, local_id, national_id)
  )`,
  'CREATE INDEX IF NOT EXISTS identity_link_person ON identity_link (national_id)',
  'CREATE INDEX IF NOT EXISTS identity_link_review ON identity_link (decision, status, id)',
  `CREATE TABLE IF NOT EXISTS identity_link_event (
    id bigserial PRIMARY KEY,
    link_id bigint NOT NULL,
    national_id text NOT NULL,
    facility_code text NOT NULL,
    action text NOT NULL,
    actor text NOT NULL,
    at timestamptz NOT NULL DEFAULT now()
  )`,
  // Where the registration feed of each source was last read (patient-graph identity sync).
  `CREATE TABLE IF NOT EXISTS identity_feed_checkpoint (
    facility_code text PRIMARY KEY,
    changed_since text NOT NULL,
    after_cursor text,
    synced_at timestamptz NOT NULL DEFAULT now()
  )`,
];
