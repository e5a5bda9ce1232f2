import { sql, type CompiledQuery, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { ClinicalResourceKind } from '../../core/model/clinical';
import type { AnalyticsFilter, PatientLookup } from '../sdk/ClinicalAdapter';
import { decodeHisDate, encodeHisDate, windowBounds } from './hisDateFormats';
import { HIS_ROW_KEYS, type HisRow } from './hisRowValues';
import { isPostgresFamily, type SqlDialectName } from './sqlDialects';
import type {
  CodeColumn,
  DateColumn,
  EncountersMapping,
  EnumField,
  PatientKeyColumn,
  ResourceTableMapping,
  SqlHisMapping,
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
 * - `resources(kind)`: the kind's table (joined to the table holding the patient key when the
 *   mapping says `via`);
 * - `encounterDiagnoses`: the diagnosis child table joined to its encounters;
 * - `diagnosisCounts` / `encounterCount`: `GROUP BY` / `COUNT` over the encounters in the window.
 * Building is pure; running is the caller's (the adapter's) business.
 */
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
    if (patients.nationalId !== null) {
      const ref = sql.ref(`t.${patients.nationalId}`);
      terms.push(...lookup.nationalIds.map((value) => ({ ref, value })));
    }
    if (patients.insuranceNumber !== null) {
      const { column, bhxhColumn } = patients.insuranceNumber;
      // The last 10 characters of a card code or of a bare BHXH code are the BHXH code (SqlHisMapping).
      const ref = bhxhColumn !== null ? sql.ref(`t.${bhxhColumn}`) : sql`right(${sql.ref(`t.${column}`)}, 10)`;
      terms.push(...lookup.socialInsuranceNumbers.map((value) => ({ ref, value })));
    }
    const birth = patients.birthDate;
    if (birth !== null && birth.format !== 'timestamp') {
      const column = sql.ref(`t.${birth.column}`);
      const ref = birth.format === 'yyyyMMddHHmm' ? sql`left(${column}, 8)` : column;
      const format = birth.format;
      // Only real dates: anything else would match nothing, but could fail a DATE column's parse.
      const dates = lookup.birthDates.filter((date) => decodeHisDate(date, 'date') === date);
      terms.push(...dates.map((date) => ({ ref, value: encodeHisDate(date, format) })));
    }
    return chunk(terms, this.chunkSize()).map((group) =>
      this.db
        .selectFrom(sql.table(patients.table).as('t'))
        .select(this.columns('t', patientColumns(this.mapping)))
        .where((eb) => eb.or(groupByRef(group).map(([ref, values]) => this.inList(ref, values))))
        .orderBy(sql.ref(`t.${patients.id}`)));
  }

  /** Rows of one kind for a batch of local patient ids; none when the hospital has no such table. */
  resources(kind: ClinicalResourceKind, patientIds: readonly string[]): HisQuery[] {
    const table = this.mapping[kind];
    if (table === undefined || patientIds.length === 0) return [];
    return chunk(unique(patientIds), this.chunkSize()).map((ids) => {
      const base = this.db.selectFrom(sql.table(table.table).as('t'));
      const { via } = table.patientKey;
      const from = via === null ? base : base.innerJoin(sql.table(via.table).as('v'), (join) => join.on(this.equals(`v.${via.key}`, `t.${via.foreignKey}`)));
      const patientRef = patientKeyRef(table.patientKey, 't', 'v');
      return from
        .select([...this.columns('t', resourceColumns(kind, this.mapping)), patientRef.as(HIS_ROW_KEYS.patient)])
        .where(this.inList(patientRef, ids))
        .orderBy(sql.ref(`t.${table.id}`));
    });
  }

  /** Diagnosis rows of the encounters of a batch of patients, each with its encounter id. */
  encounterDiagnoses(patientIds: readonly string[]): HisQuery[] {
    const encounters = this.mapping.encounters;
    const diagnoses = encounters?.diagnoses;
    if (encounters === undefined || diagnoses === undefined || diagnoses === null || patientIds.length === 0) return [];
    return chunk(unique(patientIds), this.chunkSize()).map((ids) => {
      const patientRef = patientKeyRef(encounters.patientKey, 'e', 'v');
      return this.fromEncounterDiagnoses(encounters)
        .select([...this.columns('d', diagnosisColumns(encounters)), sql.ref(`e.${encounters.id}`).as(HIS_ROW_KEYS.encounter)])
        .where(this.inList(patientRef, ids));
    });
  }

  /** Encounters per main diagnosis code in the window: `$code`, `$display`, `$count`. */
  diagnosisCounts(filter: AnalyticsFilter): HisQuery | null {
    const encounters = this.mapping.encounters;
    const diagnoses = encounters?.diagnoses;
    if (encounters === undefined || diagnoses === undefined || diagnoses === null) return null;
    const primaryCodes = [...diagnoses.role.values].filter(([, role]) => role === 'PRIMARY').map(([code]) => code);
    if (primaryCodes.length === 0) return null;
    const code = sql.ref(`d.${diagnoses.code.column}`);
    const display = diagnoses.code.display === null ? sql<null>`null` : sql`max(${sql.ref(`d.${diagnoses.code.display}`)})`;
    return this.fromEncounterDiagnoses(encounters)
      .select([code.as(HIS_ROW_KEYS.code), display.as(HIS_ROW_KEYS.display), sql`count(distinct ${sql.ref(`e.${encounters.id}`)})`.as(HIS_ROW_KEYS.count)])
      .where((eb) => eb.and([this.inList(sql.ref(`d.${diagnoses.role.column}`), primaryCodes), ...this.window(encounters.start, filter)]))
      .groupBy(code);
  }

  /** Encounters whose start is in the window: `$count`. */
  encounterCount(filter: AnalyticsFilter): HisQuery | null {
    const encounters = this.mapping.encounters;
    if (encounters === undefined) return null;
    return this.db
      .selectFrom(sql.table(encounters.table).as('e'))
      .select(sql`count(*)`.as(HIS_ROW_KEYS.count))
      .where((eb) => eb.and(this.window(encounters.start, filter)));
  }

  /** `diagnoses d JOIN encounters e [JOIN via v]`: the encounter side carries the patient key. */
  private fromEncounterDiagnoses(encounters: EncountersMapping) {
    const diagnoses = encounters.diagnoses as NonNullable<EncountersMapping['diagnoses']>;
    const joined = this.db
      .selectFrom(sql.table(diagnoses.table).as('d'))
      .innerJoin(sql.table(encounters.table).as('e'), (join) => join.on(this.equals(`e.${encounters.id}`, `d.${diagnoses.encounterKey}`)));
    const { via } = encounters.patientKey;
    return via === null ? joined : joined.innerJoin(sql.table(via.table).as('v'), (join) => join.on(this.equals(`v.${via.key}`, `e.${via.foreignKey}`)));
  }

  /** The columns a decoder reads, each under its own name. */
  private columns(alias: string, columns: readonly string[]) {
    return columns.map((column) => sql.ref(`${alias}.${column}`).as(column));
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
    const ref = sql.ref(`e.${column.column}`);
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

/** Every column of the patients table a `SourcePatient` is read from. */
function patientColumns(mapping: SqlHisMapping): string[] {
  const p = mapping.patients;
  const name = p.name === null ? [] : p.name.kind === 'full' ? [p.name.column] : [p.name.family, p.name.given];
  return unique([p.id, p.nationalId, p.insuranceNumber?.column, ...name, p.birthDate?.column, ...enumColumns(p.gender)]);
}

/** Every column of a kind's table its decoder reads (toClinicalResource). */
function resourceColumns(kind: ClinicalResourceKind, mapping: SqlHisMapping): string[] {
  const base = (table: ResourceTableMapping): string[] => [table.id];
  switch (kind) {
    case 'encounters': {
      const m = mapping.encounters;
      if (m === undefined) return [];
      const c = m.cost;
      const cost = c === null ? [] : [c.total, c.insurancePaid, c.patientCoPay, c.patientSelfPay, c.insuranceCard];
      return unique([...base(m), ...enumColumns(m.status), ...enumColumns(m.class), m.start.column, m.end?.column, m.reason, m.departments?.column, ...cost]);
    }
    case 'conditions': {
      const m = mapping.conditions;
      return m === undefined ? [] : unique([...base(m), ...codeColumns(m.code), ...enumColumns(m.clinicalStatus), m.recorded?.column, m.encounter]);
    }
    case 'observations': {
      const m = mapping.observations;
      return m === undefined ? [] : unique([...base(m), ...codeColumns(m.code), ...enumColumns(m.status), m.value, m.unit, m.unitCode, m.interpretation, m.effective?.column, m.encounter]);
    }
    case 'medications': {
      const m = mapping.medications;
      return m === undefined ? [] : unique([...base(m), ...codeColumns(m.medication), ...enumColumns(m.status), m.dosage, m.quantity, m.quantityUnit, m.route, m.authored?.column, m.encounter]);
    }
    case 'procedures': {
      const m = mapping.procedures;
      return m === undefined ? [] : unique([...base(m), ...codeColumns(m.code), ...enumColumns(m.status), m.performed?.column, m.encounter]);
    }
    case 'allergies': {
      const m = mapping.allergies;
      return m === undefined ? [] : unique([...base(m), ...codeColumns(m.code), ...enumColumns(m.category), ...enumColumns(m.criticality), m.reaction, m.recorded?.column]);
    }
  }
}

function diagnosisColumns(encounters: EncountersMapping): string[] {
  const d = encounters.diagnoses;
  return d === null ? [] : unique([...codeColumns(d.code), ...enumColumns(d.role), d.rank]);
}

function enumColumns<T extends string>(field: EnumField<T> | null): string[] {
  if (field === null || field.kind === 'constant') return [];
  return [field.column, ...field.overrides.map((o) => o.column)];
}

function codeColumns(code: CodeColumn): (string | null)[] {
  return [code.column, code.display, code.system.kind === 'column' ? code.system.column : null];
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

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

function unique<T>(values: readonly (T | null | undefined)[]): T[] {
  return [...new Set(values.filter((value): value is T => value !== null && value !== undefined))];
}
