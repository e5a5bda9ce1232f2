import { ConfigError } from '../../core/config/ConfigError';
import type { ConfigReader } from '../../core/config/ConfigReader';
import type {
  AllergyCategory,
  AllergyCriticality,
  ConditionClinicalStatus,
  DiagnosisRole,
  EncounterClass,
  EncounterStatus,
  MedicationRequestStatus,
  ObservationStatus,
  ProcedureStatus,
} from '../../core/model/clinical';
import type { AdministrativeGender } from '../../core/model/patient';
import {
  readCodeColumn,
  readColumn,
  readDateColumn,
  readEnumField,
  readOptionalColumn,
  readOptionalDateColumn,
  readOptionalEnumField,
  readPatientKey,
  readTable,
  readValueMap,
} from './readMappingFields';
import type {
  AllergiesMapping,
  ConditionsMapping,
  EncounterCostColumns,
  EncounterDiagnosesMapping,
  EncountersMapping,
  MedicationsMapping,
  ObservationsMapping,
  PatientNameColumns,
  PatientsMapping,
  ProceduresMapping,
  ResourceTableMapping,
  SqlHisMapping,
} from './SqlHisMapping';

const GENDERS: readonly AdministrativeGender[] = ['MALE', 'FEMALE', 'OTHER', 'UNKNOWN'];
const ENCOUNTER_STATUSES: readonly EncounterStatus[] = ['PLANNED', 'IN_PROGRESS', 'FINISHED', 'CANCELLED', 'UNKNOWN'];
const ENCOUNTER_CLASSES: readonly EncounterClass[] = ['AMBULATORY', 'INPATIENT', 'EMERGENCY', 'SHORT_STAY', 'OTHER'];
const DIAGNOSIS_ROLES: readonly DiagnosisRole[] = ['PRIMARY', 'SECONDARY'];
const CONDITION_STATUSES: readonly ConditionClinicalStatus[] = ['ACTIVE', 'RECURRENCE', 'RELAPSE', 'INACTIVE', 'REMISSION', 'RESOLVED', 'UNKNOWN'];
const OBSERVATION_STATUSES: readonly ObservationStatus[] = ['REGISTERED', 'PRELIMINARY', 'FINAL', 'AMENDED', 'CANCELLED', 'UNKNOWN'];
const MEDICATION_STATUSES: readonly MedicationRequestStatus[] = ['ACTIVE', 'COMPLETED', 'CANCELLED', 'STOPPED', 'UNKNOWN'];
const PROCEDURE_STATUSES: readonly ProcedureStatus[] = ['PREPARATION', 'IN_PROGRESS', 'COMPLETED', 'STOPPED', 'UNKNOWN'];
const ALLERGY_CATEGORIES: readonly AllergyCategory[] = ['FOOD', 'MEDICATION', 'ENVIRONMENT', 'BIOLOGIC'];
const ALLERGY_CRITICALITIES: readonly AllergyCriticality[] = ['LOW', 'HIGH', 'UNABLE_TO_ASSESS'];

const RESOURCE_KEYS = ['table', 'id', 'patientKey'] as const;

/**
 * Reads and checks a mapping (the `mapping:` section of a sql-his hospital, or a mapping YAML
 * file). Every table and column name must be a SQL identifier, every enumeration value a contract
 * value, and unknown keys are rejected, so a typo fails at start-up with the key path named
 * (`mapping.encounters.start.format: expected one of …`) instead of surfacing as a wrong chart.
 * `file` is named in errors this module raises itself (ConfigReader names it in the others).
 */
export function parseSqlHisMapping(reader: ConfigReader, file?: string): SqlHisMapping {
  try {
    return readMapping(reader);
  } catch (error) {
    if (error instanceof ConfigError && error.file === undefined && file !== undefined) {
      throw new ConfigError(error.key, error.expectation, file);
    }
    throw error;
  }
}

