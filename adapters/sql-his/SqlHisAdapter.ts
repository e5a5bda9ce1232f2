import type { Logger } from '../../core/logging/logger';
import type { ClinicalResourceKind, ClinicalResources, DiagnosisCount, EncounterDiagnosis } from '../../contracts/model/clinical';
import type { AnalyticsFilter, ClinicalAdapter, Facility, PatientLookup, PatientResource, SourcePatient } from '../sdk/ClinicalAdapter';
import { withValueProblems, type ValueProblem } from '../sdk/valueProblems';
import { checkSqlHisSource, type SourceCheckOptions, type SourceCheckProblem } from './checkSqlHisSource';
import { codingOf, enumOf, HIS_ROW_KEYS, numberOf, textOf, type HisRow } from './hisRowValues';
import { CUT_FORMATS, populationGrouping, startFromBucket, type PopulationGrouping } from './populationGrouping';
import type { SqlHisConnection } from './SqlHisConnection';
import type { DateColumn, EncountersMapping, PatientsMapping, SqlHisMapping } from './SqlHisMapping';
import { READMISSION_KEYS, SqlHisQueries, type HisQuery } from './SqlHisQueries';
import { cohortRowOf } from '../sdk/population/cohortRowOf';
import { isInCohort } from '../sdk/population/cohortPageOf';
import type { CohortQuery, CohortSourcePage, PlacedCohortRow } from '../sdk/population/CohortQuery';
import { toAllergy, toCondition, toEncounter, toEncounterDiagnoses, toMedication, toObservation, toProcedure } from './toClinicalResource';
import { toSourcePatient } from './toSourcePatient';
import { decodeHisDateTime, readHisDate } from './hisDateFormats';
import { ageBand } from '../sdk/population/ageBand';
import { PatientGraphError } from '../../core/errors/PatientGraphError';
import type { ChangedPatient, PatientChangeCursor, PatientChangePage } from '../sdk/PatientChanges';
import { toSourceError } from './toSourceError';
import { countPopulation } from '../sdk/population/countPopulation';
import { populationReadWindow } from '../sdk/population/populationReadWindow';
import { asIndexStay, isReadmissionGap } from '../sdk/population/readmittedStays';
import { dayNumber } from '../sdk/population/isoDays';
import { DEFAULT_READMISSION_DAYS } from '../sdk/population/PopulationQuery';
import { encounterFactOf, pseudonymBasisOf } from '../sdk/population/encounterFactOf';
import type { PseudonymBasis } from '../sdk/population/patientPseudonym';
import type { PopulationQuery, PopulationRow } from '../sdk/population/PopulationQuery';
import { noCostsRecorded } from '../sdk/population/noCostsRecorded';

export interface SqlHisAdapterOptions {
  readonly connection: SqlHisConnection;
  readonly mapping: SqlHisMapping;
  readonly facility: Facility;
  readonly logger: Logger;
  /** Reported in SOURCE_TIMEOUT messages (the connection enforces it). */
  readonly statementTimeoutMs: number;
  /**
   * `grouped` (default): population questions are grouped in SQL (populationGrouping.ts) where the
   * mapping allows; `rows`: always read per encounter (the benchmark's baseline, and tests that
   * hold the two equal).
   */
  readonly population?: 'grouped' | 'rows';
}

/** Statements the adapter ran (the batching guarantee of docs/architecture.md §4, measured at the database). */
export interface SqlHisStats {
  readonly statements: number;
  /** Rows the adapter's statements returned (what population grouping saves is measured here). */
  readonly rowsRead: number;
  /** Values (rows × selected columns) those rows held. */
  readonly valuesRead: number;
}

type Loaders = { readonly [K in ClinicalResourceKind]: (patientIds: readonly string[]) => Promise<PatientResource<K>[]> };

/**
 * A hospital's relational HIS database as a clinical source (system `sql-his`): the statements
 * of `SqlHisQueries` run on a read-only connection, rows decoded by the mapping. Batches cost one
 * statement per table, whatever their size (up to `VALUES_PER_STATEMENT`). Database failures
 * leave as SOURCE_TIMEOUT / SOURCE_UNAVAILABLE naming the facility, logged here with the driver's
 * code (never the SQL's values).
 */
