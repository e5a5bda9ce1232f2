import { Kind, type FieldDefinitionNode, type ObjectTypeDefinitionNode } from 'graphql';
import { NEWEST_FIRST_PATHS, sortNewestFirst } from '../../../../adapters/sdk/sortNewestFirst';
import { CLINICAL_RESOURCE_KINDS, type Condition } from '../../../../contracts/model/clinical';
import { loadContract } from '../../../../contracts/loadContract';

function condition(id: string, recordedDate: string | null): Condition {
  return { id, code: { system: null, code: 'I10', display: null }, clinicalStatus: 'ACTIVE', recordedDate, encounterId: null };
}

describe('sortNewestFirst', () => {
  it('orders by instant, newest first, whatever the offset, undated last, ties by id', () => {
    const sorted = sortNewestFirst('conditions', [
      condition('c', null),
      condition('b', '2024-03-01T08:00:00+07:00'), // 01:00Z
      condition('a', '2024-03-01T02:00:00Z'),
      condition('d', '2024-03-01T02:00:00Z'),
      condition('e', '2023-12-31T00:00:00+07:00'),
    ]);
    expect(sorted.map((c) => c.id)).toEqual(['a', 'd', 'b', 'e', 'c']);
  });

  it('orders each list by the field the contract merges it by (@merge orderBy, DESC)', () => {
    const patient = loadContract('clinical').typeDefs.definitions.find(
      (d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === 'Patient',
    );
    const mergeOf = (field: FieldDefinitionNode): Record<string, string> => {
      const merge = field.directives?.find((d) => d.name.value === 'merge');
      return Object.fromEntries((merge?.arguments ?? []).map((a) => [a.name.value, 'value' in a.value ? String(a.value.value) : '']));
    };
    for (const kind of CLINICAL_RESOURCE_KINDS) {
      const field = patient?.fields?.find((f) => f.name.value === kind);
      expect(field && mergeOf(field)).toMatchObject({ orderBy: NEWEST_FIRST_PATHS[kind], direction: 'DESC' });
    }
  });
});
