import { containedId, referenceId } from '../../../../adapters/fhir-r4/referenceId';

describe('referenceId', () => {
  it.each([
    ['relative', 'Patient/BN0001234'],
    ['absolute', 'https://fhir.example.vn/fhir/Patient/BN0001234'],
    ['version-specific', 'Patient/BN0001234/_history/3'],
  ])('reads the id of a %s reference', (_case, reference) => {
    expect(referenceId({ reference }, 'Patient')).toBe('BN0001234');
  });

  it('ignores references to another type, contained and logical references', () => {
    expect(referenceId({ reference: 'Group/G1' }, 'Patient')).toBeUndefined();
    expect(referenceId({ reference: '#p1' }, 'Patient')).toBeUndefined();
    expect(referenceId({ identifier: { system: 'urn:oid:vn:national-id', value: '001090000001' } }, 'Patient')).toBeUndefined();
    expect(referenceId(undefined, 'Patient')).toBeUndefined();
  });

  it('reads contained references', () => {
    expect(containedId({ reference: '#med1' })).toBe('med1');
    expect(containedId({ reference: 'Medication/med1' })).toBeUndefined();
  });
});
