import { validateResource } from '@medplum/core';
import type { Coverage, Encounter, Observation, Patient, Resource } from '@medplum/fhirtypes';
import { indexMedplumDefinitions } from '../../../../demo/fhir/indexMedplumDefinitions';
import type { EverythingPatient, EverythingProvenance } from '../../../../gateway/fhir/everythingQuery';
import { VSS_SOURCE } from '../../../../gateway/fhir/fhirId';
import { toFhirEverythingBundle, VN_CORE } from '../../../../gateway/fhir/toFhirEverythingBundle';
import { VSS_RECORD_SYSTEM } from '../../../../gateway/fhir/toFhirInsuredVisit';

const provenance: EverythingProvenance = { source: { facilityCode: '01001', facilityName: 'Bệnh viện A', system: 'fhir-r4' }, match: { method: 'NATIONAL_ID', confidence: 1 } };
const loinc = (code: string) => ({ system: 'http://loinc.org', code, display: null });

/** A record with every field the clinical and insurance contracts add to the FHIR out (dates at partial precision). */
const patient: EverythingPatient = {
  nationalId: '001080000777',
  insuranceNumber: 'DN4010100000001',
  name: { full: 'Lê Văn Tư', family: 'Lê', given: ['Văn', 'Tư'] },
  birthDate: '1940-02-01',
  gender: 'MALE',
  deceased: [{ ...provenance, deceased: true, deceasedAt: '2024-11' }, { ...provenance, deceased: false, deceasedAt: null }],
  encounters: [{
    ...provenance, id: '01001:E1', status: 'FINISHED', class: 'INPATIENT',
    period: { start: '2024-10-02T00:00:00+07:00', end: '2024-10-20T16:00:00+07:00', startAsRecorded: '2024-10-02', endAsRecorded: '2024-10-20T16:00:00+07:00' },
    diagnoses: [{ code: { system: 'http://hl7.org/fhir/sid/icd-10', code: 'I10', display: 'Tăng huyết áp' }, role: 'PRIMARY', rank: 1 }],
    types: [{ system: 'http://snomed.info/sct', code: '185345009', display: 'Encounter for symptom' }], serviceProvider: 'BV A', locations: ['Khoa Nội'],
  }],
  conditions: [{
    ...provenance, id: '01001:C1', code: { system: 'http://hl7.org/fhir/sid/icd-10', code: 'I10', display: null }, clinicalStatus: 'ACTIVE', recordedAsRecorded: '2024-10-02', encounterId: '01001:E1',
    verificationStatus: 'confirmed', categories: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'encounter-diagnosis', display: null }], onsetAsRecorded: '2012-05',
  }],
  observations: [{
    ...provenance, id: '01001:O1', status: 'FINAL', code: loinc('85354-9'), valueQuantity: null, valueString: null, interpretation: null, effectiveAsRecorded: '2024-10-03', encounterId: '01001:E1',
    valueCoding: null, categories: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: null }], issued: '2024-10-03T10:00:00+07:00',
    components: [
      { code: loinc('8480-6'), valueQuantity: { value: 107, unit: 'mmHg', code: 'mm[Hg]' }, valueString: null, valueCoding: null, interpretation: 'N' },
      { code: loinc('8462-4'), valueQuantity: { value: 60, unit: 'mmHg', code: 'mm[Hg]' }, valueString: null, valueCoding: null, interpretation: 'L' },
    ],
  }, {
    ...provenance, id: '01001:O2', status: 'FINAL', code: loinc('883-9'), valueQuantity: null, valueString: 'A', interpretation: null, effectiveAsRecorded: '2024', encounterId: null,
    valueCoding: { system: 'http://snomed.info/sct', code: '112144000', display: 'Blood group A (finding)' }, categories: null, issued: null, components: null,
  }],
  medications: [{ ...provenance, id: '01001:M1', status: 'ACTIVE', medication: { system: null, code: 'PARA500', display: 'Paracetamol 500 mg' }, dosageText: null, route: null, authoredAsRecorded: '2024-10', encounterId: null }],
  procedures: [{ ...provenance, id: '01001:P1', status: 'COMPLETED', code: { system: null, code: '47.01', display: null }, performedAsRecorded: '2013-04', encounterId: null }],
  allergies: [{ ...provenance, id: '01001:A1', code: { system: null, code: 'penicillin', display: null }, category: 'MEDICATION', criticality: null, reactionText: null, recordedAsRecorded: '2019' }],
  insuranceCard: {
    number: 'DN4010100000001', status: 'EXPIRED_NEW_CARD_ISSUED', beneficiaryGroup: 'DN', benefitLevel: 4, provinceCode: '01', socialInsuranceNumber: '0100000001',
    registeredFacilityCode: '01001', validFrom: '2024-01-01', validTo: '2024-12-31',
    newCard: { number: 'DN4010100000002', validFrom: '2025-01-01', validTo: '2025-12-31', registeredFacilityCode: null },
  },
  insuredVisits: [
    { recordId: 'HS-1', facilityCode: '01001', facilityName: 'Bệnh viện A', admittedAt: '2024-10-02T08:00:00+07:00', dischargedAt: '2024-10-20T16:00:00+07:00', diagnosisText: 'Tăng huyết áp', dischargeStatus: 'DISCHARGED', treatmentResult: 'DIED' },
    { recordId: 'HS-2', facilityCode: '79001', facilityName: null, admittedAt: '2023-03-01T08:00:00+07:00', dischargedAt: null, diagnosisText: null, dischargeStatus: 'UNKNOWN', treatmentResult: 'UNKNOWN' },
  ],
};

