import { checkConfigItems, checkConfigParts } from '../../../../core/config/checkConfigParts';
import { collectConfigProblems } from '../../../../core/config/collectConfigProblems';
import { ConfigError } from '../../../../core/config/ConfigError';
import { ConfigProblems } from '../../../../core/config/ConfigProblems';
import { ConfigReader } from '../../../../core/config/ConfigReader';

/** A parser in the project's style whose required sections (`a`, `b`) throw when missing. */
function parse(raw: unknown): { a: string; b: number; items: string[] } {
  const root = ConfigReader.root(raw, 'x.yaml');
  return checkConfigParts({
    a: () => root.object('a').string('name'),
    b: () => root.object('b').integer('port', { min: 0, max: 10 }),
    items: () => checkConfigItems(root.list('items'), (item) => item.string('id', { pattern: /^\d+$/, patternHint: 'digits' })),
  });
}

const keysOf = (run: () => unknown): string[] => {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigProblems) return error.problems.map((p) => p.key);
    if (error instanceof ConfigError) return [error.key];
    throw error;
  }
  return [];
};

describe('checkConfigParts', () => {
  it('under collectConfigProblems, a missing section ends only its own part: every other problem is reported', () => {
    const keys = keysOf(() => collectConfigProblems(() => parse({ b: { port: 11 }, items: [{}, { id: 'x' }, { id: '3' }] })));
    expect(keys).toEqual(['a', 'b.port', 'items[0].id', 'items[1].id']);
  });

  it('returns every part when all pass', () => {
    expect(collectConfigProblems(() => parse({ a: { name: 'n' }, b: { port: 3 }, items: [{ id: '1' }] }))).toEqual({ a: 'n', b: 3, items: ['1'] });
  });

  it('outside a collection, throws the first problem at once', () => {
    expect(keysOf(() => parse({ b: { port: 11 } }))).toEqual(['a']);
  });
});
