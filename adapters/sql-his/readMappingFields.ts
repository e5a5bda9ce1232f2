import { ConfigError } from '../../core/config/ConfigError';
import type { ConfigReader } from '../../core/config/ConfigReader';
import { CODE_SYSTEMS } from '../../contracts/model/clinical';
import {
  HIS_DATE_FORMATS,
  type CodeColumn,
  type CodeSystemSource,
  type DateColumn,
  type EnumField,
  type HisDateFormat,
  type IdentifierColumn,
  type PatientKeyColumn,
  type RowFilter,
  type TableJoin,
  type TableSource,
  type ValueMapField,
  type ValueOverride,
} from './SqlHisMapping';
import {
  COLUMN_REF_HINT,
  COLUMN_REF_PATTERN,
  JOIN_ALIAS_HINT,
  JOIN_ALIAS_PATTERN,
  SQL_IDENTIFIER_HINT,
  SQL_IDENTIFIER_PATTERN,
  SQL_TABLE_NAME_HINT,
  SQL_TABLE_NAME_PATTERN,
} from './sqlIdentifier';

/**
 * Readers for the building blocks of a mapping (columns, dates, value maps, codes, patient keys).
 * Each names the key path in its error (ConfigReader), so a mapping author sees which key is wrong.
 */

export function readTable(reader: ConfigReader, key = 'table'): string {
  return reader.string(key, { pattern: SQL_TABLE_NAME_PATTERN, patternHint: SQL_TABLE_NAME_HINT });
}

/** A column of the mapped table (`IN_TIME`), or of one of its joins (`idx.TEST_INDEX_NAME`). */
export function readColumn(reader: ConfigReader, key: string): string {
  const column = reader.string(key, { pattern: COLUMN_REF_PATTERN, patternHint: COLUMN_REF_HINT });
  // The column is selected under this name: PostgreSQL cuts names after 63 bytes, and a cut name
  // would read as a NULL column.
  if (column.length > 63) reader.fail(key, 'expected alias.COLUMN of at most 63 characters in all (a shorter join alias)');
  return column;
}

/** A column of the mapped table itself (ids and keys: never through a join). */
export function readOwnColumn(reader: ConfigReader, key: string): string {
  return reader.string(key, { pattern: SQL_IDENTIFIER_PATTERN, patternHint: SQL_IDENTIFIER_HINT });
}

/**
 * `table`, `joins` and `where` of a mapped table. Joins: `[{ alias: idx, table: HIS_TEST_INDEX,
 * on: { column: ID, equals: TEST_INDEX_ID } }]` (`on` may be a list: every pair must be equal);
 * where: a list of conditions (`readRowFilter`), all of which a row must meet. Every `alias.`
 * column of the section must name a join declared before it is used (`checkColumnRefs`).
 */
export function readTableSource(reader: ConfigReader): TableSource {
  const joins: TableJoin[] = [];
  for (const item of reader.has('joins') ? reader.list('joins') : []) {
    item.rejectUnknownKeys(['alias', 'table', 'on']);
    const alias = item.string('alias', { pattern: JOIN_ALIAS_PATTERN, patternHint: JOIN_ALIAS_HINT });
    if (joins.some((join) => join.alias === alias)) item.fail('alias', `the alias "${alias}" is already used by another join`);
    const pairs = listOrSection(item, 'on').map((pair) => {
      pair.rejectUnknownKeys(['column', 'equals']);
      const equals = readColumn(pair, 'equals');
      checkAlias(pair, 'equals', equals, joins);
      return { column: readOwnColumn(pair, 'column'), equals };
    });
    joins.push({ alias, table: readTable(item), on: pairs });
  }
  const where = reader.has('where') ? reader.list('where').map((item) => readRowFilter(item, joins)) : [];
  return { table: readTable(reader), joins, where, key: reader.path };
}

/**
 * `{ column: IS_DELETE, equals: "1" }`, `{ column: SERVICE_TYPE_ID, in: ["2", "3"] }`,
 * `{ column: DELETED_AT, isNull: true }`, `{ not: <condition> }`. Values are quoted strings,
 * bound as parameters (the database converts them to the column's type).
 */
