import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseMatchRecord } from '../../core/matching/parseMatchPair';
import { parsePatientIndexStore } from '../../subgraphs/identity/parsePatientIndexStore';
import type { IndexedPatient } from '../../subgraphs/identity/PatientIndex';
import type { IndexPerson, PatientRegistration, SqlPatientIndex } from '../../subgraphs/identity/SqlPatientIndex';
import { commandLineOptions, UsageError, type CliCommand, type CliIo } from '../CliCommand';
import { EXIT_BAD_LINES } from './identityMatchCommand';
import { auditLogTargetOf, defineAuditLogOptions, describeAuditLogTarget } from './auditLogOptions';

const BATCH = 500;

/**
 * `patient-graph identity load --database <postgres://… | pglite:dir> [--people people.ndjson]
 * [--records registrations.jsonl] [--actor name]`: bulk-loads the persistent patient index.
 * `--people`: the index's own people, one IndexedPatient per line (the export `identity serve`
 * reads). `--records`: a hospital's patient registrations, one `{ "facilityCode", "localId", …R }`
 * per line (R as in `identity match`); each is matched and linked, or sent to review
 * (docs/identity.md). Files are streamed; bad lines are reported by number and skipped (exit 3).
 * The run is one record of the audit log (`--file`/`--redis`/`--postgres`, as `audit verify`):
 * who, which facilities, counts (docs/audit.md).
 */
export const identityLoadCommand: CliCommand = {
  path: ['identity', 'load'],
  summary: 'load people and hospital registrations into the persistent patient index (matched and linked)',
  define(command) {
    command
      .requiredOption('--database <postgres://… | pglite:<dir>>', 'the persistent patient index')
      .option('--people <file>', 'the index’s own people, one IndexedPatient per line')
      .option('--records <file>', 'a hospital’s registrations, one { "facilityCode", "localId", … } per line')
      .option('--actor <name>', 'who loads, recorded on every link (default cli)');
    // The run is one record of the gateway's audit log: who, which facilities, counts.
    defineAuditLogOptions(command);
  },
  async run(input, io) {
    const flags = commandLineOptions(input);
    const positional = input.args;
    if (positional.length > 0) throw new UsageError(`unexpected argument ${positional[0]}`);
    const database = flags.get('database');
    if (typeof database !== 'string') throw new UsageError('--database <postgres://… | pglite:<dir>> is required');
    const store = parsePatientIndexStore(database);
    if (store === undefined) throw new UsageError('--database must be a postgres:// URL or pglite:<directory>');
    const people = flags.get('people');
    const records = flags.get('records');
    if (typeof people !== 'string' && typeof records !== 'string') throw new UsageError('give --people, --records or both');
    const actor = `load:${typeof flags.get('actor') === 'string' ? String(flags.get('actor')) : 'cli'}`;
    const target = await auditLogTargetOf(input);
    const [{ openSqlPatientIndex }, { openAuditLog }, { identityRunEntry }] = await Promise.all([
      import('../../subgraphs/identity/openSqlPatientIndex'),
      import('../../gateway/audit/openAuditLog'),
      import('../../gateway/audit/identityRunEntry'),
    ]);
    // The audit log first: a load that could not be audited does not run (no link made unaudited).
    const audit = await openAuditLog(target, 'append').catch((error: unknown) => error as Error);
    if (audit instanceof Error) {
      io.err(`identity load: the audit log at ${describeAuditLogTarget(target)} cannot be opened (${audit.message}); nothing loaded`);
      return 1;
    }
    let bad = 0;
    try {
      await audit.checkAvailable?.();
      const index = await openSqlPatientIndex(store);
      try {
        if (typeof people === 'string') {
          const result = await loadPeople(index, people, io);
          bad += result.bad;
          io.out(`people: ${result.loaded} loaded`);
        }
        const facilities = new Map<string, FacilityCounts>();
        if (typeof records === 'string') {
          const result = await loadRecords(index, records, actor, io, facilities);
          bad += result.bad;
          io.out(`records: ${result.linked} linked, ${result.review} to review, ${result.unmatched} not matched`);
        }
        const record = await audit.append(identityRunEntry('identity load', actor, [...facilities.entries()].map(([facilityCode, counts]) => ({ facilityCode, ...counts }))));
        io.out(`audited as record #${record.seq}`);
      } finally {
        await index.close();
      }
    } finally {
      await audit.close();
    }
    if (bad > 0) io.err(`${bad} bad line(s) skipped`);
    return bad > 0 ? EXIT_BAD_LINES : 0;
  },
};

