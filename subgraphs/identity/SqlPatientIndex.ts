import { socialInsuranceNumberOf } from '../../core/identifiers/insuranceNumber';
import { parseNationalId } from '../../core/identifiers/nationalId';
import { blockingKeys } from '../../core/matching/blockingKeys';
import type { MatchField, MatchGender, MatchRecord } from '../../core/matching/MatchRecord';
import { matchRecords, type RecordMatch } from '../../core/matching/matchRecords';
import { IDENTIFIER_SYSTEMS, type AdministrativeGender, type HumanName, type Identifier } from '../../contracts/model/patient';
import { PATIENT_INDEX_SCHEMA } from './patientIndexSchema';
import type { IndexedPatient, PatientIndex, PatientPage } from './PatientIndex';
import type { LinkStatus, PatientLink, PatientMatching, SearchHit } from './PatientMatching';
import type { SqlClient } from './SqlClient';

/** A person as loaded into the index (the golden record, keyed by national ID). */
export interface IndexPerson {
  readonly nationalId: string;
  readonly name: HumanName;
  readonly birthDate: string | null;
  readonly gender: AdministrativeGender;
  readonly insuranceNumber: string | null;
  readonly province?: string | null;
  readonly address?: string | null;
  readonly phone?: string | null;
}

/** A facility's patient record, as a registration feed or `identity load` delivers it. */
export interface PatientRegistration {
  readonly facilityCode: string;
  readonly localId: string;
  readonly record: MatchRecord;
}

export type { LinkStatus, PatientLink } from './PatientMatching';

/** What registering one record did: linked (MATCH), sent to review (POSSIBLE_MATCH) or neither. */
export interface RegistrationOutcome {
  readonly decision: RecordMatch['decision'];
  readonly nationalIds: readonly string[];
}

/** Where a source's registration feed was read up to: its `changedSince` and opaque `after` cursor. */
export interface FeedCheckpoint {
  readonly changedSince: string;
  readonly after: string | null;
}

/** At most this many candidates are compared for one record (a blocking key that large is a data problem). */
export const MAX_CANDIDATES = 500;
const BULK_ROWS = 1000;

/**
 * The persistent patient index (docs/identity.md, docs/architecture.md §7): PostgreSQL, or PGlite
 * embedded. Every read is by key — national ID, blocking key, link — so the size of the index does
 * not change the memory of the identity subgraph. Records are linked by the one matcher
 * (core/matching); a registrar's decision (CONFIRMED / REJECTED) is never overwritten by a later
 * automatic one; every link, unlink and decision is written to identity_link_event.
 */
export class SqlPatientIndex implements PatientIndex, PatientMatching {
  private constructor(private readonly sql: SqlClient) {}

  /** Creates the tables when missing. */
  static async open(sql: SqlClient): Promise<SqlPatientIndex> {
    for (const statement of PATIENT_INDEX_SCHEMA) await sql.query(statement);
    return new SqlPatientIndex(sql);
  }

  async close(): Promise<void> {
    await this.sql.close?.();
  }

