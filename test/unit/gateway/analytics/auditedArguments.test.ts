import { auditedArguments } from '../../../../gateway/analytics/auditedArguments';

describe('auditedArguments: the filters of an aggregate as its audit record keeps them', () => {
  it('keeps code-like values, numbers and nulls, and lists of them; booleans as text', () => {
    expect(auditedArguments([['measure', 'PATIENTS'], ['icd10Prefixes', ['E11', 'J45.9']], ['from', '2026-01-01'], ['facilityCodes', ['01901']], ['first', 10], ['x', null], ['y', true]])).toEqual({
      measure: 'PATIENTS',
      icd10Prefixes: ['E11', 'J45.9'],
      from: '2026-01-01',
      facilityCodes: ['01901'],
      first: 10,
      x: null,
      y: 'true',
    });
  });

  it('writes free text, objects and national-ID-shaped values as `*`, and leaves out unset arguments', () => {
    expect(auditedArguments([['a', 'Nguyễn Văn A'], ['b', { name: 'x' }], ['c', ['001085012345', 'E11']], ['d', undefined], ['e', Number.NaN]])).toEqual({
      a: '*',
      b: '*',
      c: ['*', 'E11'],
      e: '*',
    });
  });
});