async function loadPeople(index: SqlPatientIndex, file: string, io: CliIo): Promise<{ loaded: number; bad: number }> {
  let batch: IndexPerson[] = [];
  let loaded = 0;
  const bad = await eachLine(file, io, async (value) => {
    const person = personOf(value);
    if (typeof person === 'string') return person;
    batch.push(person);
    if (batch.length >= BATCH) {
      await index.upsertPeople(batch);
      loaded += batch.length;
      batch = [];
    }
    return undefined;
  });
  await index.upsertPeople(batch);
  return { loaded: loaded + batch.length, bad };
}

interface FacilityCounts {
  records: number;
  linked: number;
  review: number;
  unmatched: number;
}

async function loadRecords(index: SqlPatientIndex, file: string, actor: string, io: CliIo, facilities: Map<string, FacilityCounts>): Promise<{ linked: number; review: number; unmatched: number; bad: number }> {
  const counts = { linked: 0, review: 0, unmatched: 0 };
  const bad = await eachLine(file, io, async (value) => {
    const registration = registrationOf(value);
    if (typeof registration === 'string') return registration;
    const [outcome] = await index.register([registration], actor);
    const facility = facilities.get(registration.facilityCode) ?? { records: 0, linked: 0, review: 0, unmatched: 0 };
    facilities.set(registration.facilityCode, facility);
    facility.records++;
    if (outcome?.decision === 'MATCH') {
      counts.linked++;
      facility.linked++;
    } else if (outcome?.decision === 'POSSIBLE_MATCH') {
      counts.review++;
      facility.review++;
    } else {
      counts.unmatched++;
      facility.unmatched++;
    }
    return undefined;
  });
  return { ...counts, bad };
}

/** Streams a JSON-lines file; `handle` returns a problem for a bad line. Resolves to the number of bad lines. */
async function eachLine(file: string, io: CliIo, handle: (value: unknown) => Promise<string | undefined>): Promise<number> {
  let lineNumber = 0;
  let bad = 0;
  for await (const line of createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity })) {
    lineNumber++;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    const problem = value === undefined ? 'not valid JSON' : await handle(value);
    if (problem !== undefined) {
      bad++;
      io.err(`${file} line ${lineNumber}: ${problem}; skipped`);
    }
  }
  return bad;
}

function registrationOf(value: unknown): PatientRegistration | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'a line must be a JSON object';
  const { facilityCode, localId } = value as Record<string, unknown>;
  if (typeof facilityCode !== 'string' || !/^\d{5}$/.test(facilityCode)) return '"facilityCode" must be a 5-digit MA_CSKCB';
  if (typeof localId !== 'string' || localId.trim() === '') return '"localId" must be a non-empty string';
  const record = parseMatchRecord(value, 'record', ['facilityCode', 'localId']);
  if (typeof record === 'string') return record;
  return { facilityCode, localId, record };
}

function personOf(value: unknown): IndexPerson | string {
  const p = value as Partial<IndexedPatient> | null;
  if (typeof p !== 'object' || p === null) return 'a line must be a JSON object';
  if (typeof p.nationalId !== 'string' || !/^\d{12}$/.test(p.nationalId)) return '"nationalId" must be 12 digits';
  if (typeof p.name?.full !== 'string' || !Array.isArray(p.name.given)) return '"name" must be { full, family, given }';
  if (!['MALE', 'FEMALE', 'OTHER', 'UNKNOWN'].includes(String(p.gender))) return '"gender" must be MALE, FEMALE, OTHER or UNKNOWN';
  return {
    nationalId: p.nationalId,
    name: { full: p.name.full, family: p.name.family ?? null, given: p.name.given },
    birthDate: typeof p.birthDate === 'string' ? p.birthDate : null,
    gender: p.gender as IndexPerson['gender'],
    insuranceNumber: typeof p.insuranceNumber === 'string' ? p.insuranceNumber : null,
  };
}