  /** Adds or updates people (with their blocking keys), then re-evaluates their automatic demographic links. */
  async upsertPeople(people: readonly IndexPerson[]): Promise<void> {
    for (let start = 0; start < people.length; start += BULK_ROWS) {
      const batch = uniqueBy(people.slice(start, start + BULK_ROWS), (p) => p.nationalId);
      await this.sql.query(
        `INSERT INTO identity_person (national_id, full_name, family, given, birth_date, gender, insurance_number, province, address, phone)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
         ON CONFLICT (national_id) DO UPDATE SET full_name = EXCLUDED.full_name, family = EXCLUDED.family, given = EXCLUDED.given,
           birth_date = EXCLUDED.birth_date, gender = EXCLUDED.gender, insurance_number = EXCLUDED.insurance_number,
           province = EXCLUDED.province, address = EXCLUDED.address, phone = EXCLUDED.phone, updated_at = now()`,
        [
          batch.map((p) => p.nationalId), batch.map((p) => p.name.full), batch.map((p) => p.name.family),
          batch.map((p) => JSON.stringify(p.name.given)), batch.map((p) => p.birthDate), batch.map((p) => p.gender),
          batch.map((p) => p.insuranceNumber), batch.map((p) => p.province ?? null), batch.map((p) => p.address ?? null),
          batch.map((p) => p.phone ?? null),
        ],
      );
      const ids = batch.map((p) => p.nationalId);
      await this.sql.query('DELETE FROM identity_blocking_key WHERE national_id = ANY($1::text[])', [ids]);
      const keys = batch.flatMap((p) => blockingKeys(recordOfPerson(p)).map((key) => [key, p.nationalId] as const));
      await this.sql.query(
        'INSERT INTO identity_blocking_key (key, national_id) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING',
        [keys.map(([key]) => key), keys.map(([, id]) => id)],
      );
      await this.reevaluateLinks(batch);
    }
  }

  /**
   * Matches facility records against the index and links them. A record with a national ID the
   * index knows is linked by it (and one it does not know adds the person); otherwise the
   * candidates sharing a blocking key are scored, MATCH links, POSSIBLE_MATCH goes to review,
   * and two MATCHes for one record both go to review (a wrong chart is worse than a missing one).
   */
  async register(registrations: readonly PatientRegistration[], actor: string): Promise<RegistrationOutcome[]> {
    const outcomes: RegistrationOutcome[] = [];
    for (const registration of registrations) {
      outcomes.push(await this.registerOne(registration, actor));
    }
    return outcomes;
  }

  /**
   * People sharing a blocking key with the record, at most MAX_CANDIDATES: those sharing the most
   * keys first. A common birth year and given name make a block of over a thousand people in a
   * 10-million index (bench/RESULTS.md, identity at 10M); cut arbitrarily, the block loses the right
   * person, who shares the date + family name and sorted-name keys as well.
   */
  async candidates(record: MatchRecord): Promise<(IndexPerson & { readonly record: MatchRecord })[]> {
    const keys = blockingKeys(record);
    if (keys.length === 0) return [];
    const { rows } = await this.sql.query(
      `SELECT p.* FROM identity_person p JOIN (
         SELECT national_id, count(*) AS shared FROM identity_blocking_key WHERE key = ANY($1::text[])
         GROUP BY national_id ORDER BY shared DESC, national_id LIMIT ${MAX_CANDIDATES}) c ON c.national_id = p.national_id
       ORDER BY p.national_id`,
      [keys],
    );
    return rows.map((row) => {
      const person = personOf(row);
      return { ...person, record: recordOfPerson(person) };
    });
  }

  async search(record: MatchRecord, first: number): Promise<SearchHit[]> {
    const scored = (await this.candidates(record))
      .map((candidate) => ({ candidate, match: matchRecords(candidate.record, record) }))
      .filter(({ match }) => match.decision !== 'NO_MATCH')
      .sort((x, y) => y.match.score - x.match.score || (x.candidate.nationalId < y.candidate.nationalId ? -1 : 1))
      .slice(0, first);
    const links = await this.effectiveLinks(scored.map(({ candidate }) => candidate.nationalId));
    return scored.map(({ candidate, match }) => ({ patient: this.toIndexedPatient(candidate, links), match }));
  }

  async get(nationalId: string): Promise<IndexedPatient | undefined> {
    const { rows } = await this.sql.query('SELECT * FROM identity_person WHERE national_id = $1', [nationalId]);
    const row = rows[0];
    if (row === undefined) return undefined;
    return this.toIndexedPatient(personOf(row), await this.effectiveLinks([nationalId]));
  }

