import type {
  AllergyIntolerance,
  Condition,
  Encounter,
  EncounterCost,
  EncounterDiagnosis,
  MedicationRequest,
  Observation,
  Procedure,
} from '../../core/model/clinical';
import { decodeHisDateTime } from './hisDateFormats';
import { codingOf, enumOf, HIS_ROW_KEYS, numberOf, optionalNumber, optionalText, requiredEnumOf, textOf, type HisRow } from './hisRowValues';
import type {
  AllergiesMapping,
  ConditionsMapping,
  DateColumn,
  EncounterCostColumns,
  EncounterDiagnosesMapping,
  EncountersMapping,
  MedicationsMapping,
  ObservationsMapping,
  ProceduresMapping,
} from './SqlHisMapping';

/**
 * HIS rows → contract resources (core/model/clinical, FHIR R4-shaped), one function per kind,
 * driven by the mapping. Pure. A row whose id or code is empty is not a record and gives null; the
 * caller drops it (a NOT NULL the HIS does not enforce must not become a half-empty chart entry).
 */

export function toEncounter(row: HisRow, mapping: EncountersMapping, diagnoses: readonly EncounterDiagnosis[]): Encounter | null {
  const id = textOf(row[mapping.id]);
  if (id === null) return null;
  return {
    id,
    status: requiredEnumOf(row, mapping.status, 'UNKNOWN'),
    class: requiredEnumOf(row, mapping.class, 'OTHER'),
    period: { start: dateTimeOf(row, mapping.start), end: dateTimeOf(row, mapping.end) },
    reasonText: optionalText(row, mapping.reason),
    diagnoses,
    departmentCodes: mapping.departments === null ? [] : listOf(row[mapping.departments.column], mapping.departments.separator),
    cost: mapping.cost === null ? null : costOf(row, mapping.cost),
  };
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

export function toCondition(row: HisRow, mapping: ConditionsMapping): Condition | null {
  const id = textOf(row[mapping.id]);
  const code = codingOf(row, mapping.code);
  if (id === null || code === null) return null;
  return {
    id,
    code,
    clinicalStatus: requiredEnumOf(row, mapping.clinicalStatus, 'UNKNOWN'),
    recordedDate: dateTimeOf(row, mapping.recorded),
    encounterId: optionalText(row, mapping.encounter),
  };
}

export function toObservation(row: HisRow, mapping: ObservationsMapping): Observation | null {
  const id = textOf(row[mapping.id]);
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
    effectiveDateTime: dateTimeOf(row, mapping.effective),
    encounterId: optionalText(row, mapping.encounter),
  };
}

export function toMedication(row: HisRow, mapping: MedicationsMapping): MedicationRequest | null {
  const id = textOf(row[mapping.id]);
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
    authoredOn: dateTimeOf(row, mapping.authored),
    encounterId: optionalText(row, mapping.encounter),
  };
}

export function toProcedure(row: HisRow, mapping: ProceduresMapping): Procedure | null {
  const id = textOf(row[mapping.id]);
  const code = codingOf(row, mapping.code);
  if (id === null || code === null) return null;
  return {
    id,
    status: requiredEnumOf(row, mapping.status, 'UNKNOWN'),
    code,
    performedDateTime: dateTimeOf(row, mapping.performed),
    encounterId: optionalText(row, mapping.encounter),
  };
}

export function toAllergy(row: HisRow, mapping: AllergiesMapping): AllergyIntolerance | null {
  const id = textOf(row[mapping.id]);
  const code = codingOf(row, mapping.code);
  if (id === null || code === null) return null;
  return {
    id,
    code,
    category: mapping.category === null ? null : enumOf(row, mapping.category),
    criticality: mapping.criticality === null ? null : enumOf(row, mapping.criticality),
    reactionText: optionalText(row, mapping.reaction),
    recordedDate: dateTimeOf(row, mapping.recorded),
  };
}

/** QĐ 130 costs (T_TONGCHI_BV, T_BHTT, T_BNCCT, T_BNTT; shared/standards §3.1); null when none is recorded. */
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

function dateTimeOf(row: HisRow, column: DateColumn | null): string | null {
  return column === null ? null : decodeHisDateTime(row[column.column], column.format);
}

/** A multi-valued column (QĐ 130 joins values with `;`); a driver's array (PostgreSQL text[]) is taken as is. */
function listOf(value: unknown, separator: string): string[] {
  const items = Array.isArray(value) ? value.map(textOf) : (textOf(value) ?? '').split(separator).map(textOf);
  return items.filter((item): item is string => item !== null);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
