import type { Logger } from '../../core/logging/logger';
import type { Principal } from '../../core/security/Principal';
import { sha256Hex } from '../../core/crypto/sha256Hex';
import type { CostModel } from '../limits/CostModel';
import { measureOperation } from '../limits/measureOperation';
import { assertValidRateLimit, type RateLimit, type RateLimiter } from '../limits/RateLimiter';
import type { PipelineStep } from './PipelineStep';
import { requestError } from './requestError';

export interface RateLimitStepOptions {
  readonly limiter: RateLimiter;
  /** The allowance of a caller (see `rateLimitsByRole`); `null`: not limited. */
  readonly limitFor: (principal: Principal | null) => RateLimit | null;
  /**
   * Charge each operation its estimated cost under this model instead of 1 (Shopify- and
   * GitHub-style cost budgets); the limits are then in cost units. An operation costing more than
   * the whole bucket is charged the whole bucket.
   */
  readonly costModel?: CostModel;
  /** Refusals are logged (role and bucket key digest only) when given. */
  readonly logger?: Logger;
}

/**
 * Per-principal rate limits (docs/architecture.md §6), the first step after authentication: every
 * operation takes tokens from the bucket of its principal — `role:sha256(sub)`, so one person
 * acting in two roles has two buckets and no national ID ends up in a Redis key or log line. Over
 * the allowance: RATE_LIMITED, HTTP 429, `extensions.retryAfterMs` and a `Retry-After` header
 * (RFC 9110 §10.2.3, seconds), before any later step (limits, policy, audit) runs.
 */
export function rateLimitStep(options: RateLimitStepOptions): PipelineStep {
  if (typeof options.limiter?.consume !== 'function') throw new Error('rateLimitStep: `limiter` must be a RateLimiter');
  if (typeof options.limitFor !== 'function') throw new Error('rateLimitStep: `limitFor` must be a function of the principal');
  const { limiter, limitFor, costModel, logger } = options;
  return {
    name: 'rate-limit',
    async run({ principal, facts, variables }) {
      const limit = limitFor(principal);
      if (!limit) return null;
      // A bad table entry is a configuration bug: fail loudly (500 and a log line), never unlimited.
      assertValidRateLimit(limit, `rate limit for ${principal?.role ?? 'anonymous'}`);
      const measured = costModel
        ? measureOperation(facts.document, facts.schema, { operationName: facts.operation.name?.value ?? null, variables, cost: costModel }).cost
        : 1;
      const key = bucketKey(principal);
      const decision = await limiter.consume(key, charge(measured, limit), limit);
      if (decision.allowed) return null;
      const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
      logger?.info('rate_limit.refused', { role: principal?.role ?? 'anonymous', bucket: key, retryAfterMs: decision.retryAfterMs });
      return requestError(
        'RATE_LIMITED',
        `Too many requests: the allowance of this caller is used up for now. Retry in ${seconds} s.`,
        { retryAfterMs: decision.retryAfterMs },
        { 'retry-after': String(seconds) },
      );
    },
  };
}

/** At least 1 token, at most the whole bucket (a bigger charge could never be granted). */
function charge(cost: number, limit: RateLimit): number {
  return Math.min(limit.capacity, Math.max(1, Math.ceil(cost)));
}

/** `role:<first 128 bits of sha256(sub)>`, or `anonymous`. */
export function bucketKey(principal: Principal | null): string {
  return principal ? `${principal.role}:${sha256Hex(principal.sub).slice(0, 32)}` : 'anonymous';
}