export function readRowFilter(item: ConfigReader, joins: readonly TableJoin[]): RowFilter {
  const key = item.path;
  if (item.has('not')) {
    item.rejectUnknownKeys(['not']);
    return { kind: 'not', condition: readRowFilter(item.object('not'), joins), key };
  }
  const forms = ['equals', 'in', 'isNull'].filter((form) => item.has(form));
  if (forms.length !== 1) item.fail(forms[1] ?? 'column', 'expected exactly one of equals, in, isNull (or { not: <condition> })');
  item.rejectUnknownKeys(['column', 'equals', 'in', 'isNull']);
  const column = readColumn(item, 'column');
  checkAlias(item, 'column', column, joins);
  if (item.has('equals')) return { kind: 'equals', column, value: readCodes(item, 'equals')[0] as string, key };
  if (item.has('in')) return { kind: 'in', column, values: readCodes(item, 'in'), key };
  const isNull = item.boolean('isNull', true);
  const condition: RowFilter = { kind: 'isNull', column, key };
  return isNull ? condition : { kind: 'not', condition, key };
}

/** Fails when `value` is `alias.COLUMN` and no join of that alias is declared. */
export function checkAlias(reader: ConfigReader, key: string, value: string, joins: readonly TableJoin[]): void {
  const dot = value.indexOf('.');
  if (dot < 0) return;
  const alias = value.slice(0, dot);
  if (!joins.some((join) => join.alias === alias)) {
    reader.fail(key, `"${alias}." names no join of this table (declared: ${joins.map((j) => j.alias).join(', ') || 'none'})`);
  }
}

/**
 * `identifiers: [{ column: CMND_NUMBER, system: "urn:vn:cmnd", matchAs: nationalId }]`: columns
 * exposed (and, with `matchAs`, matched) with their systems.
 */
export function readIdentifiers(reader: ConfigReader, joins: readonly TableJoin[]): IdentifierColumn[] {
  return (reader.has('identifiers') ? reader.list('identifiers') : []).map((item) => {
    item.rejectUnknownKeys(['column', 'system', 'matchAs']);
    const column = readColumn(item, 'column');
    checkAlias(item, 'column', column, joins);
    return {
      column,
      system: item.string('system', { pattern: /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/, patternHint: 'an identifier system URI (urn:vn:cmnd, https://…)' }),
      matchAs: item.has('matchAs') ? item.oneOf('matchAs', ['nationalId', 'insuranceNumber'] as const) : null,
    };
  });
}

/** A key holding one section or a list of them. */
export function listOrSection(reader: ConfigReader, key: string): ConfigReader[] {
  try {
    return reader.list(key);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return [reader.object(key)];
  }
}

export function readOptionalColumn(reader: ConfigReader, key: string): string | null {
  return reader.has(key) ? readColumn(reader, key) : null;
}

/** `{ column: ngay_vao, format: yyyyMMddHHmm }`; `formats` narrows what this field accepts. */
/** Formats of a point in time: a year alone (`yyyy`) is only accepted where the field says so (birth dates). */
const TIME_FORMATS = HIS_DATE_FORMATS.filter((format) => format !== 'yyyy');

export function readDateColumn(reader: ConfigReader, key: string, formats: readonly HisDateFormat[] = TIME_FORMATS): DateColumn {
  const section = reader.object(key);
  section.rejectUnknownKeys(['column', 'format']);
  return { column: readColumn(section, 'column'), format: section.oneOf('format', formats), key: section.path };
}

export function readOptionalDateColumn(reader: ConfigReader, key: string): DateColumn | null {
  return reader.has(key) ? readDateColumn(reader, key) : null;
}

/**
 * An enumeration: `{ constant: FINISHED }`, or
 * `{ column: gioi_tinh, values: { MALE: "1", FEMALE: "2", UNKNOWN: ["3", "0"] }, default: UNKNOWN,
 *    when: [{ column: ma_doituong_kcb, equals: "2", value: EMERGENCY }] }`.
 * `values` is keyed by the contract value (a closed set, so a typo is caught) and lists the codes
 * the HIS writes for it. `fallback` applies when the field gives no `default`.
 */
export function readEnumField<T extends string>(reader: ConfigReader, key: string, members: readonly T[], fallback: T | null): EnumField<T> {
  const section = reader.object(key);
  if (section.has('constant')) {
    section.rejectUnknownKeys(['constant']);
    return { kind: 'constant', value: section.oneOf('constant', members) };
  }
  return readValueMap(section, members, fallback);
}

export function readOptionalEnumField<T extends string>(reader: ConfigReader, key: string, members: readonly T[]): EnumField<T> | null {
  return reader.has(key) ? readEnumField(reader, key, members, null) : null;
}

