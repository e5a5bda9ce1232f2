import type { SensitiveCategory } from './sensitiveCategories';

/**
 * A patient's sharing choices (opt-out model): facilities whose records must not be read through
 * the graph, and sensitive categories that must not leave any facility.
 */
export interface ConsentDirectives {
  readonly optedOutFacilityCodes: readonly string[];
  readonly optedOutCategories: readonly SensitiveCategory[];
  /** When the patient last changed them (ISO), null when never. */
  readonly updatedAt: string | null;
}

export const NO_OPT_OUTS: ConsentDirectives = { optedOutFacilityCodes: [], optedOutCategories: [], updatedAt: null };