describe('toFhirEverythingBundle: the fields added since, the card and the VSS history', () => {
  beforeAll(async () => {
    await indexMedplumDefinitions();
  }, 120_000);

  const bundle = toFhirEverythingBundle(patient, 'http://gw/fhir', '2025-01-01T00:00:00Z');
  const resources = (bundle.entry ?? []).map((e) => e.resource as Resource);
  const byId = (type: string, id: string) => resources.find((r) => r.resourceType === type && r.id === id);

  it('gives valid FHIR R4 resources only (validateResource of @medplum/core)', () => {
    for (const resource of resources) expect({ id: `${resource.resourceType}/${resource.id ?? ''}`, issues: validateResource(resource) }).toEqual({ id: `${resource.resourceType}/${resource.id ?? ''}`, issues: [] });
    expect(validateResource(bundle)).toEqual([]);
  });

  it('keeps dates at the precision the source recorded them', () => {
    expect((byId('Encounter', '01001-E1') as Encounter).period).toEqual({ start: '2024-10-02', end: '2024-10-20T16:00:00+07:00' });
    expect(byId('Condition', '01001-C1')).toMatchObject({ onsetDateTime: '2012-05', verificationStatus: { coding: [{ code: 'confirmed' }] }, category: [{ coding: [{ code: 'encounter-diagnosis' }] }] });
    expect(byId('Observation', '01001-O2')).toMatchObject({ effectiveDateTime: '2024', valueCodeableConcept: { coding: [{ code: '112144000' }], text: 'A' } });
    expect(byId('Procedure', '01001-P1')).toMatchObject({ performedDateTime: '2013-04' });
    expect(byId('Condition', '01001-C1')).toMatchObject({ recordedDate: '2024-10-02' });
    expect(byId('MedicationRequest', '01001-M1')).toMatchObject({ authoredOn: '2024-10' });
    expect(byId('AllergyIntolerance', '01001-A1')).toMatchObject({ recordedDate: '2019' });
  });

  it('says the patient died when a hospital records it, at the precision recorded', () => {
    expect((byId('Patient', '001080000777') as Patient).deceasedDateTime).toBe('2024-11');
    expect(toFhirEverythingBundle({ ...patient, deceased: [] }, 'http://gw/fhir', '2025-01-01T00:00:00Z').entry?.[0]?.resource).not.toHaveProperty('deceasedBoolean');
  });

  it('keeps the encounter type, location, category, issued time and both parts of a blood pressure', () => {
    expect(byId('Encounter', '01001-E1')).toMatchObject({ type: [{ coding: [{ code: '185345009' }] }], location: [{ location: { display: 'Khoa Nội' } }], serviceProvider: { display: 'BV A' } });
    const bp = byId('Observation', '01001-O1') as Observation;
    expect(bp).toMatchObject({ category: [{ coding: [{ code: 'vital-signs' }] }], issued: '2024-10-03T10:00:00+07:00', effectiveDateTime: '2024-10-03' });
    expect(bp.component?.map((c) => [c.code.coding?.[0]?.code, c.valueQuantity?.value, c.interpretation?.[0]?.coding?.[0]?.code])).toEqual([['8480-6', 107, 'N'], ['8462-4', 60, 'L']]);
  });

  it('gives the insurance card (and the new one) as Coverage with VN Core identifiers, from VSS', () => {
    const coverages = resources.filter((r): r is Coverage => r.resourceType === 'Coverage');
    expect(coverages.map((c) => [c.identifier?.[0]?.system, c.identifier?.[0]?.value, c.status, c.period])).toEqual([
      [VN_CORE.INSURANCE_NUMBER, 'DN4010100000001', 'cancelled', { start: '2024-01-01', end: '2024-12-31' }],
      [VN_CORE.INSURANCE_NUMBER, 'DN4010100000002', 'active', { start: '2025-01-01', end: '2025-12-31' }],
    ]);
    expect(coverages[0]).toMatchObject({ subscriberId: '0100000001', beneficiary: { reference: 'Patient/001080000777' }, meta: { source: VSS_SOURCE } });
    expect(coverages[0]?.class?.map((c) => [c.type.coding?.[0]?.code, c.value])).toEqual([['group', 'DN'], ['plan', '4'], ['subgroup', '01001']]);
    const unconfirmed = toFhirEverythingBundle({ ...patient, insuranceCard: { ...patient.insuranceCard!, status: 'NAME_MISMATCH' } }, 'http://gw/fhir', '2025-01-01T00:00:00Z');
    expect(unconfirmed.entry?.some((e) => e.resource?.resourceType === 'Coverage')).toBe(false);
  });

  it('gives the VSS visit history as Encounters, with a Provenance naming VSS', () => {
    const visit = byId('Encounter', 'vss-HS-1') as Encounter;
    expect(visit).toMatchObject({
      identifier: [{ system: VSS_RECORD_SYSTEM, value: 'HS-1' }], status: 'finished', meta: { source: VSS_SOURCE },
      serviceProvider: { identifier: { value: '01001' } }, diagnosis: [{ condition: { display: 'Tăng huyết áp' } }],
      hospitalization: { dischargeDisposition: { coding: [{ code: 'exp' }] } },
    });
    expect(byId('Encounter', 'vss-HS-2')).toMatchObject({ status: 'unknown', period: { start: '2023-03-01T08:00:00+07:00' } });
    const vss = byId('Provenance', 'provenance-vss');
    expect(vss).toMatchObject({ target: expect.arrayContaining([{ reference: 'Encounter/vss-HS-1' }, { reference: 'Coverage/coverage-DN4010100000001' }]) });
  });
});