function readMapping(reader: ConfigReader): SqlHisMapping {
  reader.rejectUnknownKeys(['patients', 'encounters', 'conditions', 'observations', 'medications', 'procedures', 'allergies']);
  const section = (key: string): ConfigReader | undefined => reader.optionalObject(key);
  const encounters = section('encounters');
  const conditions = section('conditions');
  const observations = section('observations');
  const medications = section('medications');
  const procedures = section('procedures');
  const allergies = section('allergies');
  return {
    patients: readPatients(reader.object('patients')),
    ...(encounters ? { encounters: readEncounters(encounters) } : {}),
    ...(conditions ? { conditions: readConditions(conditions) } : {}),
    ...(observations ? { observations: readObservations(observations) } : {}),
    ...(medications ? { medications: readMedications(medications) } : {}),
    ...(procedures ? { procedures: readProcedures(procedures) } : {}),
    ...(allergies ? { allergies: readAllergies(allergies) } : {}),
  };
}

function readPatients(reader: ConfigReader): PatientsMapping {
  reader.rejectUnknownKeys(['table', 'id', 'nationalId', 'insuranceNumber', 'name', 'birthDate', 'gender']);
  const insurance = reader.optionalObject('insuranceNumber');
  insurance?.rejectUnknownKeys(['column', 'bhxhColumn']);
  return {
    table: readTable(reader),
    id: readColumn(reader, 'id'),
    nationalId: readOptionalColumn(reader, 'nationalId'),
    insuranceNumber: insurance ? { column: readColumn(insurance, 'column'), bhxhColumn: readOptionalColumn(insurance, 'bhxhColumn') } : null,
    name: reader.has('name') ? readName(reader.object('name')) : null,
    // Birth dates are looked up by calendar date, so only formats that hold one (a timestamp would need a range).
    birthDate: reader.has('birthDate') ? readDateColumn(reader, 'birthDate', ['date', 'yyyyMMdd', 'yyyyMMddHHmm', 'dd/MM/yyyy']) : null,
    gender: readOptionalEnumField(reader, 'gender', GENDERS),
  };
}

function readName(reader: ConfigReader): PatientNameColumns {
  if (reader.has('full')) {
    reader.rejectUnknownKeys(['full']);
    return { kind: 'full', column: readColumn(reader, 'full') };
  }
  reader.rejectUnknownKeys(['family', 'given']);
  return { kind: 'parts', family: readColumn(reader, 'family'), given: readColumn(reader, 'given') };
}

function readResourceTable(reader: ConfigReader, fields: readonly string[]): ResourceTableMapping {
  reader.rejectUnknownKeys([...RESOURCE_KEYS, ...fields]);
  return { table: readTable(reader), id: readColumn(reader, 'id'), patientKey: readPatientKey(reader) };
}

function readEncounters(reader: ConfigReader): EncountersMapping {
  const base = readResourceTable(reader, ['status', 'class', 'start', 'end', 'reason', 'departments', 'cost', 'diagnoses']);
  const departments = reader.optionalObject('departments');
  departments?.rejectUnknownKeys(['column', 'separator']);
  const diagnoses = reader.optionalObject('diagnoses');
  const cost = reader.optionalObject('cost');
  return {
    ...base,
    status: readEnumField(reader, 'status', ENCOUNTER_STATUSES, 'UNKNOWN'),
    class: readEnumField(reader, 'class', ENCOUNTER_CLASSES, 'OTHER'),
    start: readDateColumn(reader, 'start'),
    end: readOptionalDateColumn(reader, 'end'),
    reason: readOptionalColumn(reader, 'reason'),
    departments: departments ? { column: readColumn(departments, 'column'), separator: departments.string('separator') } : null,
    cost: cost ? readCost(cost) : null,
    diagnoses: diagnoses ? readDiagnoses(diagnoses) : null,
  };
}

function readCost(reader: ConfigReader): EncounterCostColumns {
  reader.rejectUnknownKeys(['total', 'insurancePaid', 'patientCoPay', 'patientSelfPay', 'insuranceCard']);
  return {
    total: readOptionalColumn(reader, 'total'),
    insurancePaid: readOptionalColumn(reader, 'insurancePaid'),
    patientCoPay: readOptionalColumn(reader, 'patientCoPay'),
    patientSelfPay: readOptionalColumn(reader, 'patientSelfPay'),
    insuranceCard: readOptionalColumn(reader, 'insuranceCard'),
  };
}

