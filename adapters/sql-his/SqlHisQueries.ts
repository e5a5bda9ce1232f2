import { sql, type CompiledQuery, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { ClinicalResourceKind } from '../../contracts/model/clinical';
import type { AnalyticsFilter, PatientLookup } from '../sdk/ClinicalAdapter';
import type { PatientChangeCursor } from '../sdk/PatientChanges';
import { birthDateBounds, decodeHisDate, encodeHisDate, windowBounds } from './hisDateFormats';
import { HIS_ROW_KEYS, type HisRow } from './hisRowValues';
import { instantBound } from './instantBound';
import { isPostgresFamily, type SqlDialectName } from './sqlDialects';
import { diagnosisColumns, kindColumns, patientColumns, unique } from './mappingColumns';
import type { PopulationGrouping } from './populationGrouping';
import type {
  DateColumn,
  EncounterDiagnosesMapping,
  EncountersMapping,
  PatientKeyColumn,
  RowFilter,
  SqlHisMapping,
  TableSource,
} from './SqlHisMapping';

/**
 * The tables of a HIS are known only at run time (from the mapping), so the Kysely database type
 * names none: every table and column goes through `sql.table` / `sql.ref`, which quote them. Code
 * that knows a schema (the demo seeders) narrows it with `db.withTables<Tables>()`.
 */
export type SqlHisDatabase = Record<string, Record<string, unknown>>;

/** A built statement: run it, or compile it to look at its SQL and parameters (tests). */
export interface HisQuery {
  execute(): Promise<HisRow[]>;
  compile(): CompiledQuery;
}

/**
 * Values per statement. PostgreSQL takes a whole list as one array parameter (`= ANY($1)`), so
 * only very large batches are split; MySQL/MariaDB needs one placeholder per value
 * (`IN (?, ?, …)`) and a prepared statement allows at most 65 535, so lists are split sooner.
 * The gateway sends at most a few hundred patients per `_entities` request, which stays one
 * statement per table on both.
 */
export const VALUES_PER_STATEMENT: Readonly<Record<SqlDialectName, number>> = { postgres: 10_000, pglite: 10_000, mysql: 1_000 };

/**
 * The one place where a mapping becomes SQL (docs/architecture.md §4, sql-his). Every statement is built with
 * Kysely's query builder; table and column names come only from the validated mapping (quoted
 * through `sql.table`/`sql.ref`), values only as parameters. One statement per table per batch:
 * - `findPatients`: patients table, `OR` over national IDs, BHXH codes and birth dates;
 * - `resources(kind, table)`: one table of the kind (joined to the table holding the patient key
 *   when the mapping says `via`, and LEFT JOINed to its declared code tables / parent rows);
 * - `encounterDiagnoses`: the diagnosis child table joined to its encounters;
 * - `diagnosisCounts` / `encounterCount`: `GROUP BY` / `COUNT` over the encounters in the window.
 * Every table's `where` conditions are part of every statement that reads it (a soft-deleted row
 * is never read, counted or matched); their values are parameters like any other.
 * Building is pure; running is the caller's (the adapter's) business.
 */
/** Columns of `readmissionCandidates` rows: the stay's admission, discharge and next admission days (`yyyyMMdd`). */
export const READMISSION_KEYS = { startDay: '$startDay', endDay: '$endDay', nextDay: '$nextDay' } as const;

export class SqlHisQueries {
  constructor(
    private readonly db: Kysely<SqlHisDatabase>,
    private readonly dialect: SqlDialectName,
    private readonly mapping: SqlHisMapping,
  ) {}

  /** Candidates for a lookup; no statement when there is nothing to look up. */
  findPatients(lookup: PatientLookup): HisQuery[] {
    const patients = this.mapping.patients;
    const terms: { readonly ref: Expression<unknown>; readonly value: string }[] = [];
    const nationalIdColumns = unique([patients.nationalId, ...patients.identifiers.filter((i) => i.matchAs === 'nationalId').map((i) => i.column)]);
    for (const column of nationalIdColumns) {
      const ref = columnRef(column, 't');
      terms.push(...lookup.nationalIds.map((value) => ({ ref, value })));
    }
    const cards = [
      ...(patients.insuranceNumber === null ? [] : [patients.insuranceNumber]),
      ...patients.identifiers.filter((i) => i.matchAs === 'insuranceNumber').map((i) => ({ column: i.column, bhxhColumn: null })),
    ];
    for (const { column, bhxhColumn } of cards) {
      // The last 10 characters of a card code or of a bare BHXH code are the BHXH code (SqlHisMapping).
      const ref = bhxhColumn !== null ? columnRef(bhxhColumn, 't') : sql`right(${columnRef(column, 't')}, 10)`;
      terms.push(...lookup.socialInsuranceNumbers.map((value) => ({ ref, value })));
    }
    // Only real dates: anything else would match nothing, but could fail a DATE column's parse.
    const dates = lookup.birthDates.filter((date) => decodeHisDate(date, 'date') === date);
    const birth = patients.birthDate;
    const ranges: RawBuilder<SqlBool>[] = [];
    if (birth !== null && dates.length > 0) {
      const column = columnRef(birth.column, 't');
      const format = birth.format;
      if (format === 'yyyyMMddHHmm' || format === 'yyyyMMddHHmmss') {
        // Typed bounds, not `left(column, 8)`: the column may be a BIGINT (no string functions on
        // PostgreSQL), and a range on the column itself can use its index.
        for (const date of dates) {
          const [low, high] = birthDateBounds(date, format);
          ranges.push(sql<SqlBool>`(${column} >= ${sql.val(low)} and ${column} <= ${sql.val(high)})`);
        }
      } else if (format !== 'timestamp' && format !== 'yyyy') {
        terms.push(...dates.map((date) => ({ ref: column, value: encodeHisDate(date, format) })));
      }
    }
    const conditions = [...groupByRef(terms).map(([ref, values]) => this.inList(ref, values)), ...ranges];
    if (conditions.length === 0) return [];
    // Chunked by values: each chunk's conditions stay one statement (ranges go with the first).
    return chunk(terms, this.chunkSize(), ranges.length > 0).map((group, index) =>
      this.from(patients, 't')
        .select(this.columns('t', patientColumns(patients)))
        .where((eb) => eb.and([
          ...this.filters(patients, 't'),
          eb.or([...groupByRef(group).map(([ref, values]) => this.inList(ref, values)), ...(index === 0 ? ranges : [])]),
        ]))
        .orderBy(columnRef(patients.id, 't')));
  }

  /**
   * One page of the registration feed, paged in SQL (keyset, never every row read then cut):
   * patients rows whose `updatedAt` column is at or after `since` and, given a cursor, after it in
   * (updatedAt, id) order — `updatedAt > t or (updatedAt = t and id > localId)` — ordered by
   * (updatedAt, id), at most `limit` rows. No statement without a declared instant column.
   */
  patientChanges(since: string, after: PatientChangeCursor | null, limit: number): HisQuery[] {
    const patients = this.mapping.patients;
    const updated = patients.updatedAt;
    if (updated === null || (updated.format !== 'timestamp' && updated.format !== 'yyyyMMddHHmmss' && updated.format !== 'yyyyMMddHHmm')) return [];
    const column = columnRef(updated.column, 't');
    const id = columnRef(patients.id, 't');
    const lower = sql<SqlBool>`${column} >= ${sql.val(instantBound(since, updated.format, this.dialect))}`;
    const at = after === null ? null : instantBound(after.updatedAt, updated.format, this.dialect);
    const cursor = after === null || at === null ? [] : [sql<SqlBool>`(${column} > ${sql.val(at)} or (${column} = ${sql.val(at)} and ${id} > ${sql.val(after.localId)}))`];
    return [
      this.from(patients, 't')
        .select(this.columns('t', patientColumns(patients)))
        .where((eb) => eb.and([...this.filters(patients, 't'), lower, ...cursor]))
        .orderBy(column)
        .orderBy(id)
        .limit(limit),
    ];
  }

  /** Rows of one table of a kind for a batch of local patient ids. */
  resources<K extends ClinicalResourceKind>(kind: K, table: SqlHisMapping[K][number], patientIds: readonly string[]): HisQuery[] {
    if (patientIds.length === 0) return [];
    return chunk(unique(patientIds), this.chunkSize()).map((ids) => {
      const base = this.from(table, 't');
      const { via } = table.patientKey;
      const from = via === null ? base : base.innerJoin(sql.table(via.table).as('v'), (join) => join.on(this.equals(`v.${via.key}`, `t.${via.foreignKey}`)));
      const patientRef = patientKeyRef(table.patientKey, 't', 'v');
      return from
        .select([...this.columns('t', kindColumns(kind, table)), patientRef.as(HIS_ROW_KEYS.patient)])
        .where((eb) => eb.and([this.inList(patientRef, ids), ...this.filters(table, 't')]))
        .orderBy(columnRef(table.id, 't'));
    });
  }

  /** Diagnosis rows of one encounter table's encounters for a batch of patients, each with its encounter id. */
  encounterDiagnoses(encounters: EncountersMapping, patientIds: readonly string[]): HisQuery[] {
    const diagnoses = encounters.diagnoses;
    if (diagnoses === null || diagnoses.kind !== 'table' || patientIds.length === 0) return [];
    return chunk(unique(patientIds), this.chunkSize()).map((ids) => {
      const patientRef = patientKeyRef(encounters.patientKey, 'e', 'v');
      return this.fromEncounterDiagnoses(encounters, diagnoses)
        .select([...this.columns('d', diagnosisColumns(encounters)), columnRef(encounters.id, 'e').as(HIS_ROW_KEYS.encounter)])
        .where((eb) => eb.and([this.inList(patientRef, ids), ...this.filters(encounters, 'e'), ...this.filters(diagnoses, 'd')]));
    });
  }

  /** Encounters per main diagnosis code in the window, one statement per encounter table: `$code`, `$display`, `$count`. */
  diagnosisCounts(filter: AnalyticsFilter): HisQuery[] {
    return this.mapping.encounters.flatMap((encounters): HisQuery[] => {
      const diagnoses = encounters.diagnoses;
      if (diagnoses === null) return [];
      if (diagnoses.kind === 'row') {
        if (diagnoses.main === null) return [];
        const code = columnRef(diagnoses.main.code, 'e');
        const display = diagnoses.main.display === null ? sql<null>`null` : sql`max(${columnRef(diagnoses.main.display, 'e')})`;
        return [this.from(encounters, 'e')
          .select([code.as(HIS_ROW_KEYS.code), display.as(HIS_ROW_KEYS.display), sql`count(distinct ${columnRef(encounters.id, 'e')})`.as(HIS_ROW_KEYS.count)])
          .where((eb) => eb.and([sql<SqlBool>`${code} is not null`, ...this.filters(encounters, 'e'), ...this.window(encounters.start, filter)]))
          .groupBy(code)];
      }
      // Main diagnoses only: by the role column's PRIMARY codes, or every row of a table of main diagnoses.
      const role = diagnoses.role;
      const primaryCodes = role.kind === 'constant' ? [] : [...role.values].filter(([, value]) => value === 'PRIMARY').map(([source]) => source);
      if (role.kind === 'constant' ? role.value !== 'PRIMARY' : primaryCodes.length === 0) return [];
      const primary = role.kind === 'constant' ? [] : [this.inList(columnRef(role.column, 'd'), primaryCodes)];
      const code = columnRef(diagnoses.code.column, 'd');
      const display = diagnoses.code.display === null ? sql<null>`null` : sql`max(${columnRef(diagnoses.code.display, 'd')})`;
      return [this.fromEncounterDiagnoses(encounters, diagnoses)
        .select([code.as(HIS_ROW_KEYS.code), display.as(HIS_ROW_KEYS.display), sql`count(distinct ${columnRef(encounters.id, 'e')})`.as(HIS_ROW_KEYS.count)])
        .where((eb) => eb.and([...primary, ...this.filters(encounters, 'e'), ...this.filters(diagnoses, 'd'), ...this.window(encounters.start, filter)]))
        .groupBy(code)];
    });
  }

  /**
   * Population questions (docs/analytics.md): the encounters of one table whose start is in the
   * window, each with its patient key — one statement, read at the hospital by its own subgraph,
   * where the cells are counted; only the cells go on to the gateway.
   */
  encountersInWindow(encounters: EncountersMapping, filter: AnalyticsFilter): HisQuery {
    const base = this.from(encounters, 'e');
    const { via } = encounters.patientKey;
    const from = via === null ? base : base.innerJoin(sql.table(via.table).as('v'), (join) => join.on(this.equals(`v.${via.key}`, `e.${via.foreignKey}`)));
    return from
      .select([...this.columns('e', kindColumns('encounters', encounters)), patientKeyRef(encounters.patientKey, 'e', 'v').as(HIS_ROW_KEYS.patient)])
      .where((eb) => eb.and([...this.filters(encounters, 'e'), ...this.window(encounters.start, filter)]));
  }

  /**
   * Cohort rows (docs/analytics.md): one keyset page of `encountersInWindow` — the encounters of one
   * table in the window with an id after `afterId` (compared as the column's own type), in id
   * order, at most `limit` — one statement.
   */
  cohortEncounters(encounters: EncountersMapping, filter: AnalyticsFilter, afterId: string | null, limit: number): HisQuery {
    const base = this.from(encounters, 'e');
    const { via } = encounters.patientKey;
    const from = via === null ? base : base.innerJoin(sql.table(via.table).as('v'), (join) => join.on(this.equals(`v.${via.key}`, `e.${via.foreignKey}`)));
    const id = columnRef(encounters.id, 'e');
    return from
      .select([...this.columns('e', kindColumns('encounters', encounters)), patientKeyRef(encounters.patientKey, 'e', 'v').as(HIS_ROW_KEYS.patient)])
      .where((eb) => eb.and([...this.filters(encounters, 'e'), ...this.window(encounters.start, filter), ...(afterId === null ? [] : [sql<SqlBool>`${id} > ${afterId}`])]))
      .orderBy(id)
      .limit(limit);
  }

  /** The diagnosis rows of the encounters `encountersInWindow` reads (a diagnosis child table only). */
  diagnosesInWindow(encounters: EncountersMapping, filter: AnalyticsFilter): HisQuery | null {
    const diagnoses = encounters.diagnoses;
    if (diagnoses === null || diagnoses.kind !== 'table') return null;
    return this.fromEncounterDiagnoses(encounters, diagnoses)
      .select([...this.columns('d', diagnosisColumns(encounters)), columnRef(encounters.id, 'e').as(HIS_ROW_KEYS.encounter)])
      .where((eb) => eb.and([...this.filters(encounters, 'e'), ...this.filters(diagnoses, 'd'), ...this.window(encounters.start, filter)]));
  }

  /**
   * Population questions answered by `GROUP BY` (populationGrouping.ts): one statement for one
   * encounter table — the encounters in the window whose patient row exists and passes its
   * filters (as a chart's would), grouped by what the question needs: the class columns, the
   * start's day or month (cut from the value's text, so BIGINT and text columns alike), the row's
   * diagnosis code columns, the patient key — each under its mapping name, with `count(*)`. For
   * CONDITIONS over a diagnosis child table, the child rows joined to those encounters, grouped
   * by the same and the diagnosis code. Nothing per encounter leaves the database.
   */
  populationGroups(encounters: EncountersMapping, grouping: PopulationGrouping, filter: AnalyticsFilter, icd10Prefixes: readonly string[] | null = null): HisQuery {
    if (grouping.diagnoses === 'child-first' && encounters.diagnoses?.kind === 'table') {
      return this.populationFirstDiagnosisGroups(encounters, encounters.diagnoses, grouping, filter, icd10Prefixes);
    }
    const child = grouping.diagnoses === 'child-codes' && encounters.diagnoses?.kind === 'table' ? encounters.diagnoses : null;
    const { via } = encounters.patientKey;
    const base = child === null ? this.from(encounters, 'e') : this.fromEncounterDiagnoses(encounters, child);
    const from = child !== null || via === null ? base : base.innerJoin(sql.table(via.table).as('v'), (join) => join.on(this.equals(`v.${via.key}`, `e.${via.foreignKey}`)));
    const groups = this.populationGroupTerms(encounters, grouping);
    if (child !== null) {
      groups.push(...unique([child.code.column, ...(child.code.system.kind === 'column' ? [child.code.system.column] : [])]).map((column) => ({ expression: columnRef(column, 'd'), name: column })));
    }
    const query = from
      .innerJoin(sql.table(this.mapping.patients.table).as('p'), (join) => join.on(this.patientJoin(encounters)))
      .select([...groups.map((g) => g.expression.as(g.name)), sql`count(*)`.as(HIS_ROW_KEYS.count)])
      .where((eb) => eb.and([
        ...this.filters(encounters, 'e'),
        ...(child === null ? [] : this.filters(child, 'd')),
        ...this.window(encounters.start, filter),
      ]));
    return groups.length === 0 ? query : query.groupBy(groups.map((g) => g.expression));
  }

  /**
   * READMISSIONS (docs/analytics.md, "Readmissions"), one statement for one encounter table: its
   * inpatient stays (the class mapping as a CASE: overrides, then the codes, then the fallback)
   * admitted in the read window with a plainly valid admission, whose patient row is live; for each,
   * the patient's next admission day by `lead()` over the patient key ordered by admission, then
   * id (a window function on PostgreSQL, PGlite and MariaDB 10.2+); kept only when discharged in
   * the window (a plainly valid end) and followed by an admission — so only candidate index stays
   * leave the database, with the encounter's columns for the decoder and their days (`yyyyMMdd`)
   * under `$startDay`, `$endDay`, `$nextDay`, so the adapter checks the 1-to-N-day gap. Start and
   * end must be formats the statement cuts (populationGrouping's CUT_FORMATS).
   */
  readmissionCandidates(encounters: EncountersMapping, end: DateColumn, readWindow: AnalyticsFilter, window: AnalyticsFilter): HisQuery {
    const { via } = encounters.patientKey;
    const base = this.from(encounters, 'e');
    const from = via === null ? base : base.innerJoin(sql.table(via.table).as('v'), (join) => join.on(this.equals(`v.${via.key}`, `e.${via.foreignKey}`)));
    const key = patientKeyRef(encounters.patientKey, 'e', 'v');
    const startDay = this.dayOf(encounters.start, 'e');
    const endDay = sql`(case when ${this.plainlyValid(end)} then ${this.dayOf(end, 'e')} end)`;
    // A dd/MM/yyyy start sorts by its yyyyMMdd rearrangement; the others by their own value.
    const admission = encounters.start.format === 'dd/MM/yyyy' ? startDay : columnRef(encounters.start.column, 'e');
    const stays = from
      .innerJoin(sql.table(this.mapping.patients.table).as('p'), (join) => join.on(this.patientJoin(encounters)))
      .select([
        ...this.columns('e', kindColumns('encounters', encounters)),
        key.as(HIS_ROW_KEYS.patient),
        startDay.as(READMISSION_KEYS.startDay),
        endDay.as(READMISSION_KEYS.endDay),
        sql`lead(${startDay}) over (partition by ${key} order by ${admission}, ${columnRef(encounters.id, 'e')})`.as(READMISSION_KEYS.nextDay),
      ])
      .where((eb) => eb.and([...this.filters(encounters, 'e'), ...this.window(encounters.start, readWindow), this.plainlyValid(encounters.start), this.isInpatient(encounters)]));
    const ymd = (date: string): string => date.replace(/-/g, '');
    const endRef = sql.ref(`s.${READMISSION_KEYS.endDay}`);
    return this.db.selectFrom(stays.as('s')).selectAll().where((eb) => eb.and([
      sql<SqlBool>`${sql.ref(`s.${READMISSION_KEYS.nextDay}`)} is not null`,
      sql<SqlBool>`${endRef} is not null`,
      ...(window.from === null ? [] : [sql<SqlBool>`${endRef} >= ${sql.val(ymd(window.from))}`]),
      ...(window.to === null ? [] : [sql<SqlBool>`${endRef} <= ${sql.val(ymd(window.to))}`]),
    ]));
  }

  /** Whether an encounter row's class decodes to INPATIENT (`enumOf` in SQL: overrides, then the codes, then the fallback). */
  private isInpatient(encounters: EncountersMapping): RawBuilder<SqlBool> {
    const field = encounters.class;
    const flag = (value: string | null): RawBuilder<unknown> => sql.lit(value === 'INPATIENT' ? 1 : 0);
    if (field.kind === 'constant') return sql<SqlBool>`${flag(field.value)} = 1`;
    const codes = (inpatient: boolean): string[] => [...field.values].filter(([, value]) => (value === 'INPATIENT') === inpatient).map(([code]) => code);
    const whenIn = (list: readonly string[], value: string): RawBuilder<unknown>[] =>
      (list.length === 0 ? [] : [sql`when ${columnRef(field.column, 'e')} in (${sql.join(list.map((c) => sql.val(c)))}) then ${flag(value)}`]);
    const whens = [
      ...field.overrides.map((o) => sql`when ${columnRef(o.column, 'e')} = ${sql.val(o.equals)} then ${flag(o.value)}`),
      ...whenIn(codes(true), 'INPATIENT'),
      ...whenIn(codes(false), 'OTHER'),
    ];
    return whens.length === 0 ? sql<SqlBool>`${flag(field.fallback)} = 1` : sql<SqlBool>`(case ${sql.join(whens, sql` `)} else ${flag(field.fallback)} end) = 1`;
  }

  /**
   * ENCOUNTERS and PATIENTS over a diagnosis child table: each encounter in the window LEFT JOINed
   * to its diagnoses that match the ICD-10 prefixes (normalized as the counting does: trimmed, upper
   * case, without the dot; each prefix a bound `LIKE` parameter), numbered per encounter as a chart
   * orders them — main diagnosis first, then the rank (or, without one, main before secondary),
   * then the code — and only the first kept; grouped like `populationGroups` plus that code. An
   * encounter without a matching diagnosis keeps a NULL code (dropped when prefixes are given).
   */
  private populationFirstDiagnosisGroups(
    encounters: EncountersMapping,
    diagnoses: EncounterDiagnosesMapping,
    grouping: PopulationGrouping,
    filter: AnalyticsFilter,
    icd10Prefixes: readonly string[] | null,
  ): HisQuery {
    const { via } = encounters.patientKey;
    const code = sql.ref(`d.${diagnoses.code.column}`);
    const normalized = sql`upper(replace(trim(${code}), '.', ''))`;
    const matches = icd10Prefixes === null
      ? []
      : [sql<SqlBool>`(${sql.join(icd10Prefixes.map((prefix) => sql`${normalized} like ${sql.val(`${prefix.trim().toUpperCase().replace('.', '')}%`)}`), sql` or `)})`];
    const joinOn = sql<SqlBool>`${sql.join([
      sql`${sql.ref(`d.${diagnoses.encounterKey}`)} = ${columnRef(encounters.id, 'e')}`,
      sql`${code} is not null`,
      sql`trim(${code}) <> ''`,
      ...this.filters(diagnoses, 'd'),
      ...matches,
    ], sql` and `)}`;
    const base = this.from(encounters, 'e').leftJoin(sql.table(diagnoses.table).as('d'), (join) => join.on(joinOn));
    const from = via === null ? base : base.innerJoin(sql.table(via.table).as('v'), (join) => join.on(this.equals(`v.${via.key}`, `e.${via.foreignKey}`)));
    const primaryOrder = this.roleOrder(diagnoses);
    const rank = diagnoses.rank === null ? primaryOrder : sql`coalesce(${sql.ref(`d.${diagnoses.rank}`)}, ${primaryOrder})`;
    const terms = [...this.populationGroupTerms(encounters, grouping), { expression: sql`${code}`, name: diagnoses.code.column }];
    if (diagnoses.code.system.kind === 'column' && !terms.some((t) => t.name === (diagnoses.code.system as { column: string }).column)) {
      terms.push({ expression: sql`${sql.ref(`d.${diagnoses.code.system.column}`)}`, name: diagnoses.code.system.column });
    }
    const numbered = from
      .innerJoin(sql.table(this.mapping.patients.table).as('p'), (join) => join.on(this.patientJoin(encounters)))
      .select([
        ...terms.map((t) => t.expression.as(t.name)),
        sql`row_number() over (partition by ${columnRef(encounters.id, 'e')} order by ${primaryOrder}, ${rank}, ${code})`.as(HIS_ROW_KEYS.rank),
      ])
      .where((eb) => eb.and([
        ...this.filters(encounters, 'e'),
        ...this.window(encounters.start, filter),
      ]));
    const outer = terms.map((t) => sql.ref(`x.${t.name}`));
    return this.db.selectFrom(numbered.as('x'))
      .select([...terms.map((t) => sql.ref(`x.${t.name}`).as(t.name)), sql`count(*)`.as(HIS_ROW_KEYS.count)])
      .where((eb) => eb.and([
        sql<SqlBool>`${sql.ref(`x.${HIS_ROW_KEYS.rank}`)} = 1`,
        ...(icd10Prefixes === null ? [] : [sql<SqlBool>`${sql.ref(`x.${diagnoses.code.column}`)} is not null`]),
      ]))
      .groupBy(outer);
  }

  /**
   * The encounter's patient row `p` joined to it (the traits are read from it): its id is the
   * patients table's primary key (SqlHisMapping `PatientsMapping.id`), so the join keeps one row per
   * encounter, and the patients table's filters are the join's — an encounter counts only when its
   * patient row exists and passes them, as a chart's would.
   */
  private patientJoin(encounters: EncountersMapping): RawBuilder<SqlBool> {
    const patients = this.mapping.patients;
    return sql<SqlBool>`${sql.join([
      sql`${columnRef(patients.id, 'p')} = ${patientKeyRef(encounters.patientKey, 'e', 'v')}`,
      ...this.filters(patients, 'p'),
    ], sql` and `)}`;
  }

  /**
   * SEX and AGE_BAND from the joined patient row (populationGrouping `traits`): the gender columns
   * as they are; the age band in whole years at the start's day — year difference, less one before
   * the birthday (`MMdd` compared as text) — in the bands of ageBand.ts (`0-4` … `80-84`, `85+`,
   * NULL for a birth after the start). Only when both dates are plainly valid; otherwise the row
   * keeps its day and raw birth date (`$day`, `$birth`; `$birth` is never NULL then) for the decoders.
   */
  private traitTerms(encounters: EncountersMapping, grouping: PopulationGrouping): { expression: RawBuilder<unknown>; name: string }[] {
    const traits = grouping.traits;
    if (traits === null) return [];
    const patients = this.mapping.patients;
    const terms: { expression: RawBuilder<unknown>; name: string }[] = [];
    const gender = patients.gender;
    if (traits.sex && gender !== null && gender.kind === 'column') {
      terms.push(...unique([gender.column, ...gender.overrides.map((o) => o.column)]).map((column) => ({ expression: sql`${columnRef(column, 'p')}`, name: `${HIS_ROW_KEYS.sex}${column}` })));
    }
    const birth = patients.birthDate;
    if (traits.ageBand && birth !== null) {
      const start = this.dayOf(encounters.start, 'e');
      const born = this.dayOf(birth, 'p');
      const plain = sql<SqlBool>`(${this.plainlyValid(encounters.start, 'e')} and ${this.plainlyValid(birth, 'p')})`;
      const year = (day: RawBuilder<unknown>) => (isPostgresFamily(this.dialect) ? sql`cast(substr(${day}, 1, 4) as integer)` : sql`cast(substr(${day}, 1, 4) as signed)`);
      const age = sql`(${year(start)} - ${year(born)} - (case when substr(${start}, 5, 4) < substr(${born}, 5, 4) then 1 else 0 end))`;
      const low = isPostgresFamily(this.dialect) ? sql`((${age} / 5) * 5)` : sql`((${age} div 5) * 5)`;
      const band = sql`(case when ${age} < 0 then null when ${age} >= 85 then '85+' else concat(${low}, '-', ${low} + 4) end)`;
      terms.push(
        { expression: sql`(case when ${plain} then ${band} else null end)`, name: HIS_ROW_KEYS.ageBand },
        { expression: sql`(case when ${plain} then null else coalesce(${this.asText(columnRef(birth.column, 'p'))}, '') end)`, name: HIS_ROW_KEYS.birth },
        { expression: sql`(case when ${plain} then null else ${start} end)`, name: HIS_ROW_KEYS.day },
      );
    }
    return terms;
  }

  /** 0 for a diagnosis the mapping reads as PRIMARY, 1 otherwise: the role's `when`, values and default, in that order. */
  private roleOrder(diagnoses: EncounterDiagnosesMapping): RawBuilder<unknown> {
    const role = diagnoses.role;
    const order = (value: string | null): RawBuilder<unknown> => sql.lit(value === 'PRIMARY' ? 0 : 1);
    if (role.kind === 'constant') return order(role.value);
    const codesOf = (primary: boolean) => [...role.values].filter(([, value]) => (value === 'PRIMARY') === primary).map(([code]) => code);
    const whenIn = (codes: readonly string[], value: string) =>
      (codes.length === 0 ? [] : [sql`when ${sql.ref(`d.${role.column}`)} in (${sql.join(codes.map((c) => sql.val(c)))}) then ${order(value)}`]);
    const whens = [
      ...role.overrides.map((o) => sql`when ${sql.ref(`d.${o.column}`)} = ${sql.val(o.equals)} then ${order(o.value)}`),
      ...whenIn(codesOf(true), 'PRIMARY'),
      ...whenIn(codesOf(false), 'SECONDARY'),
    ];
    return whens.length === 0 ? order(role.fallback) : sql`(case ${sql.join(whens, sql` `)} else ${order(role.fallback ?? 'SECONDARY')} end)`;
  }

  /** The grouped expressions of `populationGroups`, each named as the decoder reads it. */
  private populationGroupTerms(encounters: EncountersMapping, grouping: PopulationGrouping): { expression: RawBuilder<unknown>; name: string }[] {
    const own = (column: string) => ({ expression: sql`${columnRef(column, 'e')}`, name: column });
    const terms: { expression: RawBuilder<unknown>; name: string }[] = [];
    if (encounters.class.kind === 'column') terms.push(...unique([encounters.class.column, ...encounters.class.overrides.map((o) => o.column)]).map(own));
    if (grouping.date === 'raw') terms.push(own(encounters.start.column));
    if (grouping.date === 'day' || grouping.date === 'month') {
      terms.push({ expression: this.dateCut(encounters.start, grouping.date === 'day' ? 8 : 6), name: encounters.start.column });
    }
    if (grouping.checkStart) {
      const ref = columnRef(encounters.start.column, 'e');
      terms.push({ expression: sql`(case when ${this.plainlyValid(encounters.start)} then null else ${ref} end)`, name: HIS_ROW_KEYS.start });
    }
    const rowDiagnoses = encounters.diagnoses?.kind === 'row' ? encounters.diagnoses : null;
    if (grouping.diagnoses === 'row' && rowDiagnoses !== null) {
      terms.push(...unique([rowDiagnoses.main?.code, rowDiagnoses.secondary?.codes, rowDiagnoses.system.kind === 'column' ? rowDiagnoses.system.column : undefined]).map(own));
    }
    if (grouping.person) terms.push({ expression: sql`${patientKeyRef(encounters.patientKey, 'e', 'v')}`, name: HIS_ROW_KEYS.patient });
    terms.push(...this.traitTerms(encounters, grouping));
    return terms;
  }

  /**
   * The first `length` digits of the start as `yyyyMMdd…` (8: the day, 6: the month), cut from the
   * value's text: `cast(… as char(20))` reads a BIGINT or DECIMAL as its digits and leaves text as it
   * is, on PostgreSQL, PGlite and MariaDB alike; `dd/MM/yyyy` is rearranged first.
   */
  private dateCut(column: DateColumn, length: 6 | 8): RawBuilder<unknown> {
    const text = this.asText(columnRef(column.column, 'e'));
    if (column.format === 'dd/MM/yyyy') {
      return length === 8 ? sql`concat(substr(${text}, 7, 4), substr(${text}, 4, 2), substr(${text}, 1, 2))` : sql`concat(substr(${text}, 7, 4), substr(${text}, 4, 2))`;
    }
    return sql`substr(${text}, 1, ${sql.lit(length)})`;
  }

  /** The day (`yyyyMMdd`) of a date column of `alias`, cut from its text as `dateCut` does. */
  private dayOf(column: DateColumn, alias: string): RawBuilder<unknown> {
    const text = this.asText(columnRef(column.column, alias));
    return column.format === 'dd/MM/yyyy' ? sql`concat(substr(${text}, 7, 4), substr(${text}, 4, 2), substr(${text}, 1, 2))` : sql`substr(${text}, 1, 8)`;
  }

  /** A value as the text a driver hands the decoder, trimmed and untruncated (a BIGINT as its digits). */
  private asText(ref: Expression<unknown>): RawBuilder<unknown> {
    return isPostgresFamily(this.dialect) ? sql`trim(cast(${ref} as text))` : sql`trim(cast(${ref} as char))`;
  }

  /**
   * True only for a start the mapping's decoder surely reads as a time on the day the statement
   * cuts out (hisDateFormats.ts): exactly the format's digits (or dd/MM/yyyy), a year from 1000, a
   * real calendar day (leap years too), hours to 23, minutes and seconds to 59. Sound, not complete:
   * anything else goes to the decoder itself (`$start`). Literals only: the expression is grouped by.
   */
  private plainlyValid(column: DateColumn, alias = 'e'): RawBuilder<SqlBool> {
    const text = this.asText(columnRef(column.column, alias));
    const shape = { yyyyMMddHHmmss: '^[0-9]{14}$', yyyyMMddHHmm: '^[0-9]{12}$', yyyyMMdd: '^[0-9]{8}$', 'dd/MM/yyyy': '^[0-9]{2}/[0-9]{2}/[0-9]{4}$' }[column.format as 'yyyyMMdd'] ?? '^$';
    const day = column.format === 'dd/MM/yyyy' ? sql`concat(substr(${text}, 7, 4), substr(${text}, 4, 2), substr(${text}, 1, 2))` : sql`substr(${text}, 1, 8)`;
    const year = isPostgresFamily(this.dialect) ? sql`cast(substr(${day}, 1, 4) as integer)` : sql`cast(substr(${day}, 1, 4) as signed)`;
    const leap = sql`(mod(${year}, 4) = 0 and (mod(${year}, 100) <> 0 or mod(${year}, 400) = 0))`;
    const lastDay = sql`(case substr(${day}, 5, 2) when '02' then (case when ${leap} then '29' else '28' end) when '04' then '30' when '06' then '30' when '09' then '30' when '11' then '30' else '31' end)`;
    const matches = isPostgresFamily(this.dialect) ? sql`${text} ~ ${sql.lit(shape)}` : sql`${text} regexp ${sql.lit(shape)}`;
    const time = column.format === 'yyyyMMddHHmmss'
      ? [sql`substr(${text}, 9, 2) <= '23'`, sql`substr(${text}, 11, 2) <= '59'`, sql`substr(${text}, 13, 2) <= '59'`]
      : column.format === 'yyyyMMddHHmm' ? [sql`substr(${text}, 9, 2) <= '23'`, sql`substr(${text}, 11, 2) <= '59'`] : [];
    // `case` keeps the order: the year is cast only once the shape is known to be digits.
    return sql<SqlBool>`(case when ${matches} then (${sql.join([
      sql`substr(${day}, 1, 4) >= '1000'`,
      sql`substr(${day}, 5, 2) between '01' and '12'`,
      sql`substr(${day}, 7, 2) between '01' and ${lastDay}`,
      ...time,
    ], sql` and `)}) else false end)`;
  }

  /** Patients by their local ids (the population's encounters' patients), one statement per chunk. */
  patientsByIds(ids: readonly string[]): HisQuery[] {
    const patients = this.mapping.patients;
    return chunk(unique(ids), this.chunkSize()).map((group) =>
      this.from(patients, 't')
        .select(this.columns('t', patientColumns(patients)))
        .where((eb) => eb.and([this.inList(columnRef(patients.id, 't'), group), ...this.filters(patients, 't')])));
  }

  /** Encounters whose start is in the window, one statement per encounter table: `$count`. */
  encounterCount(filter: AnalyticsFilter): HisQuery[] {
    return this.mapping.encounters.map((encounters) => this.from(encounters, 'e')
      .select(sql`count(*)`.as(HIS_ROW_KEYS.count))
      .where((eb) => eb.and([...this.filters(encounters, 'e'), ...this.window(encounters.start, filter)])));
  }

  /**
   * `--check`: does the table exist, do its joins compile (`column` null), does a column resolve?
   * `SELECT … WHERE 1 = 0` reads no row, so it costs nothing on a large table.
   */
  probe(source: TableSource, column: string | null): HisQuery {
    return this.from(source, 't').select(column === null ? sql`1`.as('x') : columnRef(column, 't').as('x')).where(sql<SqlBool>`1 = 0`);
  }

  /** `--check`: does one `where` condition compile with its bound value (column exists, value fits its type)? */
  probeFilter(source: TableSource, filter: RowFilter): HisQuery {
    return this.from(source, 't').select(sql`1`.as('x')).where((eb) => eb.and([this.filter(filter, 't'), sql<SqlBool>`1 = 0`]));
  }

  /** `--check`: a table named outside a TableSource (a `via` table), and one of its columns if given. */
  probeTable(table: string, column?: string): HisQuery {
    return this.db.selectFrom(sql.table(table).as('t')).select(column === undefined ? sql`1`.as('x') : sql.ref(`t.${column}`).as('x')).where(sql<SqlBool>`1 = 0`);
  }

  /** `--check`: up to `limit` patients rows as `findPatients` reads them (filters included), for no one in particular. */
  samplePatients(limit: number): HisQuery {
    const patients = this.mapping.patients;
    return this.from(patients, 't')
      .select(this.columns('t', patientColumns(patients)))
      .where((eb) => eb.and(this.filters(patients, 't')))
      .limit(limit);
  }

  /** `--check`: up to `limit` rows of one table of a kind as `resources` reads them (joins, filters, patient key), for no one in particular. */
  sample<K extends ClinicalResourceKind>(kind: K, table: SqlHisMapping[K][number], limit: number): HisQuery {
    const base = this.from(table, 't');
    const { via } = table.patientKey;
    const from = via === null ? base : base.innerJoin(sql.table(via.table).as('v'), (join) => join.on(this.equals(`v.${via.key}`, `t.${via.foreignKey}`)));
    return from
      .select([...this.columns('t', kindColumns(kind, table)), patientKeyRef(table.patientKey, 't', 'v').as(HIS_ROW_KEYS.patient)])
      .where((eb) => eb.and(this.filters(table, 't')))
      .limit(limit);
  }

  /** `--check`: up to `limit` rows of an encounter table's diagnosis child table, joined as `encounterDiagnoses` joins it. */
  sampleDiagnoses(encounters: EncountersMapping, limit: number): HisQuery | null {
    const diagnoses = encounters.diagnoses;
    if (diagnoses === null || diagnoses.kind !== 'table') return null;
    return this.fromEncounterDiagnoses(encounters, diagnoses)
      .select([...this.columns('d', diagnosisColumns(encounters)), columnRef(encounters.id, 'e').as(HIS_ROW_KEYS.encounter)])
      .where((eb) => eb.and([...this.filters(encounters, 'e'), ...this.filters(diagnoses, 'd')]))
      .limit(limit);
  }

  /** `table AS alias LEFT JOIN code_table AS alias_j ON …` for every declared join. */
  private from(source: TableSource, alias: string) {
    let query = this.db.selectFrom(sql.table(source.table).as(alias));
    for (const join of source.joins) {
      query = query.leftJoin(sql.table(join.table).as(`${alias}_${join.alias}`), (on) => on.on(sql<SqlBool>`${sql.join(
        join.on.map((pair) => sql`${sql.ref(`${alias}_${join.alias}.${pair.column}`)} = ${columnRef(pair.equals, alias)}`),
        sql` and `,
      )}`));
    }
    return query;
  }

  /** The table's `where` conditions, compiled with bound values. */
  private filters(source: TableSource, alias: string): RawBuilder<SqlBool>[] {
    return source.where.map((filter) => this.filter(filter, alias));
  }

  private filter(filter: RowFilter, alias: string): RawBuilder<SqlBool> {
    switch (filter.kind) {
      case 'equals':
        return sql<SqlBool>`${columnRef(filter.column, alias)} = ${sql.val(filter.value)}`;
      case 'in':
        return this.inList(columnRef(filter.column, alias), filter.values);
      case 'isNull':
        return sql<SqlBool>`${columnRef(filter.column, alias)} is null`;
      case 'not': {
        const inner = filter.condition;
        // A NULL is "not equal" to every value: `NOT (col = 1)` alone would drop the NULL rows too.
        if (inner.kind === 'equals' || inner.kind === 'in') {
          return sql<SqlBool>`(${columnRef(inner.column, alias)} is null or not (${this.filter(inner, alias)}))`;
        }
        return sql<SqlBool>`not (${this.filter(inner, alias)})`;
      }
    }
  }

  /** `diagnoses d JOIN encounters e [JOIN via v]`: the encounter side carries the patient key. */
  private fromEncounterDiagnoses(encounters: EncountersMapping, diagnoses: EncounterDiagnosesMapping) {
    let joined = this.from(diagnoses, 'd')
      .innerJoin(sql.table(encounters.table).as('e'), (join) => join.on(this.equals(`e.${encounters.id}`, `d.${diagnoses.encounterKey}`)));
    for (const join of encounters.joins) {
      joined = joined.leftJoin(sql.table(join.table).as(`e_${join.alias}`), (on) => on.on(sql<SqlBool>`${sql.join(
        join.on.map((pair) => sql`${sql.ref(`e_${join.alias}.${pair.column}`)} = ${columnRef(pair.equals, 'e')}`),
        sql` and `,
      )}`));
    }
    const { via } = encounters.patientKey;
    return via === null ? joined : joined.innerJoin(sql.table(via.table).as('v'), (join) => join.on(this.equals(`v.${via.key}`, `e.${via.foreignKey}`)));
  }

  /** The columns a decoder reads, each under its name in the mapping (`COL`, `alias.COL`). */
  private columns(alias: string, columns: readonly string[]) {
    return columns.map((column) => columnRef(column, alias).as(column));
  }

  private equals(left: string, right: string): RawBuilder<SqlBool> {
    return sql<SqlBool>`${sql.ref(left)} = ${sql.ref(right)}`;
  }

  /** `ref = ANY($1)` (one array parameter) on PostgreSQL, `ref IN (?, ?, …)` on MySQL/MariaDB. */
  private inList(ref: Expression<unknown>, values: readonly string[]): RawBuilder<SqlBool> {
    return isPostgresFamily(this.dialect)
      ? sql<SqlBool>`${ref} = any(${sql.val([...values])})`
      : sql<SqlBool>`${ref} in (${sql.join(values.map((value) => sql.val(value)))})`;
  }

  /** Conditions selecting rows whose date column is in the window (none when the window is open). */
  private window(column: DateColumn, filter: AnalyticsFilter): RawBuilder<SqlBool>[] {
    const ref = columnRef(column.column, 'e');
    // dd/MM/yyyy does not sort as text; its yyyyMMdd rearrangement does (substr/concat exist on both dialects).
    const sortable = column.format === 'dd/MM/yyyy' ? sql`concat(substr(${ref}, 7, 4), substr(${ref}, 4, 2), substr(${ref}, 1, 2))` : ref;
    return windowBounds(filter, column.format, this.dialect).map(
      (bound) => sql<SqlBool>`${sortable} ${sql.raw(bound.operator)} ${sql.val(bound.value)}`,
    );
  }

  private chunkSize(): number {
    return VALUES_PER_STATEMENT[this.dialect];
  }
}

/**
 * A mapped column in a statement: `COL` is the table's own (`alias.COL`), `j.COL` a join's
 * (`alias_j.COL`: join aliases are prefixed so they cannot collide with the statement's own).
 */
export function columnRef(column: string, alias: string) {
  const dot = column.indexOf('.');
  return dot < 0 ? sql.ref(`${alias}.${column}`) : sql.ref(`${alias}_${column.slice(0, dot)}.${column.slice(dot + 1)}`);
}

/** Where the patient key is: on the table itself, or on the `via` table it joins. */
function patientKeyRef(key: PatientKeyColumn, tableAlias: string, viaAlias: string) {
  return sql.ref(`${key.via === null ? tableAlias : viaAlias}.${key.column}`);
}

function groupByRef(terms: readonly { readonly ref: Expression<unknown>; readonly value: string }[]): [Expression<unknown>, string[]][] {
  const groups = new Map<Expression<unknown>, string[]>();
  for (const { ref, value } of terms) {
    const values = groups.get(ref);
    if (values) values.push(value);
    else groups.set(ref, [value]);
  }
  return [...groups];
}

/** Chunks of at most `size`; at least one (possibly empty) chunk when `keepOne`. */
function chunk<T>(items: readonly T[], size: number, keepOne = false): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  if (keepOne && chunks.length === 0) chunks.push([]);
  return chunks;
}
