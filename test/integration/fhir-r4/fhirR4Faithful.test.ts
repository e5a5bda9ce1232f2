import type { AllergyIntolerance, Condition, Encounter, MedicationRequest, Observation, Patient } from '@medplum/fhirtypes';
import { fhirR4Config } from '../../../adapters/fhir-r4/FhirR4Config';
import { FhirR4Adapter } from '../../../adapters/fhir-r4/FhirR4Adapter';
import { silentLogger } from '../../../core/logging/logger';
import { graphql } from 'graphql';
import { CODE_SYSTEMS } from '../../../contracts/model/clinical';
import { IDENTIFIER_SYSTEMS } from '../../../contracts/model/patient';
import { createClinicalSubgraph } from '../../../adapters/sdk/createClinicalSubgraph';
import { startMedplumFhirServer, type RunningMedplumFhirServer } from '../../../demo/fhir/startMedplumFhirServer';

const facility = { code: '01001', name: 'Bệnh viện thử nghiệm' };
const ICD10_CM = 'http://hl7.org/fhir/sid/icd-10-cm';

/**
 * Resources shaped as Synthea writes them (and US Core links them): the diagnosis names its
 * encounter, the encounter lists no diagnosis; a blood pressure is a panel with two components.
 */
describe('FhirR4Adapter reads Synthea/US Core shaped resources faithfully over a real FHIR server', () => {
  let fhir: RunningMedplumFhirServer;
  let adapter: FhirR4Adapter;
  let patientId: string;

  beforeAll(async () => {
    fhir = await startMedplumFhirServer({ logger: silentLogger });
    const patient = await fhir.repo.createResource<Patient>({ resourceType: 'Patient', name: [{ family: 'Synthea', given: ['Test'] }], birthDate: '1980-01-01' });
    patientId = patient.id ?? '';
    const encounter = await fhir.repo.createResource<Encounter>({
      resourceType: 'Encounter',
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
      type: [{ coding: [{ system: 'http://snomed.info/sct', code: '185345009', display: 'Encounter for symptom' }] }],
      subject: { reference: `Patient/${patientId}` },
      period: { start: '2025-03-10T08:00:00+07:00', end: '2025-03-10T09:00:00+07:00' },
      location: [{ location: { display: 'Phòng khám Nội 2' } }],
      serviceProvider: { display: 'Bệnh viện thử nghiệm' },
    });
    await fhir.repo.createResource<Condition>({
      resourceType: 'Condition',
      subject: { reference: `Patient/${patientId}` },
      encounter: { reference: `Encounter/${encounter.id ?? ''}` },
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'encounter-diagnosis' }] }],
      verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
      code: { coding: [{ system: ICD10_CM, code: 'J45.909', display: 'Unspecified asthma, uncomplicated' }], text: 'Asthma' },
      onsetDateTime: '2025-03-10T08:30:00+07:00',
    });
    await fhir.repo.createResource<Observation>({
      resourceType: 'Observation',
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '85354-9', display: 'Blood pressure panel' }] },
      subject: { reference: `Patient/${patientId}` },
      encounter: { reference: `Encounter/${encounter.id ?? ''}` },
      effectiveDateTime: '2025-03-10T08:10:00+07:00',
      component: [
        { code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, valueQuantity: { value: 107, unit: 'mm[Hg]', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } },
        { code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] }, valueQuantity: { value: 60, unit: 'mm[Hg]', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } },
      ],
    });
    adapter = new FhirR4Adapter(fhirR4Config(fhir.baseUrl, { birthDateSearch: 'batch' }), { logger: silentLogger, facility });
  }, 120_000);

  afterAll(async () => {
    await fhir.stop();
  });

  it("puts a diagnosis linked by Condition.encounter in the encounter's diagnoses, as ICD-10", async () => {
    const [row] = await adapter.loadResources('encounters', [patientId]);
    expect(row?.resource.diagnoses).toEqual([{ code: { system: CODE_SYSTEMS.ICD10, code: 'J45.9', display: 'Asthma' }, role: 'PRIMARY', rank: 1 }]);
    expect(row?.resource.types?.[0]?.code).toBe('185345009');
    expect(row?.resource.locations).toEqual(['Phòng khám Nội 2']);
    expect(row?.resource.serviceProvider).toBe('Bệnh viện thử nghiệm');
  });

  it('counts it in diagnosisCounts', async () => {
    expect(await adapter.diagnosisCounts({ from: '2025-03-01', to: '2025-03-31' })).toEqual([{ code: 'J45.9', display: 'Asthma', encounters: 1 }]);
  });

  it('keeps both values of the blood pressure', async () => {
    const [row] = await adapter.loadResources('observations', [patientId]);
    expect(row?.resource.valueQuantity).toBeNull();
    expect(row?.resource.components?.map((c) => [c.code.code, c.valueQuantity?.value])).toEqual([['8480-6', 107], ['8462-4', 60]]);
    expect(row?.resource.categories?.[0]?.code).toBe('vital-signs');
  });

  describe('date precision and Patient.deceased[x], through the clinical subgraph (SDK resolvers, contract scalars)', () => {
    const NATIONAL_ID = '001080000777';
    const ENTITIES = `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Patient {
      deceased { deceased deceasedAt source { facilityCode } match { method } }
      encounters { period { start end startAsRecorded endAsRecorded } }
      conditions { onsetDateTime onsetAsRecorded }
      observations { effectiveDateTime effectiveAsRecorded }
    } } }`;

    it('keeps a date-only value as the source wrote it, and tells the death the hospital records', async () => {
      const dead = await fhir.repo.createResource<Patient>({
        resourceType: 'Patient',
        identifier: [{ system: IDENTIFIER_SYSTEMS.NATIONAL_ID, value: NATIONAL_ID }],
        name: [{ family: 'Lê', given: ['Văn', 'Tư'] }],
        birthDate: '1940-02-01',
        deceasedDateTime: '2024-11',
      });
      const subject = { reference: `Patient/${dead.id ?? ''}` };
      await fhir.repo.createResource<Encounter>({ resourceType: 'Encounter', status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' }, subject, period: { start: '2024-10-02', end: '2024-10-20T16:00:00+07:00' } });
      await fhir.repo.createResource<Condition>({ resourceType: 'Condition', subject, code: { coding: [{ system: CODE_SYSTEMS.ICD10, code: 'I10' }] }, onsetDateTime: '2012-05' });
      await fhir.repo.createResource<Observation>({ resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '2345-7' }] }, subject, effectiveDateTime: '2024-10-03' });

      const subgraph = createClinicalSubgraph({ facility, adapter, logger: silentLogger });
      const result = await graphql({
        schema: subgraph.schema,
        source: ENTITIES,
        variableValues: { representations: [{ __typename: 'Patient', nationalId: NATIONAL_ID, facilityCodes: [facility.code], insuranceNumber: null, name: { full: 'Lê Văn Tư' }, birthDate: '1940-02-01', gender: 'MALE' }] },
        contextValue: await subgraph.createContext(),
      });
      expect(result.errors).toBeUndefined();
      expect(result.data?._entities).toEqual([{
        deceased: [{ deceased: true, deceasedAt: '2024-11', source: { facilityCode: facility.code }, match: { method: 'NATIONAL_ID' } }],
        encounters: [{ period: { start: '2024-10-02T00:00:00+07:00', end: '2024-10-20T16:00:00+07:00', startAsRecorded: '2024-10-02', endAsRecorded: '2024-10-20T16:00:00+07:00' } }],
        conditions: [{ onsetDateTime: '2012-05-01T00:00:00+07:00', onsetAsRecorded: '2012-05' }],
        observations: [{ effectiveDateTime: '2024-10-03T00:00:00+07:00', effectiveAsRecorded: '2024-10-03' }],
      }]);
    });

    it('keeps recordedDate and authoredOn as the source wrote them; with a time, the DateTime is the answer', async () => {
      const nationalId = '001080000778';
      const patient = await fhir.repo.createResource<Patient>({
        resourceType: 'Patient', identifier: [{ system: IDENTIFIER_SYSTEMS.NATIONAL_ID, value: nationalId }], name: [{ family: 'Phạm', given: ['Thị', 'Năm'] }], birthDate: '1950-03-04',
      });
      const subject = { reference: `Patient/${patient.id ?? ''}` };
      await fhir.repo.createResource<Condition>({ resourceType: 'Condition', subject, code: { coding: [{ system: CODE_SYSTEMS.ICD10, code: 'E11' }] }, recordedDate: '2015-06' });
      await fhir.repo.createResource<Condition>({ resourceType: 'Condition', subject, code: { coding: [{ system: CODE_SYSTEMS.ICD10, code: 'I10' }] }, recordedDate: '2016-01-02T09:30:00+07:00' });
      await fhir.repo.createResource<MedicationRequest>({
        resourceType: 'MedicationRequest', status: 'active', intent: 'order', subject, medicationCodeableConcept: { coding: [{ system: CODE_SYSTEMS.VN_DMDC_DRUG, code: '40.807' }] }, authoredOn: '2015-06-20',
      });
      await fhir.repo.createResource<AllergyIntolerance>({ resourceType: 'AllergyIntolerance', patient: subject, code: { text: 'Penicillin' }, recordedDate: '2009' });

      const subgraph = createClinicalSubgraph({ facility, adapter, logger: silentLogger });
      const result = await graphql({
        schema: subgraph.schema,
        source: `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Patient {
          conditions { code { code } recordedDate recordedAsRecorded }
          medications { authoredOn authoredAsRecorded }
          allergies { recordedDate recordedAsRecorded }
        } } }`,
        variableValues: { representations: [{ __typename: 'Patient', nationalId, facilityCodes: [facility.code], insuranceNumber: null, name: { full: 'Phạm Thị Năm' }, birthDate: '1950-03-04', gender: 'FEMALE' }] },
        contextValue: await subgraph.createContext(),
      });
      expect(result.errors).toBeUndefined();
      const [entity] = result.data?._entities as Array<{ conditions: Array<{ code: { code: string } }> }>;
      expect({ ...entity, conditions: [...(entity?.conditions ?? [])].sort((a, b) => a.code.code.localeCompare(b.code.code)) }).toEqual({
        conditions: [
          { code: { code: 'E11' }, recordedDate: '2015-06-01T00:00:00+07:00', recordedAsRecorded: '2015-06' },
          { code: { code: 'I10' }, recordedDate: '2016-01-02T09:30:00+07:00', recordedAsRecorded: '2016-01-02T09:30:00+07:00' },
        ],
        medications: [{ authoredOn: '2015-06-20T00:00:00+07:00', authoredAsRecorded: '2015-06-20' }],
        allergies: [{ recordedDate: '2009-01-01T00:00:00+07:00', recordedAsRecorded: '2009' }],
      });
    });

    it('answers no deceased row for a record that says nothing of a death', async () => {
      const subgraph = createClinicalSubgraph({ facility, adapter, logger: silentLogger });
      const result = await graphql({
        schema: subgraph.schema,
        source: `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Patient { deceased { deceased } } } }`,
        variableValues: { representations: [{ __typename: 'Patient', nationalId: '001080000001', facilityCodes: [facility.code], insuranceNumber: null, name: { full: 'Synthea Test' }, birthDate: '1980-01-01', gender: 'UNKNOWN' }] },
        contextValue: await subgraph.createContext(),
      });
      expect(result.errors).toBeUndefined();
      expect(result.data?._entities).toEqual([{ deceased: [] }]);
    });
  });
});