  async page(first: number, afterNationalId: string | null): Promise<PatientPage> {
    const { rows } = await this.sql.query(
      'SELECT * FROM identity_person WHERE national_id > $1 ORDER BY national_id LIMIT $2',
      [afterNationalId ?? '', first + 1],
    );
    const people = rows.slice(0, first).map(personOf);
    const links = await this.effectiveLinks(people.map((p) => p.nationalId));
    return { patients: people.map((p) => this.toIndexedPatient(p, links)), hasNextPage: rows.length > first };
  }

  /** Exact, so it scans: asked only when a client selects `totalCount` (PatientIndex.count). */
  async count(): Promise<number> {
    const { rows } = await this.sql.query('SELECT count(*)::int AS n FROM identity_person');
    return Number(rows[0]?.n ?? 0);
  }

  /** Every link of a person, reviewed or not, newest decision first. */
  async linksOf(nationalId: string): Promise<PatientLink[]> {
    const { rows } = await this.sql.query('SELECT * FROM identity_link WHERE national_id = $1 ORDER BY decided_at DESC, id DESC', [nationalId]);
    return rows.map(linkOf);
  }

  /** POSSIBLE_MATCH links no registrar has decided yet, oldest first, after the link id `after`. */
  async pendingReviews(first: number, after: string | null): Promise<PatientLink[]> {
    const { rows } = await this.sql.query(
      `SELECT * FROM identity_link WHERE decision = 'POSSIBLE_MATCH' AND status = 'AUTOMATIC' AND id > $1 ORDER BY id LIMIT $2`,
      [after ?? '0', first],
    );
    return rows.map(linkOf);
  }

  /** A registrar confirms or rejects a link; the decision is kept over any later automatic one. */
  async resolve(linkId: string, accept: boolean, actor: string): Promise<PatientLink | undefined> {
    if (!/^\d{1,18}$/.test(linkId)) return undefined;
    const { rows } = await this.sql.query(
      `WITH up AS (
         UPDATE identity_link SET status = $2, decided_by = $3, decided_at = now() WHERE id = $1::bigint
         RETURNING *),
       ev AS (INSERT INTO identity_link_event (link_id, national_id, facility_code, action, actor)
         SELECT id, national_id, facility_code, $4, $3 FROM up)
       SELECT * FROM up`,
      [linkId, accept ? 'CONFIRMED' : 'REJECTED', actor, accept ? 'confirm' : 'reject'],
    );
    return rows[0] === undefined ? undefined : linkOf(rows[0]);
  }