/** The column form of an enumeration (see `readEnumField`), read from its own section. */
export function readValueMap<T extends string>(section: ConfigReader, members: readonly T[], fallback: T | null): ValueMapField<T> {
  section.rejectUnknownKeys(['column', 'values', 'default', 'when']);
  const column = readColumn(section, 'column');
  const table = section.object('values');
  table.rejectUnknownKeys(members);
  const values = new Map<string, T>();
  for (const member of members) {
    if (!table.has(member)) continue;
    for (const code of readCodes(table, member)) {
      if (values.has(code)) throw new ConfigError(`${table.path}.${member}`, `the source code "${code}" is already mapped to ${values.get(code)}`);
      values.set(code, member);
    }
  }
  const overrides = section.has('when') ? section.list('when').map((item) => readOverride(item, members)) : [];
  const hasDefault = section.has('default');
  return { kind: 'column', column, values, fallback: hasDefault ? section.oneOf('default', members) : fallback, overrides, hasDefault, key: section.path };
}

/** `{ column: ma_benh, display: ten_benh, system: ICD10 }`; system is a CODE_SYSTEMS name, a URI, or `{ column, map }`. */
export function readCodeColumn(reader: ConfigReader, key: string): CodeColumn {
  const section = reader.object(key);
  section.rejectUnknownKeys(['column', 'display', 'system']);
  return { column: readColumn(section, 'column'), display: readOptionalColumn(section, 'display'), system: readCodeSystem(section) };
}

/** `patientKey: ma_bn`, or `{ column: ma_bn, via: { table: luot_kham, key: ma_lk, foreignKey: ma_lk } }`. */
export function readPatientKey(reader: ConfigReader, key = 'patientKey'): PatientKeyColumn {
  const value = stringOrSection(reader, key, 'a column name, or { column, via: { table, key, foreignKey } }');
  if (typeof value === 'string') return { column: readOwnColumn(reader, key), via: null };
  value.rejectUnknownKeys(['column', 'via']);
  const via = value.optionalObject('via');
  via?.rejectUnknownKeys(['table', 'key', 'foreignKey']);
  return {
    column: readOwnColumn(value, 'column'),
    via: via ? { table: readTable(via), key: readOwnColumn(via, 'key'), foreignKey: readOwnColumn(via, 'foreignKey') } : null,
  };
}

const NAMED_SYSTEMS = Object.keys(CODE_SYSTEMS) as (keyof typeof CODE_SYSTEMS)[];
/** A CODE_SYSTEMS name or an absolute URI (`http://loinc.org`, `urn:oid:…`). */
const SYSTEM_PATTERN = new RegExp(`^(${NAMED_SYSTEMS.join('|')}|[A-Za-z][A-Za-z0-9+.-]*:\\S+)$`);
const SYSTEM_HINT = `a code system: one of ${NAMED_SYSTEMS.join(', ')}, a URI, or { column, map: [{ value, system }] }`;

export function readCodeSystem(section: ConfigReader): CodeSystemSource {
  const value = stringOrSection(section, 'system', SYSTEM_HINT);
  if (typeof value === 'string') return { kind: 'constant', uri: systemUri(section, 'system') };
  value.rejectUnknownKeys(['column', 'map']);
  const uris = new Map<string, string>();
  for (const entry of value.list('map')) {
    entry.rejectUnknownKeys(['value', 'system']);
    uris.set(readCodes(entry, 'value')[0] as string, systemUri(entry, 'system'));
  }
  return { kind: 'column', column: readColumn(value, 'column'), uris, key: value.path };
}

function systemUri(reader: ConfigReader, key: string): string {
  const value = reader.string(key, { pattern: SYSTEM_PATTERN, patternHint: SYSTEM_HINT });
  const named = NAMED_SYSTEMS.find((name) => name === value);
  return named ? CODE_SYSTEMS[named] : value;
}

function readOverride<T extends string>(item: ConfigReader, members: readonly T[]): ValueOverride<T> {
  item.rejectUnknownKeys(['column', 'equals', 'value']);
  return { column: readColumn(item, 'column'), equals: readCodes(item, 'equals')[0] as string, value: item.oneOf('value', members) };
}

/** A source code or a list of them, as strings: a YAML author quotes numeric codes ("01" ≠ 1). */
export function readCodes(reader: ConfigReader, key: string): string[] {
  let file: string | undefined;
  try {
    return [reader.string(key)];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    file = error.file;
  }
  try {
    const codes = reader.stringList(key);
    if (codes.length > 0) return codes;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
  }
  throw new ConfigError(pathOf(reader, key), 'expected a source code as a quoted string (e.g. "1"), or a non-empty list of them', file);
}

/** A key that is either a plain string or a section; which one decides the form of the field. */
function stringOrSection(reader: ConfigReader, key: string, hint: string): string | ConfigReader {
  try {
    return reader.string(key);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
  }
  try {
    return reader.object(key);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(error.key, `expected ${hint}`, error.file);
  }
}

function pathOf(reader: ConfigReader, key: string): string {
  return reader.path ? `${reader.path}.${key}` : key;
}