function readDiagnoses(reader: ConfigReader): EncounterDiagnosesMapping {
  reader.rejectUnknownKeys(['table', 'encounterKey', 'code', 'role', 'rank']);
  // A role column is required: diagnosisCounts counts main diagnoses (MA_BENH_CHINH) only, in SQL
  // (`role IN (<codes of PRIMARY>)`), so a row is primary only by its own code: no `when`, and
  // anything unlisted is secondary.
  const roleSection = reader.object('role');
  const role = readValueMap(roleSection, DIAGNOSIS_ROLES, 'SECONDARY');
  if (role.overrides.length > 0) throw new ConfigError(`${roleSection.path}.when`, 'not supported for diagnosis roles: list the codes of PRIMARY instead');
  if (role.fallback !== 'SECONDARY') throw new ConfigError(`${roleSection.path}.default`, 'expected SECONDARY: a diagnosis is primary only when its code says so');
  return {
    table: readTable(reader),
    encounterKey: readColumn(reader, 'encounterKey'),
    code: readCodeColumn(reader, 'code'),
    role,
    rank: readOptionalColumn(reader, 'rank'),
  };
}

function readConditions(reader: ConfigReader): ConditionsMapping {
  return {
    ...readResourceTable(reader, ['code', 'clinicalStatus', 'recorded', 'encounter']),
    code: readCodeColumn(reader, 'code'),
    clinicalStatus: readEnumField(reader, 'clinicalStatus', CONDITION_STATUSES, 'UNKNOWN'),
    recorded: readOptionalDateColumn(reader, 'recorded'),
    encounter: readOptionalColumn(reader, 'encounter'),
  };
}

function readObservations(reader: ConfigReader): ObservationsMapping {
  return {
    ...readResourceTable(reader, ['code', 'status', 'value', 'unit', 'unitCode', 'interpretation', 'effective', 'encounter']),
    code: readCodeColumn(reader, 'code'),
    status: readEnumField(reader, 'status', OBSERVATION_STATUSES, 'UNKNOWN'),
    value: readOptionalColumn(reader, 'value'),
    unit: readOptionalColumn(reader, 'unit'),
    unitCode: readOptionalColumn(reader, 'unitCode'),
    interpretation: readOptionalColumn(reader, 'interpretation'),
    effective: readOptionalDateColumn(reader, 'effective'),
    encounter: readOptionalColumn(reader, 'encounter'),
  };
}

function readMedications(reader: ConfigReader): MedicationsMapping {
  return {
    ...readResourceTable(reader, ['medication', 'status', 'dosage', 'quantity', 'quantityUnit', 'route', 'authored', 'encounter']),
    medication: readCodeColumn(reader, 'medication'),
    status: readEnumField(reader, 'status', MEDICATION_STATUSES, 'UNKNOWN'),
    dosage: readOptionalColumn(reader, 'dosage'),
    quantity: readOptionalColumn(reader, 'quantity'),
    quantityUnit: readOptionalColumn(reader, 'quantityUnit'),
    route: readOptionalColumn(reader, 'route'),
    authored: readOptionalDateColumn(reader, 'authored'),
    encounter: readOptionalColumn(reader, 'encounter'),
  };
}

function readProcedures(reader: ConfigReader): ProceduresMapping {
  return {
    ...readResourceTable(reader, ['code', 'status', 'performed', 'encounter']),
    code: readCodeColumn(reader, 'code'),
    status: readEnumField(reader, 'status', PROCEDURE_STATUSES, 'UNKNOWN'),
    performed: readOptionalDateColumn(reader, 'performed'),
    encounter: readOptionalColumn(reader, 'encounter'),
  };
}

function readAllergies(reader: ConfigReader): AllergiesMapping {
  return {
    ...readResourceTable(reader, ['code', 'category', 'criticality', 'reaction', 'recorded']),
    code: readCodeColumn(reader, 'code'),
    category: readOptionalEnumField(reader, 'category', ALLERGY_CATEGORIES),
    criticality: readOptionalEnumField(reader, 'criticality', ALLERGY_CRITICALITIES),
    reaction: readOptionalColumn(reader, 'reaction'),
    recorded: readOptionalDateColumn(reader, 'recorded'),
  };
}