  async possibleMatchFacilities(nationalIds: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>> {
    const byPerson = new Map<string, string[]>(nationalIds.map((id) => [id, []]));
    if (nationalIds.length === 0) return byPerson;
    // Possible links a registrar has not decided; a facility that also holds a MATCH for the person
    // is in the record locator already and is left out here.
    const { rows } = await this.sql.query(
      `SELECT DISTINCT l.national_id, l.facility_code FROM identity_link l
        WHERE l.national_id = ANY($1::text[]) AND l.decision = 'POSSIBLE_MATCH' AND l.status = 'AUTOMATIC'
          AND NOT EXISTS (SELECT 1 FROM identity_link m WHERE m.national_id = l.national_id AND m.facility_code = l.facility_code
            AND ((m.decision = 'MATCH' AND m.status = 'AUTOMATIC') OR m.status = 'CONFIRMED'))
        ORDER BY l.facility_code`,
      [nationalIds],
    );
    for (const row of rows) byPerson.get(String(row.national_id))?.push(String(row.facility_code));
    return byPerson;
  }

  /** Where the registration feed of a source was last read; null before the first sync. */
  async feedCheckpoint(facilityCode: string): Promise<FeedCheckpoint | null> {
    const { rows } = await this.sql.query('SELECT changed_since, after_cursor FROM identity_feed_checkpoint WHERE facility_code = $1', [facilityCode]);
    const row = rows[0];
    return row === undefined ? null : { changedSince: String(row.changed_since), after: nullableText(row.after_cursor) };
  }

  async saveFeedCheckpoint(facilityCode: string, checkpoint: FeedCheckpoint): Promise<void> {
    await this.sql.query(
      `INSERT INTO identity_feed_checkpoint (facility_code, changed_since, after_cursor) VALUES ($1, $2, $3)
       ON CONFLICT (facility_code) DO UPDATE SET changed_since = EXCLUDED.changed_since, after_cursor = EXCLUDED.after_cursor, synced_at = now()`,
      [facilityCode, checkpoint.changedSince, checkpoint.after],
    );
  }

  /** The audit trail of link decisions about a person. */
  async linkEvents(nationalId: string): Promise<{ linkId: string; action: string; actor: string; facilityCode: string }[]> {
    const { rows } = await this.sql.query('SELECT * FROM identity_link_event WHERE national_id = $1 ORDER BY id', [nationalId]);
    return rows.map((r) => ({ linkId: String(r.link_id), action: String(r.action), actor: String(r.actor), facilityCode: String(r.facility_code) }));
  }

  private async registerOne(registration: PatientRegistration, actor: string): Promise<RegistrationOutcome> {
    const { record } = registration;
    const nationalId = record.nationalId?.trim();
    if (nationalId && parseNationalId(nationalId).kind === 'valid') {
      await this.sql.query(
        `INSERT INTO identity_person (national_id, full_name, family, given, birth_date, gender, insurance_number, province, address, phone)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (national_id) DO NOTHING`,
        personParams(personOfRecord(nationalId, record)),
      );
      await this.sql.query(
        'INSERT INTO identity_blocking_key (key, national_id) SELECT unnest($1::text[]), $2 ON CONFLICT DO NOTHING',
        [blockingKeys(record), nationalId],
      );
      const match: RecordMatch = { decision: 'MATCH', method: 'NATIONAL_ID', confidence: 1, score: 0, agreed: ['nationalId'], disagreed: [] };
      await this.writeLinks(registration, [[nationalId, match]], actor);
      return { decision: 'MATCH', nationalIds: [nationalId] };
    }
    const scored = (await this.candidates(record))
      .map((candidate) => [candidate.nationalId, matchRecords(candidate.record, record)] as const)
      .filter(([, match]) => match.decision !== 'NO_MATCH');
    const matches = scored.filter(([, match]) => match.decision === 'MATCH').length;
    const decided = scored.map(([id, match]): [string, RecordMatch] =>
      [id, matches > 1 && match.decision === 'MATCH' ? { ...match, decision: 'POSSIBLE_MATCH' } : match]);
    await this.writeLinks(registration, decided, actor);
    const decision = decided.some(([, m]) => m.decision === 'MATCH') ? 'MATCH' : decided.length > 0 ? 'POSSIBLE_MATCH' : 'NO_MATCH';
    return { decision, nationalIds: decided.map(([id]) => id) };
  }

  /** Writes the automatic links of one record (manual decisions untouched) and drops its stale automatic ones. */
  private async writeLinks(registration: PatientRegistration, links: readonly (readonly [string, RecordMatch])[], actor: string): Promise<void> {
    const record = JSON.stringify(registration.record);
    for (const [nationalId, match] of links) {
      await this.sql.query(
        `WITH up AS (
           INSERT INTO identity_link (national_id, facility_code, local_id, record, method, decision, confidence, agreed, status, decided_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'AUTOMATIC', $9)
           ON CONFLICT (facility_code, local_id, national_id) DO UPDATE SET record = EXCLUDED.record, method = EXCLUDED.method,
             decision = EXCLUDED.decision, confidence = EXCLUDED.confidence, agreed = EXCLUDED.agreed,
             decided_by = EXCLUDED.decided_by, decided_at = now()
           WHERE identity_link.status = 'AUTOMATIC'
           RETURNING id, national_id, facility_code)
         INSERT INTO identity_link_event (link_id, national_id, facility_code, action, actor)
         SELECT id, national_id, facility_code, 'link', $9 FROM up`,
        [nationalId, registration.facilityCode, registration.localId, record, match.method, match.decision, match.confidence, JSON.stringify(match.agreed), actor],
      );
    }
    await this.sql.query(
      `WITH gone AS (
         DELETE FROM identity_link WHERE facility_code = $1 AND local_id = $2 AND status = 'AUTOMATIC' AND NOT (national_id = ANY($3::text[]))
         RETURNING id, national_id, facility_code)
       INSERT INTO identity_link_event (link_id, national_id, facility_code, action, actor)
       SELECT id, national_id, facility_code, 'unlink', $4 FROM gone`,
      [registration.facilityCode, registration.localId, links.map(([id]) => id), actor],
    );
  }

  /** A person's demographics changed: score their automatic demographic links again. */
  private async reevaluateLinks(people: readonly IndexPerson[]): Promise<void> {
    const { rows } = await this.sql.query(
      `SELECT * FROM identity_link WHERE national_id = ANY($1::text[]) AND status = 'AUTOMATIC' AND method = 'DEMOGRAPHICS'`,
      [people.map((p) => p.nationalId)],
    );
    const byId = new Map(people.map((p) => [p.nationalId, p]));
    for (const row of rows) {
      const person = byId.get(String(row.national_id));
      if (person === undefined) continue;
      const record = JSON.parse(String(row.record)) as MatchRecord;
      const match = matchRecords(recordOfPerson(person), record);
      const registration = { facilityCode: String(row.facility_code), localId: String(row.local_id), record };
      const others = await this.sql.query(
        `SELECT national_id FROM identity_link WHERE facility_code = $1 AND local_id = $2 AND national_id <> $3 AND status = 'AUTOMATIC'`,
        [registration.facilityCode, registration.localId, person.nationalId],
      );
      const kept = others.rows.map((r) => String(r.national_id));
      if (match.decision === 'NO_MATCH') {
        await this.writeLinksKeeping(registration, kept, 'index:reevaluate');
      } else {
        await this.writeLinks(registration, [[person.nationalId, match]], 'index:reevaluate');
      }
    }
  }

  /** Drops the automatic links of a record except to `kept` people (their rows stay as they are). */
  private async writeLinksKeeping(registration: PatientRegistration, kept: readonly string[], actor: string): Promise<void> {
    await this.sql.query(
      `WITH gone AS (
         DELETE FROM identity_link WHERE facility_code = $1 AND local_id = $2 AND status = 'AUTOMATIC' AND NOT (national_id = ANY($3::text[]))
         RETURNING id, national_id, facility_code)
       INSERT INTO identity_link_event (link_id, national_id, facility_code, action, actor)
       SELECT id, national_id, facility_code, 'unlink', $4 FROM gone`,
      [registration.facilityCode, registration.localId, kept, actor],
    );
  }

  /** Links that count: automatic MATCHes and confirmed ones (never rejected, never unreviewed possibles). */
  private async effectiveLinks(nationalIds: readonly string[]): Promise<Map<string, PatientLink[]>> {
    const byPerson = new Map<string, PatientLink[]>();
    if (nationalIds.length === 0) return byPerson;
    const { rows } = await this.sql.query(
      `SELECT * FROM identity_link WHERE national_id = ANY($1::text[])
         AND ((decision = 'MATCH' AND status = 'AUTOMATIC') OR status = 'CONFIRMED') ORDER BY facility_code, local_id`,
      [nationalIds],
    );
    for (const link of rows.map(linkOf)) {
      const list = byPerson.get(link.nationalId) ?? [];
      list.push(link);
      byPerson.set(link.nationalId, list);
    }
    return byPerson;
  }

  private toIndexedPatient(person: IndexPerson, links: ReadonlyMap<string, readonly PatientLink[]>): IndexedPatient {
    const own = links.get(person.nationalId) ?? [];
    const identifiers: Identifier[] = [{ type: 'NATIONAL_ID', system: IDENTIFIER_SYSTEMS.NATIONAL_ID, value: person.nationalId, assigner: null }];
    if (person.insuranceNumber) {
      identifiers.push({ type: 'INSURANCE_CARD', system: IDENTIFIER_SYSTEMS.INSURANCE_CARD, value: person.insuranceNumber, assigner: null });
      const bhxh = socialInsuranceNumberOf(person.insuranceNumber);
      if (bhxh) identifiers.push({ type: 'SOCIAL_INSURANCE_NUMBER', system: IDENTIFIER_SYSTEMS.SOCIAL_INSURANCE_NUMBER, value: bhxh, assigner: null });
    }
    for (const link of own) {
      identifiers.push({ type: 'MEDICAL_RECORD_NUMBER', system: `${IDENTIFIER_SYSTEMS.MEDICAL_RECORD_NUMBER}:${link.facilityCode}`, value: link.localId, assigner: link.facilityCode });
    }
    return {
      nationalId: person.nationalId,
      name: person.name,
      birthDate: person.birthDate,
      gender: person.gender,
      insuranceNumber: person.insuranceNumber,
      identifiers,
      linkedFacilityCodes: [...new Set(own.map((l) => l.facilityCode))].sort(),
    };
  }
}

/** The matcher's view of an indexed person (the national ID left out: candidates are scored on demographics). */
export function recordOfPerson(person: IndexPerson): MatchRecord {
  return {
    fullName: person.name.full,
    birthDate: person.birthDate,
    gender: person.gender.toLowerCase() as MatchGender,
    insuranceNumber: person.insuranceNumber,
    province: person.province ?? null,
    address: person.address ?? null,
    phone: person.phone ?? null,
  };
}

/** A new person from a registration that carries a national ID: family name first, the rest given. */
export function personOfRecord(nationalId: string, record: MatchRecord): IndexPerson {
  const words = record.fullName.normalize('NFC').trim().split(/\s+/);
  const birthDate = record.birthDate && /^\d{4}-\d{2}-\d{2}$/.test(record.birthDate) ? record.birthDate : null;
  return {
    nationalId,
    name: { full: words.join(' '), family: words[0] ?? null, given: words.slice(1) },
    birthDate,
    gender: (record.gender ?? 'unknown').toUpperCase() as AdministrativeGender,
    insuranceNumber: record.insuranceNumber ?? null,
    province: record.province ?? null,
    address: record.address ?? null,
    phone: record.phone ?? null,
  };
}

function personParams(p: IndexPerson): unknown[] {
  return [p.nationalId, p.name.full, p.name.family, JSON.stringify(p.name.given), p.birthDate, p.gender, p.insuranceNumber, p.province ?? null, p.address ?? null, p.phone ?? null];
}

function personOf(row: Record<string, unknown>): IndexPerson {
  return {
    nationalId: String(row.national_id),
    name: { full: String(row.full_name), family: nullableText(row.family), given: JSON.parse(String(row.given)) as string[] },
    birthDate: nullableText(row.birth_date),
    gender: String(row.gender) as AdministrativeGender,
    insuranceNumber: nullableText(row.insurance_number),
    province: nullableText(row.province),
    address: nullableText(row.address),
    phone: nullableText(row.phone),
  };
}

function linkOf(row: Record<string, unknown>): PatientLink {
  const decidedAt = row.decided_at instanceof Date ? row.decided_at.toISOString() : String(row.decided_at);
  return {
    id: String(row.id),
    nationalId: String(row.national_id),
    facilityCode: String(row.facility_code),
    localId: String(row.local_id),
    method: String(row.method) as PatientLink['method'],
    decision: String(row.decision) as PatientLink['decision'],
    confidence: Number(row.confidence),
    agreed: JSON.parse(String(row.agreed)) as MatchField[],
    status: String(row.status) as LinkStatus,
    decidedBy: String(row.decided_by),
    decidedAt,
  };
}

function nullableText(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [key(item), item])).values()];
}
