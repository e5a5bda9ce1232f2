import { parse } from 'yaml';
import { ConfigReader } from '../../../../core/config/ConfigReader';
import { DEFAULT_DISCLOSURE_POLICY } from '../../../../gateway/analytics/DisclosurePolicy';
import { parseDisclosurePolicy } from '../../../../gateway/analytics/parseDisclosurePolicy';

const policyOf = (yaml: string): ReturnType<typeof parseDisclosurePolicy> =>
  parseDisclosurePolicy(ConfigReader.root(parse(yaml), 'gateway.yaml').optionalObject('disclosure'));

describe('parseDisclosurePolicy (docs/analytics.md, "Configuration")', () => {
  it('defaults to threshold 10, nearest-5 rounding and money to three significant figures', () => {
    expect(parseDisclosurePolicy(undefined)).toBe(DEFAULT_DISCLOSURE_POLICY);
    expect(policyOf('disclosure: {}')).toEqual({ threshold: 10, rounding: { method: 'nearest', base: 5 }, amountSignificantFigures: 3 });
  });

  it('reads the documented keys', () => {
    expect(policyOf('disclosure: { threshold: 20, rounding: { method: midpoint }, amountSignificantFigures: 2 }')).toEqual({
      threshold: 20,
      rounding: { method: 'midpoint', base: 6 },
      amountSignificantFigures: 2,
    });
  });

  it.each(['disclosure: { threshold: 4 }', 'disclosure: { amountSignificantFigures: 0 }', 'disclosure: { amountSignificantFigures: 7 }', 'disclosure: { money: 3 }'])(
    'refuses %s',
    (yaml) => {
      expect(() => policyOf(yaml)).toThrow();
    },
  );
});
