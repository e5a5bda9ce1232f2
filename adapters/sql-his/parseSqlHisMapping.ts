import { ConfigError } from '../../core/config/ConfigError';
import { CODE_SYSTEMS } from '../../contracts/model/clinical';
import type { ConfigReader } from '../../core/config/ConfigReader';
import type {
  ClinicalResourceKind,
  AllergyCategory,
  AllergyCriticality,
  ConditionClinicalStatus,
  DiagnosisRole,
  EncounterClass,
  EncounterStatus,
  MedicationRequestStatus,
  ObservationStatus,
  ProcedureStatus,
} from '../../contracts/model/clinical';
import type { AdministrativeGender } from '../../contracts/model/patient';
import { kindColumns, patientColumns } from './mappingColumns';
import {
  checkAlias,
  listOrSection,
  readCodeColumn,
  readCodeSystem,
  readIdentifiers,
  readOwnColumn,
  readTableSource,
  readColumn,
  readDateColumn,
  readEnumField,
  readOptionalColumn,
  readOptionalDateColumn,
  readOptionalEnumField,
  readPatientKey,
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
  ReferenceRangeColumns,
  ResourceTableMapping,
  RowDiagnosesMapping,
  SqlHisMapping,
  TableSource,
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

const RESOURCE_KEYS = ['table', 'joins', 'where', 'id', 'idPrefix', 'patientKey'] as const;

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
  return {
    patients: readPatients(reader.object('patients')),
    encounters: readKind(reader, 'encounters', readEncounters),
    conditions: readKind(reader, 'conditions', readConditions),
    observations: readKind(reader, 'observations', readObservations),
    medications: readKind(reader, 'medications', readMedications),
    procedures: readKind(reader, 'procedures', readProcedures),
    allergies: readKind(reader, 'allergies', readAllergies),
  };
}

/**
 * A kind: one table section, or a list of them (one kind from several tables, merged). Tables of
 * one kind need distinct `idPrefix`es when there are several (their ids could collide).
 */
function readKind<K extends ClinicalResourceKind>(reader: ConfigReader, key: K, read: (section: ConfigReader) => SqlHisMapping[K][number]): SqlHisMapping[K][number][] {
  if (!reader.has(key)) return [];
  const tables = listOrSection(reader, key).map((section) => {
    const table = read(section);
    checkColumns(section, table, kindColumns(key, table));
    return table;
  });
  if (tables.length > 1) {
    const prefixes = new Set(tables.map((table) => table.idPrefix));
    if (prefixes.size !== tables.length) reader.fail(key, 'tables of one kind need distinct idPrefix values (their ids could collide)');
  }
  return tables;
}

/** Every `alias.COLUMN` a table's fields read names a join of that table. */
function checkColumns(section: ConfigReader, source: TableSource, columns: readonly string[]): void {
  for (const column of columns) checkAlias(section, '(column)', column, source.joins);
}

function readPatients(reader: ConfigReader): PatientsMapping {
  reader.rejectUnknownKeys(['table', 'joins', 'where', 'id', 'nationalId', 'insuranceNumber', 'name', 'birthDate', 'gender', 'updatedAt', 'identifiers']);
  const source = readTableSource(reader);
  const insurance = reader.optionalObject('insuranceNumber');
  insurance?.rejectUnknownKeys(['column', 'bhxhColumn']);
  const patients: PatientsMapping = {
    ...source,
    id: readOwnColumn(reader, 'id'),
    nationalId: readOptionalColumn(reader, 'nationalId'),
    insuranceNumber: insurance ? { column: readColumn(insurance, 'column'), bhxhColumn: readOptionalColumn(insurance, 'bhxhColumn') } : null,
    name: reader.has('name') ? readName(reader.object('name')) : null,
    // Birth dates are looked up by calendar date, so only formats that hold one (a timestamp would need a range).
    birthDate: reader.has('birthDate') ? readDateColumn(reader, 'birthDate', ['date', 'yyyyMMddHHmmss', 'yyyyMMdd', 'yyyyMMddHHmm', 'dd/MM/yyyy', 'yyyy']) : null,
    gender: readOptionalEnumField(reader, 'gender', GENDERS),
    // An instant: the feed compares times, so only formats that hold one.
    updatedAt: reader.has('updatedAt') ? readDateColumn(reader, 'updatedAt', ['timestamp', 'yyyyMMddHHmmss', 'yyyyMMddHHmm']) : null,
    identifiers: readIdentifiers(reader, source.joins),
  };
  checkColumns(reader, source, patientColumns(patients));
  return patients;
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
  return {
    ...readTableSource(reader),
    id: readOwnColumn(reader, 'id'),
    idPrefix: reader.optionalString('idPrefix', { pattern: /^[A-Za-z0-9_-]{1,16}$/, patternHint: 'letters, digits, _ or -, at most 16' }) ?? '',
    patientKey: readPatientKey(reader),
  };
}

