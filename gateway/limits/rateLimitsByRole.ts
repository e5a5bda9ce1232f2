import { ROLES, type Principal, type Role } from '../../core/security/Principal';
import { assertValidRateLimit, type RateLimit } from './RateLimiter';

/** Who a limit applies to: a role, or `anonymous` for a request without a principal. */
export type RateLimitSubject = Role | 'anonymous';

/**
 * Per-principal allowances, in operations (each operation costs 1 token). Sized for interactive
 * use — opening a record in a clinical app sends a handful of operations — and against scripted
 * harvesting: a clinician sustains 60 operations a minute, far above what a person reading
 * records does, far below a crawler. Aggregates fan out to every hospital, so analysts get less;
 * a patient app reads one record.
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<RateLimitSubject, RateLimit>> = {
  clinician: { capacity: 60, refillPerSecond: 1 },
  registrar: { capacity: 60, refillPerSecond: 1 },
  analyst: { capacity: 30, refillPerSecond: 0.5 },
  patient: { capacity: 20, refillPerSecond: 0.2 },
  admin: { capacity: 30, refillPerSecond: 0.5 },
  auditor: { capacity: 30, refillPerSecond: 0.5 },
  anonymous: { capacity: 10, refillPerSecond: 0.1 },
};

const SUBJECTS: readonly string[] = [...ROLES, 'anonymous'];

/**
 * The `limitFor` of `rateLimitStep` (gateway/pipeline/rateLimitStep.ts) from a table by role: entries override the defaults, `null`
 * means not limited. Validated here, at construction: unknown roles and impossible limits throw.
 */
export function rateLimitsByRole(
  overrides: Partial<Readonly<Record<RateLimitSubject, RateLimit | null>>> = {},
): (principal: Principal | null) => RateLimit | null {
  for (const subject of Object.keys(overrides)) {
    if (!SUBJECTS.includes(subject)) throw new Error(`rateLimitsByRole: unknown role "${subject}" (known: ${SUBJECTS.join(', ')})`);
  }
  const table: Record<string, RateLimit | null> = { ...DEFAULT_RATE_LIMITS, ...overrides };
  for (const [subject, limit] of Object.entries(table)) {
    if (limit) assertValidRateLimit(limit, `rate limit of ${subject}`);
  }
  return (principal) => table[principal ? principal.role : 'anonymous'] ?? null;
}
