import type { Client } from 'pg';
import { nameWords } from '../../core/matching/compareNames';
import { foldWord } from '../../core/matching/foldDiacritics';
import { FAMILY_NAMES, GIVEN_NAMES_FEMALE, GIVEN_NAMES_MALE, MIDDLE_NAMES_FEMALE, MIDDLE_NAMES_MALE } from '../../demo/population/vietnameseNames';

/** The province codes the synthetic people live in (the same as the benchmark's Node generator). */
const PROVINCES = ['01', '79', '48', '92', '31', '46', '38', '40'];

/** A weighted list as a plain array with each entry repeated by its weight (×10), so a uniform pick follows the weights. */
function expand(entries: readonly (readonly [string, number])[]): string[] {
  return entries.flatMap(([value, weight]) => Array.from({ length: Math.max(1, Math.round(weight * 10)) }, () => value));
}

/** The words of a name part without diacritics, as core/matching/blockingKeys.ts folds them. */
function folded(part: string): string {
  return nameWords(part).map((w) => foldWord(w).base).join(' ');
}

/**
 * Fills an empty patient index (tables made by SqlPatientIndex.open) with `people` synthetic people
 * inside PostgreSQL: one INSERT … SELECT FROM generate_series for the people and one for their
 * blocking keys, with the blocking-key table's primary key, index and foreign key dropped during the
 * load and rebuilt after (one sort instead of 30 million B-tree inserts). Names are drawn from the
 * demo name lists with their weights; the keys are those SqlPatientIndex.upsertPeople writes
 * (blockingKeys() of the person's record: `yg:`, `yn:`, `dfm:`; no national ID key, as there, and
 * these people have no insurance number or phone), the name words folded
 * in Node beforehand, sorted in SQL byte-wise (COLLATE "C", as JavaScript sorts these ASCII words).
 * The caller checks a sample against blockingKeys() itself (checkSqlBlockingKeys).
 */
export async function fillPatientIndexInSql(client: Client, people: number, seed: number): Promise<void> {
  const family = expand(FAMILY_NAMES);
  const middleF = expand(MIDDLE_NAMES_FEMALE);
  const middleM = expand(MIDDLE_NAMES_MALE);
  await client.query('SET maintenance_work_mem = \'512MB\'');
  await client.query('SET synchronous_commit = off');
  await client.query('SELECT setseed($1)', [seed]);
  await client.query('ALTER TABLE identity_blocking_key DROP CONSTRAINT identity_blocking_key_pkey, DROP CONSTRAINT identity_blocking_key_national_id_fkey');
  await client.query('DROP INDEX identity_blocking_key_person');
  // The draws: indexes into the name arrays, sex, date and province, kept for the keys below.
  await client.query(
    `CREATE UNLOGGED TABLE bench_draw AS
     SELECT i, female,
       1 + floor(random() * cardinality($1::text[]))::int AS f,
       1 + floor(random() * CASE WHEN female THEN cardinality($2::text[]) ELSE cardinality($3::text[]) END)::int AS m,
       1 + floor(random() * CASE WHEN female THEN cardinality($4::text[]) ELSE cardinality($5::text[]) END)::int AS g,
       1930 + floor(random() * 96)::int AS y, 1 + floor(random() * 12)::int AS mo, 1 + floor(random() * 28)::int AS d,
       1 + floor(random() * ${PROVINCES.length})::int AS p
     FROM (SELECT i, random() < 0.5 AS female FROM generate_series(0, $6::int - 1) AS i) AS s`,
    [family, middleF, middleM, GIVEN_NAMES_FEMALE, GIVEN_NAMES_MALE, people],
  );
  const names = (list: readonly string[]): string[][] => [list.map((x) => x), list.map(folded)];
  const [fam, famF] = names(family);
  const [mf, mfF] = names(middleF);
  const [mm, mmF] = names(middleM);
  const [gf, gfF] = names(GIVEN_NAMES_FEMALE);
  const [gm, gmF] = names(GIVEN_NAMES_MALE);
  const parts = `SELECT i, female, y, mo, d, p,
       ($1::text[])[f] AS fam, CASE WHEN female THEN ($2::text[])[m] ELSE ($3::text[])[m] END AS mid,
       CASE WHEN female THEN ($4::text[])[g] ELSE ($5::text[])[g] END AS giv
     FROM bench_draw`;
  await client.query(
    `INSERT INTO identity_person (national_id, full_name, family, given, birth_date, gender, insurance_number, province)
     SELECT (100000000000 + i)::text, fam || ' ' || mid || ' ' || giv, fam, json_build_array(mid, giv)::text,
       format('%s-%s-%s', y, lpad(mo::text, 2, '0'), lpad(d::text, 2, '0')), CASE WHEN female THEN 'FEMALE' ELSE 'MALE' END,
       NULL, ($6::text[])[p]
     FROM (${parts}) AS person`,
    [fam, mf, mm, gf, gm, PROVINCES],
  );
  await client.query(
    `INSERT INTO identity_blocking_key (key, national_id)
     SELECT k.key, (100000000000 + i)::text
     FROM (${parts}) AS person,
       LATERAL (SELECT string_to_array(fam || ' ' || mid || ' ' || giv, ' ') AS words) AS w,
       LATERAL (VALUES
         ('yg:' || y || '|' || words[cardinality(words)]),
         ('yn:' || y || '|' || array_to_string(ARRAY(SELECT x FROM unnest(words) AS x ORDER BY x COLLATE "C"), ' ')),
         ('dfm:' || y || lpad(mo::text, 2, '0') || lpad(d::text, 2, '0') || '|' || words[1])
       ) AS k(key)`,
    [famF, mfF, mmF, gfF, gmF],
  );
  await client.query('DROP TABLE bench_draw');
  await client.query('ALTER TABLE identity_blocking_key ADD PRIMARY KEY (key, national_id)');
  await client.query('CREATE INDEX identity_blocking_key_person ON identity_blocking_key (national_id)');
  // NOT VALID: every key row above was written for a person inserted just before; rows added later are checked.
  await client.query(
    'ALTER TABLE identity_blocking_key ADD CONSTRAINT identity_blocking_key_national_id_fkey FOREIGN KEY (national_id) REFERENCES identity_person (national_id) ON DELETE CASCADE NOT VALID',
  );
  await client.query('ANALYZE identity_person');
  await client.query('ANALYZE identity_blocking_key');
}