function readEncounters(reader: ConfigReader): EncountersMapping {
  const base = readResourceTable(reader, ['status', 'class', 'start', 'end', 'reason', 'departments', 'cost', 'diagnoses', 'identifiers']);
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
    identifiers: readIdentifiers(reader, base.joins),
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

/** A child table of diagnoses (`table: …`), or codes on the encounter row (`main:` / `secondary:`). */
function readDiagnoses(reader: ConfigReader): EncounterDiagnosesMapping | RowDiagnosesMapping {
  if (!reader.has('table')) return readRowDiagnoses(reader);
  reader.rejectUnknownKeys(['table', 'joins', 'where', 'encounterKey', 'code', 'role', 'rank']);
  // diagnosisCounts counts main diagnoses (MA_BENH_CHINH) only, in SQL (`role IN (<codes of
  // PRIMARY>)`), so a row is primary only by its own code: no `when`, and anything unlisted is
  // secondary. A constant role (a table of main diagnoses, or of comorbidities only) is allowed.
  const roleSection = reader.object('role');
  const role = roleSection.has('constant') ? readEnumField(reader, 'role', DIAGNOSIS_ROLES, 'SECONDARY') : readValueMap(roleSection, DIAGNOSIS_ROLES, 'SECONDARY');
  if (role.kind === 'column' && role.overrides.length > 0) throw new ConfigError(`${roleSection.path}.when`, 'not supported for diagnosis roles: list the codes of PRIMARY instead');
  if (role.kind === 'column' && role.fallback !== 'SECONDARY') throw new ConfigError(`${roleSection.path}.default`, 'expected SECONDARY: a diagnosis is primary only when its code says so');
  return {
    kind: 'table',
    ...readTableSource(reader),
    encounterKey: readOwnColumn(reader, 'encounterKey'),
    code: readCodeColumn(reader, 'code'),
    role,
    rank: readOptionalColumn(reader, 'rank'),
  };
}

/**
 * `main: { code: ICD_CODE, display: ICD_NAME }`, `secondary: { codes: ICD_SUB_CODE, displays:
 * ICD_TEXT, separator: ";" }`, `system: ICD10` (default ICD10): diagnoses on the encounter row.
 */
function readRowDiagnoses(reader: ConfigReader): RowDiagnosesMapping {
  reader.rejectUnknownKeys(['main', 'secondary', 'system']);
  const main = reader.optionalObject('main');
  main?.rejectUnknownKeys(['code', 'display']);
  const secondary = reader.optionalObject('secondary');
  secondary?.rejectUnknownKeys(['codes', 'displays', 'separator']);
  if (!main && !secondary) reader.fail('main', 'expected main and/or secondary (or table: for a child table of diagnoses)');
  return {
    kind: 'row',
    main: main ? { code: readColumn(main, 'code'), display: readOptionalColumn(main, 'display') } : null,
    secondary: secondary
      ? { codes: readColumn(secondary, 'codes'), displays: readOptionalColumn(secondary, 'displays'), separator: secondary.optionalString('separator') ?? ';' }
      : null,
    system: reader.has('system') ? readCodeSystem(reader) : { kind: 'constant', uri: CODE_SYSTEMS.ICD10 },
  };
}

/**
 * `referenceRange: { low: NORMAL_MIN, high: NORMAL_MAX, text: NORMAL_TEXT }`, or per sex:
 * `referenceRange: { MALE: { low, high, text }, FEMALE: { … } }`.
 */
function readReferenceRange(reader: ConfigReader): ReferenceRangeColumns {
  const sexes = GENDERS.filter((gender) => reader.has(gender));
  const readSet = (section: ConfigReader, appliesTo: AdministrativeGender | null) => {
    section.rejectUnknownKeys(['low', 'high', 'text']);
    const set = { low: readOptionalColumn(section, 'low'), high: readOptionalColumn(section, 'high'), text: readOptionalColumn(section, 'text'), appliesTo };
    if (set.low === null && set.high === null && set.text === null) section.fail('low', 'expected at least one of low, high, text');
    return set;
  };
  if (sexes.length === 0) return { ranges: [readSet(reader, null)] };
  reader.rejectUnknownKeys(GENDERS);
  return { ranges: sexes.map((sex) => readSet(reader.object(sex), sex)) };
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
    ...readResourceTable(reader, ['code', 'status', 'value', 'unit', 'unitCode', 'interpretation', 'referenceRange', 'effective', 'encounter']),
    code: readCodeColumn(reader, 'code'),
    status: readEnumField(reader, 'status', OBSERVATION_STATUSES, 'UNKNOWN'),
    value: readOptionalColumn(reader, 'value'),
    unit: readOptionalColumn(reader, 'unit'),
    unitCode: readOptionalColumn(reader, 'unitCode'),
    interpretation: readOptionalColumn(reader, 'interpretation'),
    referenceRange: reader.has('referenceRange') ? readReferenceRange(reader.object('referenceRange')) : null,
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