export class SqlHisAdapter implements ClinicalAdapter {
  readonly system = 'sql-his';
  private readonly queries: SqlHisQueries;
  private readonly loaders: Loaders;
  private rowsRead = 0;
  private valuesRead = 0;

  constructor(private readonly options: SqlHisAdapterOptions) {
    this.queries = new SqlHisQueries(options.connection.db, options.connection.dialect, options.mapping);
    const m = options.mapping;
    this.loaders = {
      encounters: (ids) => this.loadEncounters(ids),
      conditions: (ids) => this.loadRows('conditions', m.conditions, ids, toCondition),
      observations: (ids) => this.loadRows('observations', m.observations, ids, toObservation),
      medications: (ids) => this.loadRows('medications', m.medications, ids, toMedication),
      procedures: (ids) => this.loadRows('procedures', m.procedures, ids, toProcedure),
      allergies: (ids) => this.loadRows('allergies', m.allergies, ids, toAllergy),
    };
  }

  async findPatients(lookup: PatientLookup): Promise<readonly SourcePatient[]> {
    const rows = await this.run('findPatients', this.queries.findPatients(lookup));
    const problems: ValueProblem[] = [];
    const patients = rows.map((row) => toSourcePatient(row, this.options.mapping.patients, problems)).filter((p): p is SourcePatient => p !== null);
    this.logProblems('patients', problems);
    return patients;
  }

  /**
   * The registration feed from the mapping's `patients.updatedAt` column (docs/identity.md §2):
   * rows changed at or after `since`, after the cursor, in (updatedAt, id) order — paged by the
   * database (keyset and LIMIT, one row more than the page to know whether another follows), so a
   * page reads at most `first + 1` rows whatever the size of the HIS. A row whose demographics
   * cannot be read still moves the cursor (it is reported as a value problem, never re-read).
   */
  async patientsChangedSince(since: string, first: number, after: PatientChangeCursor | null): Promise<PatientChangePage> {
    const mapping = this.options.mapping.patients;
    const updated = mapping.updatedAt;
    if (updated === null) {
      throw new PatientGraphError('SOURCE_ERROR', `${this.options.facility.name} declares no patients.updatedAt column, so it publishes no patient feed`, { facilityCode: this.options.facility.code });
    }
    const rows = await this.run('patientChanges', this.queries.patientChanges(since, after, first + 1));
    const problems: ValueProblem[] = [];
    const changed: ChangedPatient[] = [];
    let end: PatientChangeCursor | null = null;
    for (const row of rows.slice(0, first)) {
      const at = decodeHisDateTime(row[updated.column], updated.format);
      const localId = textOf(row[mapping.id]);
      if (at === null || localId === null) continue;
      const updatedAt = new Date(at).toISOString();
      end = { updatedAt, localId };
      const patient = toSourcePatient(row, mapping, problems);
      if (patient !== null) changed.push({ ...patient, updatedAt });
    }
    this.logProblems('patients', problems);
    return { patients: changed, end, hasNextPage: rows.length > first };
  }

  loadResources<K extends ClinicalResourceKind>(kind: K, patientLocalIds: readonly string[]): Promise<readonly PatientResource<K>[]> {
    return this.loaders[kind](patientLocalIds);
  }

  /** Counts per code, added up over the encounter tables (one statement each). */
  async diagnosisCounts(filter: AnalyticsFilter): Promise<readonly DiagnosisCount[]> {
    const rows = await this.run('diagnosisCounts', this.queries.diagnosisCounts(filter));
    const byCode = new Map<string, DiagnosisCount>();
    for (const row of rows) {
      const code = textOf(row[HIS_ROW_KEYS.code]);
      if (code === null) continue;
      const before = byCode.get(code);
      const encounters = (numberOf(row[HIS_ROW_KEYS.count]) ?? 0) + (before?.encounters ?? 0);
      byCode.set(code, { code, display: before?.display ?? textOf(row[HIS_ROW_KEYS.display]), encounters });
    }
    return [...byCode.values()];
  }

  async encounterCount(filter: AnalyticsFilter): Promise<number> {
    const rows = await this.run('encounterCount', this.queries.encounterCount(filter));
    return rows.reduce((sum, row) => sum + (numberOf(row[HIS_ROW_KEYS.count]) ?? 0), 0);
  }

