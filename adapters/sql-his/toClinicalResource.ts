import type {
  AllergyIntolerance,
  Condition,
  Encounter,
  EncounterCost,
  EncounterDiagnosis,
  MedicationRequest,
  Observation,
  Procedure,
} from '../../contracts/model/clinical';
import type { RecordIdentifier, ReferenceRange } from '../../contracts/model/clinical';
import type { ValueProblem } from '../sdk/valueProblems';
import { readHisDateTime } from './hisDateFormats';
import { codingOf, enumOf, HIS_ROW_KEYS, numberOf, optionalNumber, optionalText, requiredEnumOf, textOf, type HisRow } from './hisRowValues';
import type {
  AllergiesMapping,
  ConditionsMapping,
  DateColumn,
  EncounterCostColumns,
  EncounterDiagnosesMapping,
  IdentifierColumn,
  ReferenceRangeColumns,
  RowDiagnosesMapping,
  EncountersMapping,
  MedicationsMapping,
  ObservationsMapping,
  ProceduresMapping,
} from './SqlHisMapping';

/**
 * HIS rows → contract resources (contracts/model/clinical, FHIR R4-shaped), one function per kind,
 * driven by the mapping. Pure. A row whose id or code is empty is not a record and gives null; the
 * caller drops it (a NOT NULL the HIS does not enforce must not become a half-empty chart entry).
 * A value that does not fit its declared format is pushed to `problems` (field path, mapping key)
 * and read as null: the caller reports it on the item, never drops it silently.
 */

/** Collects the value problems of one row. */
export type Problems = ValueProblem[];

export function toEncounter(row: HisRow, mapping: EncountersMapping, diagnoses: readonly EncounterDiagnosis[], problems: Problems = []): Encounter | null {
  const id = idOf(row, mapping);
  if (id === null) return null;
  const identifiers = identifiersOf(row, mapping.identifiers);
  return {
    id,
    status: requiredEnumOf(row, mapping.status, 'UNKNOWN'),
    class: requiredEnumOf(row, mapping.class, 'OTHER'),
    period: { start: dateTimeOf(row, mapping.start, 'period.start', problems), end: dateTimeOf(row, mapping.end, 'period.end', problems) },
    reasonText: optionalText(row, mapping.reason),
    diagnoses: mapping.diagnoses?.kind === 'row' ? rowDiagnosesOf(row, mapping.diagnoses) : diagnoses,
    departmentCodes: mapping.departments === null ? [] : listOf(row[mapping.departments.column], mapping.departments.separator),
    cost: mapping.cost === null ? null : costOf(row, mapping.cost),
    ...(mapping.identifiers.length > 0 ? { identifiers } : {}),
  };
}

/**
 * Diagnoses on the encounter row: the main code first (PRIMARY), then each secondary code of the
 * `;`-list (SECONDARY) with the name at the same position of the names list, ranked 1, 2, ….
 * A secondary code equal to the main one is not repeated.
 */
export function rowDiagnosesOf(row: HisRow, mapping: RowDiagnosesMapping): EncounterDiagnosis[] {
  const system = mapping.system.kind === 'constant' ? mapping.system.uri : mapping.system.uris.get(textOf(row[mapping.system.column]) ?? '') ?? null;
  const result: EncounterDiagnosis[] = [];
  const main = mapping.main === null ? null : textOf(row[mapping.main.code]);
  if (mapping.main !== null && main !== null) {
    result.push({ code: { system, code: main, display: optionalText(row, mapping.main.display) }, role: 'PRIMARY', rank: 1 });
  }
  if (mapping.secondary !== null) {
    const { codes, displays, separator } = mapping.secondary;
    const names = displays === null ? [] : (textOf(row[displays]) ?? '').split(separator).map((name) => textOf(name));
    (textOf(row[codes]) ?? '').split(separator).forEach((raw, index) => {
      const code = textOf(raw);
      if (code === null || code === main || result.some((d) => d.code.code === code)) return;
      result.push({ code: { system, code, display: names[index] ?? null }, role: 'SECONDARY', rank: result.length + 1 });
    });
  }
  return result;
}

/**
 * Diagnosis rows (each with its encounter id under `$encounter`) → diagnoses per encounter id,
 * ordered by rank (or primary first, then by code) and ranked 1, 2, … in that order.
 */
export function toEncounterDiagnoses(rows: readonly HisRow[], mapping: EncounterDiagnosesMapping): Map<string, EncounterDiagnosis[]> {
  const byEncounter = new Map<string, { diagnosis: EncounterDiagnosis; order: number }[]>();
  for (const row of rows) {
    const encounterId = textOf(row[HIS_ROW_KEYS.encounter]);
    const code = codingOf(row, mapping.code);
    if (encounterId === null || code === null) continue;
    const role = requiredEnumOf(row, mapping.role, 'SECONDARY');
    const order = optionalNumber(row, mapping.rank) ?? (role === 'PRIMARY' ? 0 : 1);
    const list = byEncounter.get(encounterId) ?? [];
    list.push({ diagnosis: { code, role, rank: 0 }, order });
    byEncounter.set(encounterId, list);
  }
  const result = new Map<string, EncounterDiagnosis[]>();
  for (const [encounterId, list] of byEncounter) {
    list.sort((a, b) => a.order - b.order || compare(a.diagnosis.code.code, b.diagnosis.code.code));
    result.set(encounterId, list.map(({ diagnosis }, index) => ({ ...diagnosis, rank: index + 1 })));
  }
  return result;
}

export function toCondition(row: HisRow, mapping: ConditionsMapping, problems: Problems = []): Condition | null {
  const id = idOf(row, mapping);
  const code = codingOf(row, mapping.code);
  if (id === null || code === null) return null;
  return {
    id,
    code,
    clinicalStatus: requiredEnumOf(row, mapping.clinicalStatus, 'UNKNOWN'),
    recordedDate: dateTimeOf(row, mapping.recorded, 'recordedDate', problems),
    encounterId: optionalText(row, mapping.encounter),
  };
}

