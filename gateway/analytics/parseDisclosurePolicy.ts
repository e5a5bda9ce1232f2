import type { ConfigReader } from '../../core/config/ConfigReader';
import { DEFAULT_AMOUNT_SIGNIFICANT_FIGURES, DEFAULT_DISCLOSURE_POLICY, MIN_THRESHOLD, type DisclosurePolicy, type RoundingRule } from './DisclosurePolicy';

/**
 * The `analytics.disclosure` section of the gateway config:
 * `{ threshold: 10, rounding: { method: nearest | midpoint | none, base: 5 }, amountSignificantFigures: 3 }`.
 * The threshold cannot go below {@link MIN_THRESHOLD}; rounding is on unless `method: none` is written.
 */
export function parseDisclosurePolicy(section: ConfigReader | undefined): DisclosurePolicy {
  if (!section) return DEFAULT_DISCLOSURE_POLICY;
  section.rejectUnknownKeys(['threshold', 'rounding', 'amountSignificantFigures']);
  const threshold = section.integer('threshold', { min: MIN_THRESHOLD, max: 1000, default: DEFAULT_DISCLOSURE_POLICY.threshold });
  const rounding = section.optionalObject('rounding');
  const amountSignificantFigures = section.integer('amountSignificantFigures', { min: 1, max: 6, default: DEFAULT_AMOUNT_SIGNIFICANT_FIGURES });
  return { threshold, rounding: rounding ? parseRounding(rounding) : DEFAULT_DISCLOSURE_POLICY.rounding, amountSignificantFigures };
}

function parseRounding(section: ConfigReader): RoundingRule {
  section.rejectUnknownKeys(['method', 'base']);
  const method = section.oneOf('method', ['nearest', 'midpoint', 'none'] as const);
  if (method === 'none') return { method };
  return { method, base: section.integer('base', { min: 2, max: 100, default: method === 'midpoint' ? 6 : 5 }) };
}
