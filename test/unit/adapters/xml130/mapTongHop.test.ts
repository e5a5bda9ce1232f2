import { mapTongHop } from '../../../../adapters/xml130/mapTongHop';
import { xml1Fields, type Fields } from './claimFixtures';

const row = (fields: Fields): ReadonlyMap<string, string> => new Map(Object.entries(fields));

describe('mapTongHop', () => {
  it('leaves an episode without NGAY_RA in progress, with its conditions recorded at admission', () => {
    const { NGAY_RA: _end, ...open } = xml1Fields('LK1');
    const mapping = mapTongHop(row(open));
    if (mapping.kind !== 'mapped') throw new Error(mapping.reasons.join('; '));
    expect(mapping.value.encounter.status).toBe('IN_PROGRESS');
    expect(mapping.value.encounter.period).toEqual({ start: '2024-03-01T08:30:00+07:00', end: null });
    expect(mapping.value.conditions.map((c) => c.recordedDate)).toEqual(['2024-03-01T08:30:00+07:00', '2024-03-01T08:30:00+07:00']);
  });

  it('takes the first card when a new one was issued during the stay', () => {
    const mapping = mapTongHop(row(xml1Fields('LK1', { MA_THE_BHYT: 'dn4010123456789;DN4019999999999' })));
    expect(mapping.kind === 'mapped' && [mapping.value.patient.insuranceNumber, mapping.value.encounter.cost?.insuranceCardUsed])
      .toEqual(['DN4010123456789', 'DN4010123456789']);
  });

  it('keeps MA_BN, SO_CCCD (in the system its form says: CCCD, old CMND, other document) and the card as identifiers', () => {
    const identifiersOf = (overrides: Record<string, string>) => {
      const mapping = mapTongHop(row(xml1Fields('LK1', { MA_BN: 'BN7', MA_THE_BHYT: 'DN4010123456789', ...overrides })));
      return mapping.kind === 'mapped' ? mapping.value.patient.identifiers : null;
    };
    expect(identifiersOf({ SO_CCCD: '001080012345' })).toEqual([
      { system: 'urn:oid:vn:facility-mrn', value: 'BN7' },
      { system: 'urn:oid:vn:national-id', value: '001080012345' },
      { system: 'http://fhir.ehealth.gov.vn/core/sid/insurance_number', value: 'DN4010123456789' },
    ]);
    expect(identifiersOf({ SO_CCCD: '012345678' })?.[1]).toEqual({ system: 'urn:vn:cmnd', value: '012345678' });
    expect(identifiersOf({ SO_CCCD: 'B1234567' })?.[1]).toEqual({ system: 'urn:vn:identity-document', value: 'B1234567' });
  });

  it('maps GIOI_TINH 3 to UNKNOWN and an unknown code to no gender', () => {
    const three = mapTongHop(row(xml1Fields('LK1', { GIOI_TINH: '3' })));
    const nine = mapTongHop(row(xml1Fields('LK1', { GIOI_TINH: '9' })));
    expect(three.kind === 'mapped' && three.value.patient.gender).toBe('UNKNOWN');
    expect(nine.kind === 'mapped' && nine.value.patient.gender).toBeNull();
  });

  it('refuses an episode of another facility and a malformed amount, reporting every problem at once', () => {
    const mapping = mapTongHop(row(xml1Fields('LK1', { MA_CSKCB: '79902', T_BHTT: '1.000.000', MA_BN: '' })), '01901');
    expect(mapping).toEqual({ kind: 'invalid', reasons: [
      'XML1 field 3 MA_BN is missing (mandatory)',
      'XML1 field 58 MA_CSKCB names another facility',
      'XML1 field 51 T_BHTT is not a number',
    ] });
  });

  it('has no cost when XML1 carries no amount and no card', () => {
    const { T_TONGCHI_BV: _a, T_BNTT: _b, T_BNCCT: _c, T_BHTT: _d, MA_THE_BHYT: _e, ...fields } = xml1Fields('LK1');
    const mapping = mapTongHop(row(fields));
    expect(mapping.kind === 'mapped' && mapping.value.encounter.cost).toBeNull();
  });
});