export function toObservation(row: HisRow, mapping: ObservationsMapping, problems: Problems = []): Observation | null {
  const id = idOf(row, mapping);
  const code = codingOf(row, mapping.code);
  if (id === null || code === null) return null;
  const raw = mapping.value === null ? null : row[mapping.value];
  const value = numberOf(raw);
  return {
    id,
    status: requiredEnumOf(row, mapping.status, 'UNKNOWN'),
    code,
    // QĐ 130 XML4 GIA_TRI is text: numeric text is a quantity, anything else ("Âm tính") a string value.
    valueQuantity: value === null ? null : { value, unit: optionalText(row, mapping.unit), code: optionalText(row, mapping.unitCode) },
    valueString: value === null ? textOf(raw) : null,
    interpretation: optionalText(row, mapping.interpretation),
    ...(mapping.referenceRange === null ? {} : { referenceRange: referenceRangeOf(row, mapping.referenceRange) }),
    effectiveDateTime: dateTimeOf(row, mapping.effective, 'effectiveDateTime', problems),
    encounterId: optionalText(row, mapping.encounter),
  };
}

export function toMedication(row: HisRow, mapping: MedicationsMapping, problems: Problems = []): MedicationRequest | null {
  const id = idOf(row, mapping);
  const medication = codingOf(row, mapping.medication);
  if (id === null || medication === null) return null;
  const quantity = optionalNumber(row, mapping.quantity);
  return {
    id,
    status: requiredEnumOf(row, mapping.status, 'UNKNOWN'),
    medication,
    dosageText: optionalText(row, mapping.dosage),
    quantity: quantity === null ? null : { value: quantity, unit: optionalText(row, mapping.quantityUnit), code: null },
    route: optionalText(row, mapping.route),
    authoredOn: dateTimeOf(row, mapping.authored, 'authoredOn', problems),
    encounterId: optionalText(row, mapping.encounter),
  };
}

export function toProcedure(row: HisRow, mapping: ProceduresMapping, problems: Problems = []): Procedure | null {
  const id = idOf(row, mapping);
  const code = codingOf(row, mapping.code);
  if (id === null || code === null) return null;
  return {
    id,
    status: requiredEnumOf(row, mapping.status, 'UNKNOWN'),
    code,
    performedDateTime: dateTimeOf(row, mapping.performed, 'performedDateTime', problems),
    encounterId: optionalText(row, mapping.encounter),
  };
}

export function toAllergy(row: HisRow, mapping: AllergiesMapping, problems: Problems = []): AllergyIntolerance | null {
  const id = idOf(row, mapping);
  const code = codingOf(row, mapping.code);
  if (id === null || code === null) return null;
  return {
    id,
    code,
    category: mapping.category === null ? null : enumOf(row, mapping.category),
    criticality: mapping.criticality === null ? null : enumOf(row, mapping.criticality),
    reactionText: optionalText(row, mapping.reaction),
    recordedDate: dateTimeOf(row, mapping.recorded, 'recordedDate', problems),
  };
}

/** QĐ 130 costs (T_TONGCHI_BV, T_BHTT, T_BNCCT, T_BNTT; docs/standards.md §3.1); null when none is recorded. */
function costOf(row: HisRow, columns: EncounterCostColumns): EncounterCost | null {
  const cost: EncounterCost = {
    total: optionalNumber(row, columns.total),
    insurancePaid: optionalNumber(row, columns.insurancePaid),
    patientCoPay: optionalNumber(row, columns.patientCoPay),
    patientSelfPay: optionalNumber(row, columns.patientSelfPay),
    insuranceCardUsed: optionalText(row, columns.insuranceCard),
  };
  return Object.values(cost).every((value) => value === null) ? null : cost;
}

/** A date column's value; a value that does not fit the format is a problem (and null). */
function dateTimeOf(row: HisRow, column: DateColumn | null, field: string, problems: Problems): string | null {
  if (column === null) return null;
  const reading = readHisDateTime(row[column.column], column.format);
  if (reading.kind === 'value') return reading.value;
  if (reading.kind === 'invalid') problems.push({ field, mappingKey: column.key, expected: column.format });
  return null;
}

/** The row id, after the table's `idPrefix` (one kind merged from several tables). */
function idOf(row: HisRow, mapping: { readonly id: string; readonly idPrefix: string }): string | null {
  const id = textOf(row[mapping.id]);
  return id === null ? null : `${mapping.idPrefix}${id}`;
}

function identifiersOf(row: HisRow, columns: readonly IdentifierColumn[]): RecordIdentifier[] {
  return columns.flatMap((column) => {
    const value = textOf(row[column.column]);
    return value === null ? [] : [{ system: column.system, value }];
  });
}

/** The ranges of a result that hold anything (a sex whose columns are all empty has no range). */
function referenceRangeOf(row: HisRow, columns: ReferenceRangeColumns): ReferenceRange[] {
  return columns.ranges.flatMap((set) => {
    const range = { low: optionalNumber(row, set.low), high: optionalNumber(row, set.high), text: optionalText(row, set.text), appliesTo: set.appliesTo };
    return range.low === null && range.high === null && range.text === null ? [] : [range];
  });
}

/** A multi-valued column (QĐ 130 joins values with `;`); a driver's array (PostgreSQL text[]) is taken as is. */
function listOf(value: unknown, separator: string): string[] {
  const items = Array.isArray(value) ? value.map(textOf) : (textOf(value) ?? '').split(separator).map(textOf);
  return items.filter((item): item is string => item !== null);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
