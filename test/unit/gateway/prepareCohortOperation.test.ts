import { loadMergeContract } from '../../../gateway/network/loadMergeContract';
import { prepareSourceOperation } from '../../../gateway/network/prepareSourceOperation';

const contract = loadMergeContract();

describe('prepareSourceOperation for a cohort field', () => {
  it('asks sources a fixed selection with their own place, without the client cursor, project, detail or fragments', () => {
    const operation = prepareSourceOperation(
      'query Q($after: String, $project: String, $detail: CohortDetail) { page: cohort(first: 50, after: $after, project: $project, detail: $detail, icd10Prefixes: ["E11"]) { ...P } } fragment P on CohortPage { rows { who: pseudonym } withheldRows }',
      contract,
    );
    expect(operation.kind).toBe('root');
    const query = operation.query;
    expect(query).toContain('$_pgCohortAfter0: String');
    expect(query).toContain('after: $_pgCohortAfter0');
    expect(query).toContain('networkPseudonym');
    expect(query).not.toContain('$after');
    expect(query).not.toContain('project');
    // The gateway generalizes rows itself; a source keeps answering exact rows whatever the level.
    expect(query).not.toContain('detail');
    expect(query).not.toContain('fragment');
    expect(query).not.toContain('who:');
    const field = operation.kind === 'root' ? operation.fields[0] : undefined;
    expect(field?.cohort?.afterVariable).toBe('_pgCohortAfter0');
    expect(field?.cohort?.after).toEqual({ kind: 'variable', name: 'after' });
    expect(field?.limit).toEqual({ kind: 'literal', value: 50 });
    expect(field?.cohort?.selections.map((s) => s.responseKey)).toEqual(['rows', 'withheldRows']);
  });

  it('never takes the name of a client variable for the place', () => {
    const operation = prepareSourceOperation('query Q($_pgCohortAfter0: [String!]) { cohort(icd10Prefixes: $_pgCohortAfter0) { withheldRows } }', contract);
    const field = operation.kind === 'root' ? operation.fields[0] : undefined;
    expect(field?.cohort?.afterVariable).toBe('__pgCohortAfter0');
    expect(operation.query).toContain('icd10Prefixes: $_pgCohortAfter0');
    expect(operation.query).toContain('after: $__pgCohortAfter0');
  });
});