  /**
   * A population question (docs/analytics.md): per encounter table, its encounters in the window
   * and their diagnoses (two statements side by side), then their patients by id (one statement
   * per chunk); decoded with the same mapping as every chart, soft-deleted rows never read, and
   * counted here at the hospital — the gateway receives the cells only.
   */
  async population(query: PopulationQuery, pseudonymOf: (basis: PseudonymBasis) => string): Promise<readonly PopulationRow[]> {
    if (query.measure === 'COST' && this.options.mapping.encounters.every((m) => m.cost === null)) {
      throw noCostsRecorded(this.options.facility.code, 'the mapping names no cost columns');
    }
    if (query.measure === 'READMISSIONS') {
      const mappings = this.options.mapping.encounters;
      if (mappings.every((m) => m.end === null)) throw new PatientGraphError('SOURCE_ERROR', 'this source records no discharge dates (the mapping names no encounter end column); its part of a READMISSIONS question is unknown', { facilityCode: this.options.facility.code });
      if (this.options.population !== 'rows' && mappings.every((m) => m.end === null || (CUT_FORMATS.has(m.start.format) && CUT_FORMATS.has(m.end.format)))) {
        return this.readmissionsInSql(query);
      }
      return this.populationByRows(query, pseudonymOf);
    }
    const groupings = this.options.mapping.encounters.map((mapping) => populationGrouping(query, mapping, this.options.mapping.patients));
    if (this.options.population !== 'rows' && groupings.every((g): g is PopulationGrouping => g !== null)) {
      return this.populationByGroups(query, groupings, pseudonymOf);
    }
    return this.populationByRows(query, pseudonymOf);
  }

  /**
   * A population question grouped in SQL: one statement per encounter table (populationGroups),
   * then the patients of the groups by id when the question needs the person; each group row is
   * decoded by the mapping like a chart's row (its start rebuilt from the day or month) and stands
   * for `count` encounters. The window is applied by the statement, so the counting here does not
   * apply it again (a month group starts on the 1st).
   */
  private async populationByGroups(query: PopulationQuery, groupings: readonly PopulationGrouping[], pseudonymOf: (basis: PseudonymBasis) => string): Promise<PopulationRow[]> {
    const window = { from: query.from, to: query.to };
    const windowed = query.from !== null || query.to !== null;
    const mappings = this.options.mapping.encounters;
    const tables = await Promise.all(mappings.map((mapping, i) => this.run('population', [this.queries.populationGroups(mapping, groupings[i] as PopulationGrouping, window, query.icd10Prefixes)])));
    const people = new Map<string, { patient: SourcePatient; pseudonym: string }>();
    const keys = mappings.flatMap((_m, i) => ((groupings[i] as PopulationGrouping).person ? (tables[i] ?? []).map((row) => textOf(row[HIS_ROW_KEYS.patient])) : []))
      .filter((key): key is string => key !== null);
    if (keys.length > 0) {
      for (const row of await this.run('population', this.queries.patientsByIds(keys))) {
        const patient = toSourcePatient(row, this.options.mapping.patients);
        if (patient === null) continue;
        people.set(patient.localId, { patient, pseudonym: query.measure === 'PATIENTS' ? pseudonymOf(pseudonymBasisOf(patient, this.options.facility.code)) : '' });
      }
    }
    const patients = this.options.mapping.patients;
    const facts = mappings.flatMap((mapping, i) => (tables[i] ?? []).flatMap((row) => {
      const grouping = groupings[i] as PopulationGrouping;
      const known = grouping.person ? people.get(textOf(row[HIS_ROW_KEYS.patient]) ?? '') : { patient: traitsPatient(row, patients, grouping), pseudonym: '' };
      const encounter = known ? toEncounter(groupRow(row, mapping, grouping), mapping, childCodesOf(row, mapping)) : null;
      // In a window, a start that does not decode is not counted (the statement's window already holds the others).
      const judged = grouping.date === 'raw' || (row[HIS_ROW_KEYS.start] !== null && row[HIS_ROW_KEYS.start] !== undefined);
      const dropped = encounter === null || (windowed && judged && encounter.period.start === null);
      if (!known || !encounter || dropped) return [];
      const fact = { ...encounterFactOf(encounter, known.patient, known.pseudonym), weight: numberOf(row[HIS_ROW_KEYS.count]) ?? 0 };
      return [grouping.traits?.ageBand ? { ...fact, ageBand: groupAgeBand(row, patients, fact.date) } : fact];
    }));
    return countPopulation(facts, { ...query, from: null, to: null }, this.options.facility.code);
  }

