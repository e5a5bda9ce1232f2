import { loadMergeContract } from '../../../gateway/network/loadMergeContract';
import { prepareSourceOperation } from '../../../gateway/network/prepareSourceOperation';

const contract = loadMergeContract();

describe('prepareSourceOperation', () => {
  it('adds the key and sort values to an _entities operation and plans each response key', () => {
    const operation = prepareSourceOperation(
      'query Q($representations:[_Any!]!){_entities(representations:$representations){...on Patient{visits: encounters{id} conditions{id}}}}',
      contract,
    );
    expect(operation.kind).toBe('entities');
    expect(operation.query).toContain('_pgNationalId: nationalId');
    expect(operation.query).toMatch(/visits: encounters \{\s*id\s*_pgSortKey: period \{\s*start\s*\}/);
    expect(operation.query).toContain('_pgSortKey: recordedDate');
    expect(operation.kind === 'entities' && operation.fields.map((f) => f.responseKey)).toEqual(['visits', 'conditions']);
  });

  it('sends a null limit to sources and keeps the limit for after the merge', () => {
    const operation = prepareSourceOperation('query Q($n:Int){diagnosisCounts(first:$n){encounters}}', contract);
    expect(operation.kind).toBe('root');
    expect(operation.query).toContain('first: null');
    expect(operation.query).not.toContain('$n');
    expect(operation.query).toContain('_pgGroupKey: code');
    expect(operation.kind === 'root' && operation.fields[0]?.limit).toEqual({ kind: 'variable', name: 'n' });
  });

  it('uses the contract default limit when the argument is omitted', () => {
    const operation = prepareSourceOperation('{diagnosisCounts{code}}', contract);
    expect(operation.kind === 'root' && operation.fields[0]?.limit).toEqual({ kind: 'literal', value: 20 });
  });

  it('records the facilityCodes argument that restricts routing', () => {
    const operation = prepareSourceOperation('{encounterCount(facilityCodes:["01001"])}', contract);
    expect(operation.kind === 'root' && operation.fields[0]?.facilityCodes).toEqual({ kind: 'literal', value: ['01001'] });
  });
});
