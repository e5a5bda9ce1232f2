import { readSearchBundle } from '../../../../adapters/fhir-r4/readSearchBundle';

const patient = (id: string): Record<string, unknown> => ({ resourceType: 'Patient', id });

describe('readSearchBundle', () => {
  it('reads matches, included resources, the next link and the total', () => {
    const page = readSearchBundle({
      resourceType: 'Bundle',
      type: 'searchset',
      total: 3,
      link: [{ relation: 'self', url: 'https://x/fhir/Patient?_count=2' }, { relation: 'next', url: 'https://x/fhir/Patient?_count=2&_offset=2' }],
      entry: [
        { resource: patient('a'), search: { mode: 'match' } },
        { resource: patient('b') },
        { resource: { resourceType: 'Organization', id: 'o' }, search: { mode: 'include' } },
        { resource: { resourceType: 'OperationOutcome', issue: [] }, search: { mode: 'outcome' } },
      ],
    }, 'Patient');
    expect(page).toEqual({
      kind: 'page',
      matches: [patient('a'), patient('b')],
      included: [{ resourceType: 'Organization', id: 'o' }],
      next: 'https://x/fhir/Patient?_count=2&_offset=2',
      total: 3,
    });
  });

  it('reads an empty searchset', () => {
    expect(readSearchBundle({ resourceType: 'Bundle', type: 'searchset' }, 'Patient')).toMatchObject({ kind: 'page', matches: [], next: undefined });
  });

  it.each([
    ['null', null],
    ['an array', []],
    ['an OperationOutcome', { resourceType: 'OperationOutcome', issue: [] }],
    ['a batch-response', { resourceType: 'Bundle', type: 'batch-response', entry: [] }],
    ['entry not a list', { resourceType: 'Bundle', type: 'searchset', entry: {} }],
    ['link not a list', { resourceType: 'Bundle', type: 'searchset', link: 'next' }],
    ['an entry without a resource', { resourceType: 'Bundle', type: 'searchset', entry: [{}] }],
    ['a resource without an id', { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: { resourceType: 'Patient' } }] }],
    ['a match of another type', { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: { resourceType: 'Encounter', id: 'e' } }] }],
  ])('rejects %s without quoting it', (_case, json) => {
    const page = readSearchBundle(json, 'Patient');
    expect(page.kind).toBe('invalid');
    if (page.kind === 'invalid') expect(page.reason).not.toMatch(/Encounter|OperationOutcome|batch/);
  });
});
