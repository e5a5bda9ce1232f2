import type {
  Condition as FhirCondition,
  Encounter as FhirEncounter,
  EncounterDiagnosis as FhirEncounterDiagnosis,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import type { Encounter, EncounterClass, EncounterDiagnosis, EncounterStatus } from '../../contracts/model/clinical';
import { chooseCoding, type CodeSystemAliases } from './chooseCoding';
import { conceptCode, conceptText } from './conceptText';
import { FHIR_SYSTEMS } from './fhirSystems';
import { mapCodings } from './mapCodings';
import { presentFields } from './presentFields';
import { isConditionRetracted } from './mapCondition';
import { containedId, referenceId } from './referenceId';
import { toIsoDateTime } from './toIsoDateTime';
import { coarserThanDateTime } from './toPartialDateTime';

/** What an Encounter's mapping needs besides the Encounter. */
export interface EncounterMappingContext {
  readonly codeSystems: CodeSystemAliases;
  /** Conditions of the same patients, by logical id, to resolve `Encounter.diagnosis.condition`. */
  readonly conditions: ReadonlyMap<string, FhirCondition>;
  /**
   * Conditions that name their encounter (`Condition.encounter`), by encounter id: how Synthea and
   * US Core link a diagnosis to a visit when `Encounter.diagnosis` is empty.
   */
  readonly conditionsByEncounter?: ReadonlyMap<string, readonly FhirCondition[]>;
}

/** Encounter.status (R4 encounter-status): arrived, triaged and on leave are all under way. */
const STATUS: Readonly<Record<string, EncounterStatus>> = {
  planned: 'PLANNED', arrived: 'IN_PROGRESS', triaged: 'IN_PROGRESS', 'in-progress': 'IN_PROGRESS', onleave: 'IN_PROGRESS',
  finished: 'FINISHED', cancelled: 'CANCELLED',
};

/** Encounter.class, v3 ActCode (v3-ActEncounterCode): the codes QĐ 130 MA_LOAI_KCB maps onto. */
export const ENCOUNTER_CLASS_CODES: Readonly<Record<string, EncounterClass>> = {
  AMB: 'AMBULATORY', IMP: 'INPATIENT', ACUTE: 'INPATIENT', NONAC: 'INPATIENT', EMER: 'EMERGENCY', SS: 'SHORT_STAY', OBSENC: 'SHORT_STAY',
};
export const ACT_CODE_SYSTEMS: readonly (string | undefined)[] = [FHIR_SYSTEMS.V3_ACT_CODE, 'http://hl7.org/fhir/v3/ActCode', undefined];

/**
 * A FHIR Encounter (encounter.html) as the contract's. `Encounter.diagnosis.condition` references
 * (contained, or to Conditions fetched in the same batch) are resolved to their ICD-10 coding;
 * unresolvable or retracted ones are left out; Conditions that name the encounter
 * (`Condition.encounter`) but are not listed follow them. FHIR R4 ranks diagnoses "for each role type", so the
 * main diagnosis is the best-ranked one whose `use` is not CM (comorbidity); it comes first, the
 * others follow by rank, and the contract's rank is the position. Department codes come from
 * `Encounter.location.location.identifier` in the MA_KHOA system. FHIR keeps costs in Claim and
 * ExplanationOfBenefit, not on the Encounter, so `cost` is null. Null when `entered-in-error`.
 */
export function mapEncounter(encounter: FhirEncounter, context: EncounterMappingContext): Encounter | null {
  if (typeof encounter.id !== 'string' || encounter.status === 'entered-in-error') return null;
  const classCoding = encounter.class;
  const classCode = ACT_CODE_SYSTEMS.includes(classCoding?.system) && typeof classCoding?.code === 'string' ? classCoding.code : undefined;
  return {
    id: encounter.id,
    status: STATUS[encounter.status] ?? 'UNKNOWN',
    class: (classCode !== undefined ? ENCOUNTER_CLASS_CODES[classCode] : undefined) ?? 'OTHER',
    period: {
      start: toIsoDateTime(encounter.period?.start),
      end: toIsoDateTime(encounter.period?.end),
      ...presentFields({ startAsRecorded: coarserThanDateTime(encounter.period?.start), endAsRecorded: coarserThanDateTime(encounter.period?.end) }),
    },
    reasonText: conceptText(Array.isArray(encounter.reasonCode) ? encounter.reasonCode[0] : undefined),
    diagnoses: diagnosesOf(encounter, context),
    departmentCodes: departmentCodesOf(encounter),
    cost: null,
    ...presentFields({ types: mapCodings(encounter.type, context.codeSystems), serviceProvider: referenceName(encounter.serviceProvider), locations: locationsOf(encounter) }),
  };
}

/** Conditions by the encounter they name (`Condition.encounter`), for EncounterMappingContext. */
export function conditionsByEncounter(conditions: Iterable<FhirCondition>): Map<string, FhirCondition[]> {
  const byEncounter = new Map<string, FhirCondition[]>();
  for (const condition of conditions) {
    const id = referenceId(condition.encounter, 'Encounter');
    if (id !== undefined) byEncounter.set(id, [...(byEncounter.get(id) ?? []), condition]);
  }
  return byEncounter;
}

/** The Condition ids an Encounter's diagnoses point at outside the Encounter (to fetch them in one search). */
export function referencedConditionIds(encounter: FhirEncounter): string[] {
  return (Array.isArray(encounter.diagnosis) ? encounter.diagnosis : [])
    .map((diagnosis) => referenceId(diagnosis?.condition, 'Condition'))
    .filter((id): id is string => id !== undefined);
}

interface RankedDiagnosis {
  readonly condition: FhirCondition;
  readonly rank: number;
  readonly index: number;
  readonly comorbidity: boolean;
}

function diagnosesOf(encounter: FhirEncounter, context: EncounterMappingContext): EncounterDiagnosis[] {
  const listed = (Array.isArray(encounter.diagnosis) ? encounter.diagnosis : [])
    .map((diagnosis, index) => rankDiagnosis(diagnosis, index, encounter.contained, context))
    .filter((d): d is RankedDiagnosis => d !== null)
    .sort((a, b) => a.rank - b.rank || a.index - b.index);
  // Conditions that point at this encounter and are not in Encounter.diagnosis follow the listed
  // ones, in the server's order; problem-list items are the patient's, not the visit's.
  const listedIds = new Set(listed.map((d) => d.condition.id));
  const linked = (typeof encounter.id === 'string' ? (context.conditionsByEncounter?.get(encounter.id) ?? []) : [])
    .filter((condition) => !listedIds.has(condition.id) && !isConditionRetracted(condition) && !isProblemListItem(condition))
    .map((condition, index): RankedDiagnosis => ({ condition, rank: Number.MAX_SAFE_INTEGER, index: listed.length + index, comorbidity: false }));
  const ranked = [...listed, ...linked];
  const primary = ranked.find((d) => !d.comorbidity);
  const ordered = primary ? [primary, ...ranked.filter((d) => d !== primary)] : ranked;
  return ordered.map((d, position) => ({
    code: chooseCoding(d.condition.code, 'ICD10', context.codeSystems),
    role: d === primary ? 'PRIMARY' : 'SECONDARY',
    rank: position + 1,
  }));
}

function rankDiagnosis(
  diagnosis: FhirEncounterDiagnosis | undefined,
  index: number,
  contained: readonly Resource[] | undefined,
  context: EncounterMappingContext,
): RankedDiagnosis | null {
  if (diagnosis === null || typeof diagnosis !== 'object') return null;
  const condition = resolveCondition(diagnosis, contained, context.conditions);
  if (!condition || isConditionRetracted(condition)) return null;
  const rank = Number.isInteger(diagnosis.rank) && (diagnosis.rank ?? 0) > 0 ? (diagnosis.rank as number) : Number.MAX_SAFE_INTEGER;
  return { condition, rank, index, comorbidity: conceptCode(diagnosis.use, FHIR_SYSTEMS.DIAGNOSIS_ROLE) === 'CM' };
}

function resolveCondition(
  diagnosis: FhirEncounterDiagnosis,
  contained: readonly Resource[] | undefined,
  conditions: ReadonlyMap<string, FhirCondition>,
): FhirCondition | undefined {
  const localId = containedId(diagnosis.condition);
  if (localId !== undefined) {
    const resources: readonly Resource[] = Array.isArray(contained) ? contained : [];
    const found = resources.find((r) => r?.resourceType === 'Condition' && r.id === localId);
    return found?.resourceType === 'Condition' ? found : undefined;
  }
  const id = referenceId(diagnosis.condition, 'Condition');
  return id === undefined ? undefined : conditions.get(id);
}

function departmentCodesOf(encounter: FhirEncounter): string[] {
  const codes = (Array.isArray(encounter.location) ? encounter.location : [])
    .map((location) => location?.location?.identifier)
    .filter((identifier) => identifier?.system === FHIR_SYSTEMS.VN_DEPARTMENT && typeof identifier.value === 'string')
    .map((identifier) => identifier?.value as string);
  return [...new Set(codes)];
}

/** A Condition whose only category is problem-list-item: a standing problem, not this visit's diagnosis. */
function isProblemListItem(condition: FhirCondition): boolean {
  const categories = (Array.isArray(condition.category) ? condition.category : []).map((c) => conceptCode(c, FHIR_SYSTEMS.CONDITION_CATEGORY));
  return categories.length > 0 && categories.every((code) => code === 'problem-list-item');
}

/** A Reference by what a person can read: its display, else its identifier's value. */
function referenceName(reference: Reference | undefined): string | null {
  if (reference === null || typeof reference !== 'object') return null;
  if (typeof reference.display === 'string' && reference.display.trim() !== '') return reference.display;
  return typeof reference.identifier?.value === 'string' && reference.identifier.value.trim() !== '' ? reference.identifier.value : null;
}

/** Encounter.location by display name (identifiers in the MA_KHOA system are departmentCodes); null when absent. */
function locationsOf(encounter: FhirEncounter): string[] | null {
  if (!Array.isArray(encounter.location) || encounter.location.length === 0) return null;
  return encounter.location.map((l) => l?.location?.display).filter((name): name is string => typeof name === 'string' && name.trim() !== '');
}
