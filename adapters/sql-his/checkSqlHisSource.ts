import { sql } from 'kysely';
import { CLINICAL_RESOURCE_KINDS, type ClinicalResourceKind } from '../../contracts/model/clinical';
import type { ValueProblem } from '../sdk/valueProblems';
import { diagnosisColumns, kindColumns, patientColumns } from './mappingColumns';
import { HIS_ROW_KEYS, type HisRow } from './hisRowValues';
import type { SqlHisConnection } from './SqlHisConnection';
import type { SqlHisMapping, TableSource } from './SqlHisMapping';
import { SqlHisQueries, type HisQuery } from './SqlHisQueries';
import { toAllergy, toCondition, toEncounter, toMedication, toObservation, toProcedure } from './toClinicalResource';
import { toSourcePatient } from './toSourcePatient';
import { declaredCodeMaps, uncoveredCodes, type DeclaredCodeMap, type UncoveredCodes } from './uncoveredCodes';

/** One thing wrong between a mapping and the database it describes. */
export interface SourceCheckProblem {
  /** The config key to fix: `mapping.observations[0]`, `mapping.encounters.start`, or `adapter.url` when the database cannot be reached. */
  readonly key: string;
  readonly message: string;
}

export interface SourceCheckOptions {
  /** Rows read per table to check that values fit their declared formats. */
  readonly sampleRows: number;
}

/**
 * What `source serve --check` does for a sql-his source (docs/architecture.md §4): on a read-only
 * connection, checks that every table and column of the mapping exists (one `SELECT … WHERE 1 = 0`
 * per column, so the database resolves names exactly as the adapter's statements will), that
 * every table's joins and `where` filters compile and run (its real statement, on a sample), and
 * that the sampled values fit their declared date formats and hold no enumeration or code-system
 * code the mapping leaves uncovered (uncoveredCodes.ts). Returns every problem, each naming its
 * mapping key; an empty list means the mapping fits. Reads at most `sampleRows` rows per table.
 */
export async function checkSqlHisSource(connection: SqlHisConnection, mapping: SqlHisMapping, options: SourceCheckOptions): Promise<SourceCheckProblem[]> {
  const queries = new SqlHisQueries(connection.db, connection.dialect, mapping);
  const problems: SourceCheckProblem[] = [];
  const connected = await failureOf({ execute: () => sql`select 1`.execute(connection.db).then(() => []), compile: () => sql`select 1`.compile(connection.db) });
  if (connected !== null) return [{ key: 'adapter.url', message: `the database cannot be reached: ${connected}` }];
  const key = (source: TableSource): string => mappingKey(source.key) || 'mapping.patients';

  const tableFits = async (source: TableSource, columns: readonly string[]): Promise<boolean> => {
    const base = await failureOf(queries.probe({ ...source, joins: [], where: [] }, null));
    if (base !== null) {
      problems.push({ key: `${key(source)}.table`, message: `table ${source.table} cannot be read: ${base}` });
      return false;
    }
    for (const join of source.joins) {
      const failure = await failureOf(queries.probe({ ...source, joins: source.joins.slice(0, source.joins.indexOf(join) + 1), where: [] }, null));
      if (failure !== null) {
        problems.push({ key: `${key(source)}.joins.${join.alias}`, message: `join to ${join.table} does not compile: ${failure}` });
        return false;
      }
    }
    let fits = true;
    for (const filter of source.where) {
      const failure = await failureOf(queries.probeFilter({ ...source, where: [] }, filter));
      if (failure !== null) {
        fits = false;
        problems.push({ key: mappingKey(filter.key), message: `filter does not compile: ${failure}` });
      }
    }
    for (const column of columns) {
      const failure = await failureOf(queries.probe({ ...source, where: [] }, column));
      if (failure !== null) {
        fits = false;
        problems.push({ key: key(source), message: `column ${column} does not exist (${failure})` });
      }
    }
    return fits;
  };

  const sampleFits = async (source: TableSource, query: HisQuery, decode: (row: HisRow, problems: ValueProblem[]) => unknown, codeMaps: readonly DeclaredCodeMap[]): Promise<void> => {
    let rows: HisRow[];
    try {
      rows = await query.execute();
    } catch (error) {
      problems.push({ key: `${key(source)}.where`, message: `the table's statement (joins, where, patient key) fails: ${messageOf(error)}` });
      return;
    }
    const found: ValueProblem[] = [];
    const ids = new Set<string>();
    let repeated = 0;
    for (const row of rows) {
      const decoded = decode(row, found);
      const id = decoded !== null && typeof decoded === 'object' && 'id' in decoded ? `${String(row[HIS_ROW_KEYS.patient])}\u0000${String(decoded.id)}` : null;
      if (id !== null && ids.has(id)) repeated += 1;
      if (id !== null) ids.add(id);
    }
    if (repeated > 0) {
      problems.push({ key: `${key(source)}.joins`, message: `${repeated} of ${rows.length} sampled rows repeat an id: a join matches several rows (each join must match at most one)` });
    }
    const byKey = new Map<string, { expected: string; count: number }>();
    for (const problem of found) {
      const entry = byKey.get(problem.mappingKey) ?? { expected: problem.expected, count: 0 };
      entry.count += 1;
      byKey.set(problem.mappingKey, entry);
    }
    for (const [valueKey, { expected, count }] of byKey) {
      problems.push({ key: mappingKey(valueKey), message: `${count} of ${rows.length} sampled values do not fit the format ${expected}` });
    }
    for (const uncovered of uncoveredCodes(rows, codeMaps)) {
      problems.push({ key: mappingKey(uncovered.key), message: uncoveredMessage(uncovered, rows.length) });
    }
  };

  const patients = mapping.patients;
  if (await tableFits(patients, patientColumns(patients))) {
    await sampleFits(patients, queries.samplePatients(options.sampleRows), (row, found) => toSourcePatient(row, patients, found), declaredCodeMaps(patients));
  }

  for (const kind of CLINICAL_RESOURCE_KINDS) {
    for (const table of mapping[kind] as readonly SqlHisMapping[ClinicalResourceKind][number][]) {
      const { via } = table.patientKey;
      const viaFits = via === null || await viaTableFits(queries, table, problems, key(table));
      const columns = [...kindColumns(kind, table), ...(via === null ? [table.patientKey.column] : [via.foreignKey])];
      if (!(await tableFits(table, columns)) || !viaFits) continue;
      // A diagnoses child table is its own statement: its codes are checked with its sample.
      const codeMaps = declaredCodeMaps(table, new Set(['joins', 'where', ...(isChildTableDiagnoses(table) ? ['diagnoses'] : [])]));
      await sampleFits(table, queries.sample(kind, table, options.sampleRows), (row, found) => decodeKind(kind, row, table, found), codeMaps);
      if (kind === 'encounters') {
        const encounters = table as SqlHisMapping['encounters'][number];
        const diagnoses = encounters.diagnoses;
        if (diagnoses?.kind === 'table' && await tableFits(diagnoses, [...diagnosisColumns(encounters), diagnoses.encounterKey])) {
          const sample = queries.sampleDiagnoses(encounters, options.sampleRows);
          if (sample !== null) await sampleFits(diagnoses, sample, () => null, declaredCodeMaps(diagnoses));
        }
      }
    }
  }
  return problems;
}

