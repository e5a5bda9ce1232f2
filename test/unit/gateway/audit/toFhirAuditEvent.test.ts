import { EMPTY_CHAIN_HEAD } from '../../../../gateway/audit/AuditRecord';
import { chainAuditRecord } from '../../../../gateway/audit/chainAuditRecord';
import { toFhirAuditBundle } from '../../../../gateway/audit/toFhirAuditBundle';
import { FACILITY_CODE_SYSTEM, toFhirAuditEvent } from '../../../../gateway/audit/toFhirAuditEvent';
import type { PurposeOfUse } from '../../../../core/security/Principal';
import { PATIENT_A, PATIENT_B, sampleAuditEntry } from './sampleAuditEntry';

const ACT_REASON = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';

describe('toFhirAuditEvent', () => {
  const record = chainAuditRecord(sampleAuditEntry(), { seq: 6, hash: 'c'.repeat(64) });
  const event = toFhirAuditEvent(record);

  it('maps a lookup by national ID to a RESTful read (action R) recorded at the record time', () => {
    expect(event.resourceType).toBe('AuditEvent');
    expect(event.id).toBe('7');
    expect(event.type).toEqual({ system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest', display: 'Restful Operation' });
    expect(event.subtype).toEqual([{ system: 'http://hl7.org/fhir/restful-interaction', code: 'read' }]);
    expect(event.action).toBe('R');
    expect(event.recorded).toBe(record.time);
    expect(event.outcome).toBe('0');
    expect(event.outcomeDesc).toBeUndefined();
  });

  it('maps a search over the patient index to a RESTful search (action E)', () => {
    const search = toFhirAuditEvent(chainAuditRecord(sampleAuditEntry({ fields: ['Query.patients', 'PatientConnection.edges'] }), EMPTY_CHAIN_HEAD));
    expect(search.subtype?.[0]?.code).toBe('search');
    expect(search.action).toBe('E');
  });

  it('maps a mutation to a FHIR operation (action E)', () => {
    const mutation = toFhirAuditEvent(chainAuditRecord(sampleAuditEntry({ operation: { ...sampleAuditEntry().operation, type: 'mutation' }, fields: ['Mutation.breakTheGlass'] }), EMPTY_CHAIN_HEAD));
    expect(mutation.subtype?.[0]?.code).toBe('operation');
    expect(mutation.action).toBe('E');
  });

  it.each([
    ['success', '0'],
    ['partial', '4'],
    ['denied', '4'],
    ['error', '8'],
  ] as const)('maps outcome %s to AuditEvent.outcome %s', (outcome, code) => {
    const errorCodes = outcome === 'success' ? [] : (['SOURCE_UNAVAILABLE'] as const);
    const mapped = toFhirAuditEvent(chainAuditRecord(sampleAuditEntry({ outcome, errorCodes: [...errorCodes] }), EMPTY_CHAIN_HEAD));
    expect(mapped.outcome).toBe(code);
    if (outcome !== 'success') expect(mapped.outcomeDesc).toBe(`${outcome}: SOURCE_UNAVAILABLE`);
  });

  it('names the requesting user with role, facility, token id and purpose of use', () => {
    const user = event.agent.find((a) => a.requestor);
    expect(user?.who).toEqual({ identifier: { value: 'dr-nguyen-01' } });
    expect(user?.role?.[0]?.coding?.[0]?.code).toBe('clinician');
    expect(user?.location?.identifier).toEqual({ system: FACILITY_CODE_SYSTEM, value: '01001' });
    expect(user?.policy).toEqual(['jti-7f3a']);
    expect(user?.purposeOfUse).toEqual([{ coding: [{ system: ACT_REASON, code: 'TREAT', display: 'treatment' }] }]);
    expect(event.agent.filter((a) => a.requestor)).toHaveLength(1);
  });

  it.each([
    ['treatment', 'TREAT'],
    ['payment', 'HPAYMT'],
    ['operations', 'HOPERAT'],
    ['research', 'HRESCH'],
    ['public-health', 'PUBHLTH'],
    ['emergency', 'ETREAT'],
  ] as const)('maps purpose of use %s to v3 PurposeOfUse %s', (purpose: PurposeOfUse, code) => {
    const mapped = toFhirAuditEvent(chainAuditRecord(sampleAuditEntry({ principal: { ...sampleAuditEntry().principal, purposeOfUse: purpose } }), EMPTY_CHAIN_HEAD));
    expect(mapped.agent[0]?.purposeOfUse?.[0]?.coding?.[0]).toMatchObject({ system: ACT_REASON, code });
  });

  it('identifies a patient user by their national ID', () => {
    const mapped = toFhirAuditEvent(chainAuditRecord(sampleAuditEntry({ principal: { sub: PATIENT_A, role: 'patient', facilityCode: null, purposeOfUse: 'treatment', tokenId: null } }), EMPTY_CHAIN_HEAD));
    expect(mapped.agent[0]?.who?.identifier).toEqual({ system: 'urn:oid:vn:national-id', value: PATIENT_A });
    expect(mapped.agent[0]?.location).toBeUndefined();
    expect(mapped.agent[0]?.policy).toBeUndefined();
  });

  it('has the gateway as observer', () => {
    expect(event.source.observer).toEqual({ display: 'patient-graph gateway' });
  });

  it('has one Patient entity per patient touched, identified by national ID', () => {
    const mapped = toFhirAuditEvent(chainAuditRecord(sampleAuditEntry({ patients: [PATIENT_A, PATIENT_B] }), EMPTY_CHAIN_HEAD));
    const patients = (mapped.entity ?? []).filter((e) => e.role?.code === '1');
    expect(patients.map((e) => e.what)).toEqual([
      { type: 'Patient', identifier: { system: 'urn:oid:vn:national-id', value: PATIENT_A } },
      { type: 'Patient', identifier: { system: 'urn:oid:vn:national-id', value: PATIENT_B } },
    ]);
    expect(patients.every((e) => e.type?.code === '1')).toBe(true);
  });

  it('has one entity per source: an Organization per facility code, a system object per contract service', () => {
    const sources = (event.entity ?? []).filter((e) => e.role?.code === '17');
    expect(sources.map((e) => [e.type?.code, e.what?.type, e.what?.identifier?.value])).toEqual([
      ['3', 'Organization', '01001'],
      ['3', 'Organization', '79002'],
      ['2', undefined, 'identity'],
    ]);
    expect(sources[0]?.what?.identifier?.system).toBe(FACILITY_CODE_SYSTEM);
  });

  it('carries the trace id as a BALP XrequestId entity and the operation as the query entity', () => {
    const trace = event.entity?.find((e) => e.type?.code === 'XrequestId');
    expect(trace?.what?.identifier?.value).toBe(record.traceId);
    const query = event.entity?.find((e) => e.role?.code === '24');
    expect(query?.name).toBe('PatientRecord');
    expect(query?.detail).toEqual(
      expect.arrayContaining([
        { type: 'documentHash', valueString: record.operation.documentHash },
        { type: 'fields', valueString: 'Encounter.id Patient.encounters Query.patient' },
      ]),
    );
  });

  it('records break-the-glass as purpose of event BTG with the reason, and the flags', () => {
    const mapped = toFhirAuditEvent(chainAuditRecord(sampleAuditEntry({ breakTheGlass: { reason: 'Bệnh nhân bất tỉnh tại cấp cứu' }, flags: ['review'] }), EMPTY_CHAIN_HEAD));
    expect(mapped.purposeOfEvent).toEqual([{ coding: [{ system: ACT_REASON, code: 'BTG', display: 'break the glass' }] }]);
    const detail = mapped.entity?.find((e) => e.role?.code === '24')?.detail;
    expect(detail).toEqual(expect.arrayContaining([{ type: 'breakTheGlassReason', valueString: 'Bệnh nhân bất tỉnh tại cấp cứu' }, { type: 'flags', valueString: 'review' }]));
    expect(event.purposeOfEvent).toBeUndefined();
  });
});

describe('toFhirAuditBundle', () => {
  it('wraps the events in a collection Bundle in seq order', () => {
    const first = chainAuditRecord(sampleAuditEntry(), EMPTY_CHAIN_HEAD);
    const second = chainAuditRecord(sampleAuditEntry({ traceId: 'trace-2' }), first);
    const bundle = toFhirAuditBundle([first, second]);
    expect(bundle.resourceType).toBe('Bundle');
    expect(bundle.type).toBe('collection');
    expect(bundle.entry?.map((e) => e.resource?.id)).toEqual(['1', '2']);
  });

  it('exports each released aggregate as a Report entity with its arguments and cell counts, never values', () => {
    const analytics = toFhirAuditEvent(
      chainAuditRecord(
        sampleAuditEntry({
          fields: ['Query.population'],
          patients: [],
          aggregates: [{ field: 'Query.population', arguments: { measure: 'PATIENTS', groupBy: ['AGE_BAND'], icd10Prefixes: ['E11'], first: 20, to: null }, cellsReleased: 12, cellsSuppressed: 3 }],
        }),
        EMPTY_CHAIN_HEAD,
      ),
    );
    const reports = analytics.entity?.filter((e) => e.role?.code === '3') ?? [];
    expect(reports).toEqual([
      {
        type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '2', display: 'System Object' },
        role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '3', display: 'Report' },
        name: 'Query.population',
        description: 'aggregate released through disclosure control',
        detail: [
          { type: 'argument.measure', valueString: 'PATIENTS' },
          { type: 'argument.groupBy', valueString: '["AGE_BAND"]' },
          { type: 'argument.icd10Prefixes', valueString: '["E11"]' },
          { type: 'argument.first', valueString: '20' },
          { type: 'argument.to', valueString: 'null' },
          { type: 'cellsReleased', valueString: '12' },
          { type: 'cellsSuppressed', valueString: '3' },
        ],
      },
    ]);
    // A record without aggregates has no Report entity.
    expect(toFhirAuditEvent(chainAuditRecord(sampleAuditEntry(), EMPTY_CHAIN_HEAD)).entity?.some((e) => e.role?.code === '3')).toBe(false);
  });
});
