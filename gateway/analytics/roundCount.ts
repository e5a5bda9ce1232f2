import type { RoundingRule } from './DisclosurePolicy';

/**
 * Rounds a released count. Zero stays zero (an empty cell is not released as a count of people).
 * `nearest`: 12 → 10, 13 → 15 with base 5. `midpoint`: ceil(n / base) × base − floor(base / 2),
 * so with base 6 every count from 7 to 12 is released as 9.
 */
export function roundCount(count: number, rule: RoundingRule): number {
  if (count === 0 || rule.method === 'none') return count;
  const { base } = rule;
  if (rule.method === 'nearest') return Math.floor(count / base + 0.5) * base;
  return Math.ceil(count / base) * base - Math.floor(base / 2);
}
