import { pageOfChanges, type ChangedPatient, type PatientChangeCursor, type PatientChangePage } from '../sdk/PatientChanges';
import { countPopulation } from '../sdk/population/countPopulation';
import { cohortPageOf, type KeyedEncounterFact } from '../sdk/population/cohortPageOf';
import type { CohortQuery, CohortSourcePage } from '../sdk/population/CohortQuery';
import { encounterFactOf, pseudonymBasisOf } from '../sdk/population/encounterFactOf';
import type { PseudonymBasis } from '../sdk/population/patientPseudonym';
import type { PopulationQuery, PopulationRow } from '../sdk/population/PopulationQuery';
import { noCostsRecorded } from '../sdk/population/noCostsRecorded';
import type {
  AllergyIntolerance as FhirAllergyIntolerance,
  Condition as FhirCondition,
  Encounter as FhirEncounter,
  Medication,
  MedicationRequest as FhirMedicationRequest,
  Observation as FhirObservation,
  Patient,
  Procedure as FhirProcedure,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import type {
  AnalyticsFilter,
  ClinicalAdapter,
  Facility,
  PatientLookup,
  PatientResource,
  SourcePatient,
} from '../sdk/ClinicalAdapter';
import { CODE_SYSTEMS, type ClinicalResourceKind, type DiagnosisCount, type Encounter } from '../../contracts/model/clinical';
import type { Logger } from '../../core/logging/logger';
import { escapeSearchValue, referenceSearchValue } from './escapeSearchValue';
import { FhirHttpClient } from './FhirHttpClient';
import type { FhirR4Config } from './FhirR4Config';
import { FhirSearchClient, type FhirSearchStats, type SearchResult } from './FhirSearchClient';
import { fhirSourceError } from './fhirSourceError';
import { mapAllergyIntolerance } from './mapAllergyIntolerance';
import { mapCondition } from './mapCondition';
import { conditionsByEncounter, mapEncounter, referencedConditionIds } from './mapEncounter';
import { mapMedicationRequest, referencedMedicationId } from './mapMedicationRequest';
import { mapObservation } from './mapObservation';
import { mapPatient } from './mapPatient';
import { mapProcedure } from './mapProcedure';
import { patientSearchTerms } from './patientSearchTerms';
import { referenceId } from './referenceId';
import { startsInWindow, windowSearchParams } from './startsInWindow';
import { countableAtServer, countEncountersAtServer } from './countEncountersAtServer';
import { NOT_ENTERED_IN_ERROR, startsBetweenParams } from './encounterCountParams';
import { toVietnamDate } from '../../core/time/vietnamTime';

export interface FhirR4AdapterDeps {
  readonly logger: Logger;
  readonly facility: Facility;
}

type Row = PatientResource<ClinicalResourceKind>;

/**
 * What population questions read of each resource (`_elements`, search.html#elements): what
 * mapEncounter, mapCondition (diagnoses, retraction) and mapPatient (identifiers for the
 * pseudonym, sex, birth date) use for a fact. A server that ignores `_elements` sends whole
 * resources, which map the same.
 */
const FACT_ELEMENTS = {
  Encounter: 'status,class,period,subject,diagnosis,contained',
  Condition: 'code,clinicalStatus,verificationStatus,category,subject,encounter',
  Patient: 'identifier,gender,birthDate',
} as const;

/** Most `_summary=count` searches one population question may take before it pages instead. */
const MAX_COUNT_SEARCHES = 1000;

/**
 * A `ClinicalAdapter` (system `fhir-r4`) over any FHIR R4 REST server (docs/architecture.md §4). Every call is
 * a constant number of FHIR searches for its batch, whatever the batch size (modulo URL-length
 * chunks): `findPatients` is one `Patient?identifier=` search (national IDs and BHXH codes OR-ed)
 * plus one birth-date search; `loadResources` is one `[type]?subject=Patient/a,Patient/b,…` search
 * per kind — encounters add one Condition search for their diagnoses (the conditions list's own
 * search, when both are asked at once), medication orders one Medication search when they
 * reference Medications the server did not `_include`. See README.md.
 */
export class FhirR4Adapter implements ClinicalAdapter {
  readonly system = 'fhir-r4';
  private readonly client: FhirSearchClient;
  private readonly http: FhirHttpClient;
  private readonly facilityCode: string;

  constructor(private readonly config: FhirR4Config, deps: FhirR4AdapterDeps) {
    this.facilityCode = deps.facility.code;
    const logger = deps.logger.child({ adapter: this.system });
    const http = new FhirHttpClient({
      baseUrl: config.baseUrl,
      auth: config.auth,
      timeoutMs: config.timeoutMs,
      maxResponseBytes: config.maxResponseBytes,
      facilityCode: this.facilityCode,
      logger,
    });
    this.http = http;
    this.client = new FhirSearchClient(http, {
      baseUrl: config.baseUrl,
      pageSize: config.pageSize,
      maxPages: config.maxPages,
      maxResources: config.maxResources,
      maxUrlLength: config.maxUrlLength,
      facilityCode: this.facilityCode,
      logger,
    });
  }

  /** Closes the kept-alive connections to the FHIR server. */
  close(): Promise<void> {
    return this.http.close();
  }

  /** Searches and HTTP requests made (constant per batch: see the class comment). */
  stats(): FhirSearchStats {
    return this.client.stats();
  }

  resetStats(): void {
    this.client.resetStats();
  }

  async findPatients(lookup: PatientLookup): Promise<readonly SourcePatient[]> {
    const terms = patientSearchTerms(lookup, this.config.identifierSystems);
    const found = await Promise.all([
      this.client.search('Patient', [], { name: 'identifier', values: terms.identifierTokens }),
      this.searchBirthDates(terms.birthDates),
    ]);
    const seen = new Set<string>();
    const candidates: SourcePatient[] = [];
    for (const resource of found.flatMap((result) => result.matches) as Patient[]) {
      if (resource.id === undefined || seen.has(resource.id) || !terms.accepts(resource)) continue;
      seen.add(resource.id);
      const candidate = this.read('Patient', () => mapPatient(resource, this.config.identifierSystems));
      if (candidate) candidates.push(candidate);
    }
    return candidates;
  }

  /**
   * The registration feed from `Patient.meta.lastUpdated` (search.html#lastUpdated): every Patient
   * updated at or after `since`, then paged here in (lastUpdated, id) order. The server records any
   * change of the Patient resource, demographics or not: a re-read record is matched again,
   * harmlessly. A Patient without `meta.lastUpdated` cannot be placed in the feed and is left out.
   */
  async patientsChangedSince(since: string, first: number, after: PatientChangeCursor | null): Promise<PatientChangePage> {
    const found = await this.client.search('Patient', [['_lastUpdated', `ge${new Date(since).toISOString()}`], ['_sort', '_lastUpdated']]);
    const changed: ChangedPatient[] = [];
    for (const resource of found.matches as Patient[]) {
      const updatedAt = resource.meta?.lastUpdated;
      if (updatedAt === undefined || Number.isNaN(Date.parse(updatedAt))) continue;
      const patient = this.read('Patient', () => mapPatient(resource, this.config.identifierSystems));
      if (patient) changed.push({ ...patient, updatedAt: new Date(updatedAt).toISOString() });
    }
    return pageOfChanges(changed, since, first, after);
  }

  async loadResources<K extends ClinicalResourceKind>(kind: K, patientLocalIds: readonly string[]): Promise<readonly PatientResource<K>[]> {
    const ids = [...new Set(patientLocalIds)];
    if (ids.length === 0) return [];
    // loadKind returns rows of exactly this kind; TypeScript cannot narrow K through the switch.
    return (await this.loadKind(kind, ids)) as readonly PatientResource<K>[];
  }

  async diagnosisCounts(filter: AnalyticsFilter): Promise<readonly DiagnosisCount[]> {
    const byCode = new Map<string, DiagnosisCount>();
    for (const encounter of await this.encountersStartingIn(filter, true)) {
      const primary = encounter.diagnoses.find((d) => d.role === 'PRIMARY');
      // The contract counts main diagnoses by ICD-10 code; other classifications are not mixed in.
      if (!primary || primary.code.system !== CODE_SYSTEMS.ICD10) continue;
      const row = byCode.get(primary.code.code);
      byCode.set(primary.code.code, {
        code: primary.code.code,
        display: row?.display ?? primary.code.display,
        encounters: (row?.encounters ?? 0) + 1,
      });
    }
    return [...byCode.values()];
  }

  /** One `_summary=count` search (encounterCountParams: the same encounters as paging would count). */
  async encounterCount(filter: AnalyticsFilter): Promise<number> {
    if (filter.from === null && filter.to === null) return this.client.count('Encounter', [NOT_ENTERED_IN_ERROR]);
    if (this.config.countAtServer) return this.client.count('Encounter', [NOT_ENTERED_IN_ERROR, ...startsBetweenParams(filter.from, filter.to)]);
    return (await this.encountersStartingIn(filter, false)).length;
  }

  /**
   * A population question (docs/analytics.md, README.md "Population questions"). Encounters grouped
   * only by facility, province, month, quarter, year or class, without an ICD-10 filter, are
   * counted at the server, one `_summary=count` search per cell (countEncountersAtServer). Any
   * other question reads the Encounters starting in the window (paged, only the fields a fact
   * needs), the Conditions they name and their Patients by `_id`, and counts here at the hospital;
   * only the cells leave. FHIR Encounters carry no costs (those are Claim/ExplanationOfBenefit,
   * not read), so `COST` is refused rather than answered 0.
   */
  async population(query: PopulationQuery, pseudonymOf: (basis: PseudonymBasis) => string): Promise<readonly PopulationRow[]> {
    if (query.measure === 'COST') throw noCostsRecorded(this.facilityCode, 'a FHIR Encounter has no cost; Claims are not read');
    if (this.config.countAtServer && countableAtServer(query)) {
      const today = toVietnamDate(new Date());
      const counted = await countEncountersAtServer((params) => this.client.count('Encounter', params), query, this.facilityCode, today, MAX_COUNT_SEARCHES);
      if (counted !== null) return counted;
    }
    const facts = await this.encounterFactsIn(query, query.measure === 'PATIENTS' ? pseudonymOf : null);
    return countPopulation(facts.map((f) => f.fact), query, this.facilityCode);
  }

  /**
   * A page of cohort rows (docs/analytics.md, "De-identified cohort rows"): the window's Encounters
   * are read as for `population` and paged here in the order of their FHIR ids (a FHIR search has
   * no portable keyset on `_id`), so only the page's rows leave the hospital.
   */
  async cohort(query: CohortQuery, pseudonymOf: (basis: PseudonymBasis) => string, after: string | null, first: number): Promise<CohortSourcePage> {
    return cohortPageOf(await this.encounterFactsIn(query, pseudonymOf), query, this.facilityCode, after, first);
  }

  /** The Encounters starting in the window as facts keyed by their FHIR id, their patients pseudonymized when asked. */
  private async encounterFactsIn(window: AnalyticsFilter, pseudonymOf: ((basis: PseudonymBasis) => string) | null): Promise<KeyedEncounterFact[]> {
    const found = await this.client.search('Encounter', [...windowSearchParams({ from: window.from, to: window.to }), ['_elements', FACT_ELEMENTS.Encounter]]);
    const fhirEncounters = found.matches as FhirEncounter[];
    const conditionIds = [...new Set(fhirEncounters.flatMap(referencedConditionIds))];
    const patientIds = [...new Set(fhirEncounters.flatMap((e) => referenceId(e.subject, 'Patient') ?? []))];
    const [conditions, patients] = await Promise.all([
      conditionIds.length > 0
        ? this.client.search('Condition', [['_elements', FACT_ELEMENTS.Condition]], { name: '_id', values: conditionIds.map(escapeSearchValue) })
        : Promise.resolve({ matches: [], included: [] }),
      patientIds.length > 0
        ? this.client.search('Patient', [['_elements', FACT_ELEMENTS.Patient]], { name: '_id', values: patientIds.map(escapeSearchValue) })
        : Promise.resolve({ matches: [], included: [] }),
    ]);
    const context = { codeSystems: this.config.codeSystems, conditions: byId<FhirCondition>(conditions.matches) };
    const people = new Map<string, { patient: SourcePatient; pseudonym: string }>();
    for (const resource of patients.matches as Patient[]) {
      const patient = this.read('Patient', () => mapPatient(resource, this.config.identifierSystems));
      if (!patient) continue;
      const pseudonym = pseudonymOf ? pseudonymOf(pseudonymBasisOf(patient, this.facilityCode)) : '';
      people.set(patient.localId, { patient, pseudonym });
    }
    const windowOnly = { from: window.from, to: window.to };
    return this.read('Encounter', () => fhirEncounters.flatMap((resource) => {
      const encounter = mapEncounter(resource, context);
      const person = people.get(referenceId(resource.subject, 'Patient') ?? '');
      if (encounter === null || person === undefined || !startsInWindow(encounter, windowOnly)) return [];
      return [{ key: encounter.id, fact: encounterFactOf(encounter, person.patient, person.pseudonym) }];
    }));
  }

  private loadKind(kind: ClinicalResourceKind, ids: readonly string[]): Promise<readonly Row[]> {
    const codeSystems = this.config.codeSystems;
    switch (kind) {
      case 'encounters':
        return this.loadEncounters(ids);
      case 'conditions':
        return this.rows<FhirCondition>('Condition', 'subject', ids, (r) => r.subject, (r) => mapCondition(r, codeSystems));
      case 'observations':
        return this.rows<FhirObservation>('Observation', 'subject', ids, (r) => r.subject, (r) => mapObservation(r, codeSystems));
      case 'medications':
        return this.loadMedications(ids);
      case 'procedures':
        return this.rows<FhirProcedure>('Procedure', 'subject', ids, (r) => r.subject, (r) => mapProcedure(r, codeSystems));
      case 'allergies':
        return this.rows<FhirAllergyIntolerance>('AllergyIntolerance', 'patient', ids, (r) => r.patient, (r) => mapAllergyIntolerance(r, codeSystems));
    }
  }

  /** Encounters, and the Conditions of the same patients in parallel (Encounter.diagnosis.condition). */
  private async loadEncounters(ids: readonly string[]): Promise<readonly Row[]> {
    const [encounters, conditions] = await Promise.all([this.byPatients('Encounter', 'subject', ids), this.byPatients('Condition', 'subject', ids)]);
    const context = {
      codeSystems: this.config.codeSystems,
      conditions: byId<FhirCondition>(conditions.matches),
      conditionsByEncounter: conditionsByEncounter(conditions.matches as FhirCondition[]),
    };
    return this.toRows<FhirEncounter>('Encounter', encounters.matches, ids, (r) => r.subject, (r) => mapEncounter(r, context));
  }

  /** Orders (with `_include` of their Medications, where supported), then any referenced Medication not included. */
  private async loadMedications(ids: readonly string[]): Promise<readonly Row[]> {
    const requests = await this.byPatients('MedicationRequest', 'subject', ids, [['_include', 'MedicationRequest:medication']]);
    const medications = byId<Medication>(requests.included.filter((r) => r.resourceType === 'Medication'));
    const missing = [...new Set((requests.matches as FhirMedicationRequest[]).map(referencedMedicationId))]
      .filter((id): id is string => id !== undefined && !medications.has(id));
    if (missing.length > 0) {
      const fetched = await this.client.search('Medication', [], { name: '_id', values: missing.map(escapeSearchValue) });
      for (const [id, medication] of byId<Medication>(fetched.matches)) medications.set(id, medication);
    }
    const context = { codeSystems: this.config.codeSystems, medications };
    return this.toRows<FhirMedicationRequest>('MedicationRequest', requests.matches, ids, (r) => r.subject, (r) => mapMedicationRequest(r, context));
  }

  private async rows<R extends Resource>(
    resourceType: R['resourceType'],
    patientParam: 'subject' | 'patient',
    ids: readonly string[],
    patientOf: (resource: R) => Reference | undefined,
    map: (resource: R) => Row['resource'] | null,
  ): Promise<readonly Row[]> {
    return this.toRows(resourceType, (await this.byPatients(resourceType, patientParam, ids)).matches, ids, patientOf, map);
  }

  /**
   * One search for every resource of a type that belongs to any of the patients: the reference
   * parameter holding the patient (`subject`; `patient` on AllergyIntolerance, which has no
   * subject) OR-ed over `Patient/<id>`. Not the `patient` parameter of the other types: its R4
   * expression is `subject.where(resolve() is Patient)`, which Medplum evaluates ~100× slower.
   */
  private byPatients(
    resourceType: string,
    patientParam: 'subject' | 'patient',
    ids: readonly string[],
    params: readonly (readonly [string, string])[] = [],
  ): Promise<SearchResult> {
    return this.client.search(resourceType, params, { name: patientParam, values: ids.map((id) => referenceSearchValue('Patient', id)) });
  }

  /** Maps search matches to rows of the patients asked about; anything else the server returned is dropped. */
  private toRows<R extends Resource>(
    resourceType: string,
    matches: readonly Resource[],
    ids: readonly string[],
    patientOf: (resource: R) => Reference | undefined,
    map: (resource: R) => Row['resource'] | null,
  ): readonly Row[] {
    const wanted = new Set(ids);
    return this.read(resourceType, () => (matches as R[]).flatMap((resource) => {
      const patientLocalId = referenceId(patientOf(resource), 'Patient');
      if (patientLocalId === undefined || !wanted.has(patientLocalId)) return [];
      const mapped = map(resource);
      return mapped ? [{ patientLocalId, resource: mapped }] : [];
    }));
  }

  /** Encounters (mapped) that start in the window, with their diagnoses resolved when asked. */
  private async encountersStartingIn(filter: AnalyticsFilter, withDiagnoses: boolean): Promise<Encounter[]> {
    const found = await this.client.search('Encounter', windowSearchParams(filter));
    const fhirEncounters = found.matches as FhirEncounter[];
    const conditionIds = withDiagnoses ? [...new Set(fhirEncounters.flatMap(referencedConditionIds))] : [];
    const encounterIds = withDiagnoses ? fhirEncounters.flatMap((e) => (typeof e.id === 'string' ? [e.id] : [])) : [];
    // The listed diagnoses by id, and the Conditions that name these encounters (Condition.encounter).
    const [listed, linked] = await Promise.all([
      conditionIds.length > 0 ? this.client.search('Condition', [], { name: '_id', values: conditionIds.map(escapeSearchValue) }) : undefined,
      encounterIds.length > 0 ? this.client.search('Condition', [], { name: 'encounter', values: encounterIds.map((id) => referenceSearchValue('Encounter', id)) }) : undefined,
    ]);
    const conditions = byId<FhirCondition>([...(listed?.matches ?? []), ...(linked?.matches ?? [])]);
    const context = { codeSystems: this.config.codeSystems, conditions, conditionsByEncounter: conditionsByEncounter((linked?.matches ?? []) as FhirCondition[]) };
    return this.read('Encounter', () => fhirEncounters
      .map((encounter) => mapEncounter(encounter, context))
      .filter((encounter): encounter is Encounter => encounter !== null && startsInWindow(encounter, filter)));
  }

  private searchBirthDates(dates: readonly string[]): Promise<SearchResult> {
    if (dates.length === 0) return Promise.resolve({ matches: [], included: [] });
    switch (this.config.birthDateSearch) {
      case 'or':
        return this.client.search('Patient', [], { name: 'birthdate', values: dates });
      case 'batch':
        return this.client.batchSearch('Patient', dates.map((date) => [['birthdate', date]]));
      case 'off':
        return Promise.resolve({ matches: [], included: [] });
    }
  }

  /** Runs a mapping over untrusted resources: a shape the mappers cannot read is the source's fault. */
  private read<T>(resourceType: string, mapping: () => T): T {
    try {
      return mapping();
    } catch (error) {
      throw fhirSourceError({ kind: 'malformed', reason: 'resources that cannot be read' }, { facilityCode: this.facilityCode, resourceType }, error);
    }
  }
}

function byId<R extends Resource>(resources: readonly Resource[]): Map<string, R> {
  return new Map(resources.flatMap((resource) => (typeof resource.id === 'string' ? [[resource.id, resource as R] as const] : [])));
}