  /**
   * READMISSIONS with the window function in the HIS database (readmissionCandidates): per
   * encounter table, the inpatient stays discharged in the window that are followed by another
   * admission, with the next admission's day; the 1-to-N-day gap checked here on those days; the
   * readmitted stays decoded by the mapping as a chart's (their diagnoses and patients read by
   * patient id) and counted as index stays (`asIndexStay`). Only candidate index stays are read.
   */
  private async readmissionsInSql(query: PopulationQuery): Promise<PopulationRow[]> {
    const read = populationReadWindow(query);
    const days = query.readmissionDays ?? DEFAULT_READMISSION_DAYS;
    const isoOf = (row: HisRow, key: string): string => { const d = textOf(row[key]) ?? ''; return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`; };
    const mappings = this.options.mapping.encounters.filter((m) => m.end !== null);
    const tables = await Promise.all(mappings.map(async (mapping) => {
      const candidates = await this.run('population', [this.queries.readmissionCandidates(mapping, mapping.end as DateColumn, read, { from: query.from, to: query.to })]);
      const rows = candidates.filter((row) => {
        const [start, end, next] = [isoOf(row, READMISSION_KEYS.startDay), isoOf(row, READMISSION_KEYS.endDay), isoOf(row, READMISSION_KEYS.nextDay)];
        return end >= start && isReadmissionGap(dayNumber(next) - dayNumber(end), days);
      });
      const patientIds = [...new Set(rows.flatMap((row) => textOf(row[HIS_ROW_KEYS.patient]) ?? []))];
      const diagnosisRows = mapping.diagnoses?.kind === 'table' && patientIds.length > 0 ? await this.run('population', this.queries.encounterDiagnoses(mapping, patientIds)) : [];
      const diagnoses = mapping.diagnoses?.kind === 'table' ? toEncounterDiagnoses(diagnosisRows, mapping.diagnoses) : new Map<string, EncounterDiagnosis[]>();
      return this.decode('encounters', mapping.key, rows, (row, problems) => {
        const encounterId = textOf(row[mapping.id]);
        return toEncounter(row, mapping, (encounterId === null ? undefined : diagnoses.get(encounterId)) ?? [], problems);
      });
    }));
    const stays = tables.flat();
    const people = new Map<string, SourcePatient>();
    if (stays.length > 0) {
      for (const row of await this.run('population', this.queries.patientsByIds(stays.map((s) => s.patientLocalId)))) {
        const patient = toSourcePatient(row, this.options.mapping.patients);
        if (patient !== null) people.set(patient.localId, patient);
      }
    }
    const facts = stays.flatMap(({ patientLocalId, resource }) => {
      const patient = people.get(patientLocalId);
      return patient ? [asIndexStay(encounterFactOf(resource, patient, ''))] : [];
    });
    return countPopulation(facts, { ...query, measure: 'ENCOUNTERS', encounterClasses: null }, this.options.facility.code);
  }

  /** Per encounter (a child table's first matching diagnosis is per encounter): rows read and counted here. */
  private async populationByRows(query: PopulationQuery, pseudonymOf: (basis: PseudonymBasis) => string): Promise<readonly PopulationRow[]> {
    const window = populationReadWindow(query);
    const tables = await Promise.all(this.options.mapping.encounters.map(async (mapping) => {
      const diagnosesQuery = this.queries.diagnosesInWindow(mapping, window);
      const [rows, diagnosisRows] = await Promise.all([
        this.run('population', [this.queries.encountersInWindow(mapping, window)]),
        this.run('population', diagnosesQuery === null ? [] : [diagnosesQuery]),
      ]);
      const diagnoses = mapping.diagnoses?.kind === 'table' ? toEncounterDiagnoses(diagnosisRows, mapping.diagnoses) : new Map<string, EncounterDiagnosis[]>();
      return this.decode('encounters', mapping.key, rows, (row, problems) => {
        const encounterId = textOf(row[mapping.id]);
        return toEncounter(row, mapping, (encounterId === null ? undefined : diagnoses.get(encounterId)) ?? [], problems);
      });
    }));
    const encounters = tables.flat();
    const patientRows = await this.run('population', this.queries.patientsByIds(encounters.map((e) => e.patientLocalId)));
    const patients = new Map<string, { patient: SourcePatient; pseudonym: string }>();
    for (const row of patientRows) {
      const patient = toSourcePatient(row, this.options.mapping.patients);
      if (patient === null) continue;
      const pseudonym = query.measure === 'PATIENTS' ? pseudonymOf(pseudonymBasisOf(patient, this.options.facility.code)) : '';
      patients.set(patient.localId, { patient, pseudonym });
    }
    const facts = encounters.flatMap(({ patientLocalId, resource }) => {
      const known = patients.get(patientLocalId);
      return known ? [encounterFactOf(resource, known.patient, known.pseudonym)] : [];
    });
    return countPopulation(facts, query, this.options.facility.code);
  }

  /**
   * A page of cohort rows (docs/analytics.md, "De-identified cohort rows"): per encounter table in
   * mapping order, the encounters in the window after the place, keyset-paged on the table's id
   * in SQL (`id > place ORDER BY id LIMIT first + 1`, the id compared as the column's own type),
   * then the page's diagnoses and patients by id; decoded by the same mapping as a chart, filtered
   * by class and ICD-10 prefix here (so a page may hold fewer rows than `first` while more follow;
   * its end place is the last encounter looked at). The place is `<table index>:<id>`.
   */
  async cohort(query: CohortQuery, pseudonymOf: (basis: PseudonymBasis) => string, after: string | null, first: number): Promise<CohortSourcePage> {
    const mappings = this.options.mapping.encounters;
    const separator = after === null ? -1 : after.indexOf(':');
    let table = after === null ? 0 : Number(after.slice(0, separator));
    let afterId: string | null = after === null ? null : after.slice(separator + 1);
    if (!Number.isInteger(table) || table < 0 || (after !== null && separator < 1)) throw new PatientGraphError('BAD_USER_INPUT', '`after` is not a place of this source');
    const window = { from: query.from, to: query.to };
    const rows: PlacedCohortRow[] = [];
    let endPlace: string | null = after;
    for (; table < mappings.length; table += 1, afterId = null) {
      const mapping = mappings[table] as EncountersMapping;
      const page = await this.run('cohort', [this.queries.cohortEncounters(mapping, window, afterId, first - rows.length + 1)]);
      const looked = page.slice(0, first - rows.length);
      const patientIds = [...new Set(looked.flatMap((row) => textOf(row[HIS_ROW_KEYS.patient]) ?? []))];
      const [diagnosisRows, patientRows] = await Promise.all([
        this.run('cohort', this.queries.encounterDiagnoses(mapping, patientIds)),
        this.run('cohort', this.queries.patientsByIds(patientIds)),
      ]);
      const diagnoses = mapping.diagnoses?.kind === 'table' ? toEncounterDiagnoses(diagnosisRows, mapping.diagnoses) : new Map<string, EncounterDiagnosis[]>();
      const people = new Map<string, { patient: SourcePatient; pseudonym: string }>();
      for (const row of patientRows) {
        const patient = toSourcePatient(row, this.options.mapping.patients);
        if (patient !== null) people.set(patient.localId, { patient, pseudonym: pseudonymOf(pseudonymBasisOf(patient, this.options.facility.code)) });
      }
      for (const row of looked) {
        const encounterId = textOf(row[mapping.id]);
        if (encounterId === null) continue;
        endPlace = `${table}:${encounterId}`;
        const known = people.get(textOf(row[HIS_ROW_KEYS.patient]) ?? '');
        const encounter = known ? toEncounter(row, mapping, diagnoses.get(encounterId) ?? []) : null;
        if (!known || encounter === null) continue;
        const fact = encounterFactOf(encounter, known.patient, known.pseudonym);
        if (isInCohort(fact, query)) rows.push({ ...cohortRowOf(fact, this.options.facility.code), place: endPlace });
      }
      if (page.length > looked.length) return { rows, hasNextPage: true, endPlace };
    }
    return { rows, hasNextPage: false, endPlace };
  }

  /** `source serve --check`: every problem between the mapping and the database (checkSqlHisSource). */
  check(options: SourceCheckOptions = { sampleRows: 200 }): Promise<SourceCheckProblem[]> {
    return checkSqlHisSource(this.options.connection, this.options.mapping, options);
  }

  stats(): SqlHisStats {
    return { statements: this.options.connection.statements(), rowsRead: this.rowsRead, valuesRead: this.valuesRead };
  }

  async close(): Promise<void> {
    await this.options.connection.close();
  }

  /** Encounters and their diagnoses: per encounter table, one statement for it and one for its diagnosis table, run side by side. */
  private async loadEncounters(patientIds: readonly string[]): Promise<PatientResource<'encounters'>[]> {
    const tables = await Promise.all(this.options.mapping.encounters.map(async (mapping) => {
      const [rows, diagnosisRows] = await Promise.all([
        this.run('loadResources.encounters', this.queries.resources('encounters', mapping, patientIds)),
        this.run('loadResources.encounters', this.queries.encounterDiagnoses(mapping, patientIds)),
      ]);
      const diagnoses = mapping.diagnoses?.kind === 'table' ? toEncounterDiagnoses(diagnosisRows, mapping.diagnoses) : new Map<string, EncounterDiagnosis[]>();
      return this.decode('encounters', mapping.key, rows, (row, problems) => {
        const encounterId = textOf(row[mapping.id]);
        return toEncounter(row, mapping, (encounterId === null ? undefined : diagnoses.get(encounterId)) ?? [], problems);
      });
    }));
    return tables.flat();
  }

  /** Rows of every table of a kind (one statement per table), decoded and merged. */
  private async loadRows<K extends ClinicalResourceKind>(
    kind: K,
    tables: readonly SqlHisMapping[K][number][],
    patientIds: readonly string[],
    decode: (row: HisRow, mapping: SqlHisMapping[K][number], problems: ValueProblem[]) => ClinicalResources[K] | null,
  ): Promise<PatientResource<K>[]> {
    const results = await Promise.all(tables.map(async (table) => {
      const rows = await this.run(`loadResources.${kind}`, this.queries.resources(kind, table, patientIds));
      return this.decode(kind, table.key, rows, (row, problems) => decode(row, table, problems));
    }));
    return results.flat();
  }

  /**
   * Decodes rows; each record keeps its value problems (reported on the item by the SDK) and they
   * are logged. A join that matches several rows (a code table with duplicate keys) repeats the
   * mapped row: the repeats are dropped, never served as duplicate records, and logged.
   */
  private decode<K extends ClinicalResourceKind>(
    kind: K,
    tableKey: string,
    rows: readonly HisRow[],
    decode: (row: HisRow, problems: ValueProblem[]) => ClinicalResources[K] | null,
  ): PatientResource<K>[] {
    const all: ValueProblem[] = [];
    const seen = new Set<string>();
    let repeated = 0;
    const resources = rows.flatMap((row) => {
      const patientLocalId = textOf(row[HIS_ROW_KEYS.patient]);
      const problems: ValueProblem[] = [];
      const resource = decode(row, problems);
      if (patientLocalId === null || resource === null) return [];
      const key = `${patientLocalId}\u0000${resource.id}`;
      if (seen.has(key)) {
        repeated += 1;
        return [];
      }
      seen.add(key);
      all.push(...problems);
      return [{ patientLocalId, resource: withValueProblems(resource, problems) }];
    });
    this.logProblems(kind, all);
    if (repeated > 0) {
      this.options.logger.warn('sql_his.repeated_rows', { facilityCode: this.options.facility.code, kind, mappingKey: tableKey, count: repeated });
    }
    return resources;
  }

  /** One log line per mapping key with the number of values that did not fit (never the values: PHI). */
  private logProblems(kind: string, problems: readonly ValueProblem[]): void {
    const counts = new Map<string, { problem: ValueProblem; count: number }>();
    for (const problem of problems) {
      const entry = counts.get(problem.mappingKey);
      if (entry) entry.count += 1;
      else counts.set(problem.mappingKey, { problem, count: 1 });
    }
    for (const { problem, count } of counts.values()) {
      this.options.logger.warn('sql_his.value_invalid', {
        facilityCode: this.options.facility.code,
        kind,
        mappingKey: problem.mappingKey,
        expected: problem.expected,
        count,
      });
    }
  }

  /** Runs a batch's statements (one per chunk); any failure becomes the facility's coded error. */
  private async run(operation: string, queries: readonly HisQuery[]): Promise<HisRow[]> {
    try {
      const perStatement = await Promise.all(queries.map((query) => query.execute()));
      for (const rows of perStatement) {
        this.rowsRead += rows.length;
        // Every row of a statement has the same columns.
        this.valuesRead += rows.length * Object.keys(rows[0] ?? {}).length;
      }
      return perStatement.flat();
    } catch (error) {
      const coded = toSourceError(error, { facilityCode: this.options.facility.code, statementTimeoutMs: this.options.statementTimeoutMs });
      this.options.logger.error('sql_his.statement_failed', {
        facilityCode: this.options.facility.code,
        operation,
        code: coded.code,
        errorName: error instanceof Error ? error.name : typeof error,
        driverCode: driverCodeOf(error),
        // Driver messages may quote a value; the logger scrubs identifier-shaped text (redactPhi).
        message: error instanceof Error ? error.message : undefined,
      });
      throw coded;
    }
  }
}

/** Who a group stands for when the question does not need the person (no sex, birth date or pseudonym is read). */
const ANONYMOUS: SourcePatient = { localId: '', nationalId: null, insuranceNumber: null, fullName: null, birthDate: null, gender: null };

/** Who a group stands for when its sex is read in the statement (`$sex.` columns, decoded by the gender mapping); no birth date, id or pseudonym. */
function traitsPatient(row: HisRow, patients: PatientsMapping, grouping: PopulationGrouping): SourcePatient {
  const gender = patients.gender;
  if (!grouping.traits?.sex || gender === null) return ANONYMOUS;
  if (gender.kind === 'constant') return { ...ANONYMOUS, gender: gender.value };
  const columns = [gender.column, ...gender.overrides.map((o) => o.column)];
  return { ...ANONYMOUS, gender: enumOf(Object.fromEntries(columns.map((column) => [column, row[`${HIS_ROW_KEYS.sex}${column}`]])), gender) };
}

/**
 * A group's age band: the statement's (`$ageBand`), or — for a row whose start or birth date was
 * not plainly valid (`$birth` set) — ageBand.ts over the decoded birth date and the encounter's
 * day (its decoded start when the start was doubtful, else the statement's `$day`), as a chart's row.
 */
function groupAgeBand(row: HisRow, patients: PatientsMapping, date: string | null): string | null {
  const birth = patients.birthDate;
  const raw = row[HIS_ROW_KEYS.birth];
  if (birth === null) return null;
  if (raw === null || raw === undefined) return textOf(row[HIS_ROW_KEYS.ageBand]);
  const reading = readHisDate(raw, birth.format);
  const day = textOf(row[HIS_ROW_KEYS.day]);
  const doubtfulStart = row[HIS_ROW_KEYS.start] !== null && row[HIS_ROW_KEYS.start] !== undefined;
  const on = doubtfulStart || day === null ? date : `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}`;
  return ageBand(reading.kind === 'value' ? reading.value : null, on);
}

/** A group row as the encounter decoder reads a row: a placeholder id, the start rebuilt from its day or month. */
function groupRow(row: HisRow, mapping: EncountersMapping, grouping: PopulationGrouping): HisRow {
  const doubtful = row[HIS_ROW_KEYS.start];
  const cut = textOf(row[mapping.start.column]);
  // A doubtful start is decoded as the row holds it; a plain one is rebuilt from its day or month.
  const start = doubtful !== null && doubtful !== undefined
    ? { [mapping.start.column]: doubtful }
    : grouping.date === 'none' || cut === null ? {} : { [mapping.start.column]: startFromBucket(cut, mapping.start.format, grouping.date) };
  return { ...row, [mapping.id]: 'group', ...start };
}

/** Over a diagnosis child table: the group's one diagnosis code (every code for CONDITIONS, the first matching one otherwise; its role no longer matters). */
function childCodesOf(row: HisRow, mapping: EncountersMapping): EncounterDiagnosis[] {
  if (mapping.diagnoses?.kind !== 'table') return [];
  const code = codingOf(row, mapping.diagnoses.code);
  return code === null ? [] : [{ code, role: 'SECONDARY', rank: 1 }];
}

function driverCodeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const { code } = error as { code?: unknown };
  return typeof code === 'string' ? code : undefined;
}