async function viaTableFits(queries: SqlHisQueries, table: SqlHisMapping[ClinicalResourceKind][number], problems: SourceCheckProblem[], key: string): Promise<boolean> {
  const via = table.patientKey.via;
  if (via === null) return true;
  // A missing parent table is one problem, not one per column read from it.
  const missing = await failureOf(queries.probeTable(via.table));
  if (missing !== null) {
    problems.push({ key: `${key}.patientKey.via`, message: `table ${via.table} cannot be read: ${missing}` });
    return false;
  }
  let fits = true;
  for (const column of [via.key, table.patientKey.column]) {
    const failure = await failureOf(queries.probeTable(via.table, column));
    if (failure !== null) {
      fits = false;
      problems.push({ key: `${key}.patientKey.via`, message: `${via.table}.${column} cannot be read (${failure})` });
    }
  }
  return fits;
}

function isChildTableDiagnoses(table: object): boolean {
  const diagnoses = (table as { diagnoses?: { kind?: string } | null }).diagnoses;
  return diagnoses?.kind === 'table';
}

/** At most five codes, each cut to 20 characters: enough to fix the mapping, not a dump of the column. */
function uncoveredMessage(uncovered: UncoveredCodes, sampled: number): string {
  const listed = [...uncovered.codes].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([code, count]) => `"${code.slice(0, 20)}" (${count})`);
  const more = uncovered.codes.size > 5 ? ` and ${uncovered.codes.size - 5} more` : '';
  return `${uncovered.rows} of ${sampled} sampled rows hold codes no mapping covers: ${listed.join(', ')}${more}; they are served as ${uncovered.servedAs}`;
}

/** A reader path (`observations[0]`, or `adapter.mapping.observations[0]` inside a hospital config) as `mapping.…`. */
function mappingKey(path: string): string {
  const relative = path.replace(/^.*?\bmapping\./, '');
  return relative === '' ? '' : `mapping.${relative}`;
}

function decodeKind(kind: ClinicalResourceKind, row: HisRow, table: SqlHisMapping[ClinicalResourceKind][number], found: ValueProblem[]): unknown {
  switch (kind) {
    case 'encounters':
      return toEncounter(row, table as SqlHisMapping['encounters'][number], [], found);
    case 'conditions':
      return toCondition(row, table as SqlHisMapping['conditions'][number], found);
    case 'observations':
      return toObservation(row, table as SqlHisMapping['observations'][number], found);
    case 'medications':
      return toMedication(row, table as SqlHisMapping['medications'][number], found);
    case 'procedures':
      return toProcedure(row, table as SqlHisMapping['procedures'][number], found);
    case 'allergies':
      return toAllergy(row, table as SqlHisMapping['allergies'][number], found);
  }
}

/** Null when the statement runs; else the driver's message (names and types, never row values: no row is read). */
async function failureOf(query: HisQuery): Promise<string | null> {
  try {
    await query.execute();
    return null;
  } catch (error) {
    return messageOf(error);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] ?? error.name : String(error);
}
