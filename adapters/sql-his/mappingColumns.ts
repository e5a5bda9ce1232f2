import type { ClinicalResourceKind } from '../../contracts/model/clinical';
import type {
  AllergiesMapping,
  CodeColumn,
  ConditionsMapping,
  EncountersMapping,
  EnumField,
  MedicationsMapping,
  ObservationsMapping,
  PatientsMapping,
  ProceduresMapping,
  SqlHisMapping,
} from './SqlHisMapping';

/**
 * The columns each mapped table is read through: what `SqlHisQueries` selects, what the parser
 * checks join aliases of, and what `--check` looks for in the database. One list, so the three
 * cannot disagree. Columns are as the mapping writes them (`COL`, or `alias.COL` of a join).
 */

/** Every column of the patients table a `SourcePatient` is read from. */
export function patientColumns(p: PatientsMapping): string[] {
  const name = p.name === null ? [] : p.name.kind === 'full' ? [p.name.column] : [p.name.family, p.name.given];
  return unique([p.id, p.nationalId, p.insuranceNumber?.column, ...name, p.birthDate?.column, ...enumColumns(p.gender), p.updatedAt?.column, ...p.identifiers.map((i) => i.column)]);
}

/** Every column of one table of a kind that its decoder reads (toClinicalResource). */
export function kindColumns<K extends ClinicalResourceKind>(kind: K, table: SqlHisMapping[K][number]): string[] {
  switch (kind) {
    case 'encounters':
      return encounterColumns(table as EncountersMapping);
    case 'conditions': {
      const m = table as ConditionsMapping;
      return unique([m.id, ...codeColumns(m.code), ...enumColumns(m.clinicalStatus), m.recorded?.column, m.encounter]);
    }
    case 'observations': {
      const m = table as ObservationsMapping;
      const ranges = (m.referenceRange?.ranges ?? []).flatMap((r) => [r.low, r.high, r.text]);
      return unique([m.id, ...codeColumns(m.code), ...enumColumns(m.status), m.value, m.unit, m.unitCode, m.interpretation, ...ranges, m.effective?.column, m.encounter]);
    }
    case 'medications': {
      const m = table as MedicationsMapping;
      return unique([m.id, ...codeColumns(m.medication), ...enumColumns(m.status), m.dosage, m.quantity, m.quantityUnit, m.route, m.authored?.column, m.encounter]);
    }
    case 'procedures': {
      const m = table as ProceduresMapping;
      return unique([m.id, ...codeColumns(m.code), ...enumColumns(m.status), m.performed?.column, m.encounter]);
    }
    case 'allergies': {
      const m = table as AllergiesMapping;
      return unique([m.id, ...codeColumns(m.code), ...enumColumns(m.category), ...enumColumns(m.criticality), m.reaction, m.recorded?.column]);
    }
    default:
      return [];
  }
}

function encounterColumns(m: EncountersMapping): string[] {
  const c = m.cost;
  const cost = c === null ? [] : [c.total, c.insurancePaid, c.patientCoPay, c.patientSelfPay, c.insuranceCard];
  const d = m.diagnoses;
  const rowDiagnoses = d === null || d.kind !== 'row'
    ? []
    : [d.main?.code, d.main?.display, d.secondary?.codes, d.secondary?.displays, d.system.kind === 'column' ? d.system.column : null];
  return unique([
    m.id, ...enumColumns(m.status), ...enumColumns(m.class), m.start.column, m.end?.column, m.reason, m.departments?.column, ...cost,
    ...rowDiagnoses, ...m.identifiers.map((i) => i.column),
  ]);
}

/** Columns of a child table of diagnoses (none for diagnoses on the encounter row). */
export function diagnosisColumns(encounters: EncountersMapping): string[] {
  const d = encounters.diagnoses;
  return d === null || d.kind !== 'table' ? [] : unique([...codeColumns(d.code), ...enumColumns(d.role), d.rank]);
}

function enumColumns<T extends string>(field: EnumField<T> | null): string[] {
  if (field === null || field.kind === 'constant') return [];
  return [field.column, ...field.overrides.map((o) => o.column)];
}

function codeColumns(code: CodeColumn): (string | null)[] {
  return [code.column, code.display, code.system.kind === 'column' ? code.system.column : null];
}

export function unique<T>(values: readonly (T | null | undefined)[]): T[] {
  return [...new Set(values.filter((value): value is T => value !== null && value !== undefined))];
}
