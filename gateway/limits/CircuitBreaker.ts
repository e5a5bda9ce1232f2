/** Health of the shared rate-limit store (Redis) as RedisRateLimiter sees it. */
export type CircuitState =
  | { readonly phase: 'closed'; readonly consecutiveFailures: number }
  | { readonly phase: 'open'; readonly until: number }
  | { readonly phase: 'half-open' };

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  readonly failureThreshold: number;
  /** How long an open circuit refuses calls before one trial call is let through. */
  readonly openMs: number;
  readonly now?: () => number;
}

/**
 * Stops asking a store that keeps failing, so an unreachable Redis does not cost every request
 * the rate limiter's timeout; after `openMs` a single trial call decides whether it is back.
 * Sources have cockatiel's breaker (core/http/SourceClient.ts); this one stays because it reads
 * the injected clock RedisRateLimiter runs on (its `now`, also the rate-limit script's time), so
 * its tests advance a fake clock through the retry window instead of waiting, and cockatiel's
 * breaker reads Date.now() itself.
 */
export class CircuitBreaker {
  private state: CircuitState = { phase: 'closed', consecutiveFailures: 0 };
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    if (options.failureThreshold < 1) throw new Error('failureThreshold must be at least 1');
    if (options.openMs < 0) throw new Error('openMs must not be negative');
    this.now = options.now ?? Date.now;
  }

  /** Whether a call may go out now; moves an expired open circuit to half-open. */
  allowsCall(): boolean {
    switch (this.state.phase) {
      case 'closed':
        return true;
      case 'half-open':
        return false; // one trial call is already under way
      case 'open':
        if (this.now() < this.state.until) return false;
        this.state = { phase: 'half-open' };
        return true;
    }
  }

  recordSuccess(): void {
    this.state = { phase: 'closed', consecutiveFailures: 0 };
  }

  recordFailure(): void {
    const failures = this.state.phase === 'closed' ? this.state.consecutiveFailures + 1 : this.options.failureThreshold;
    this.state = failures >= this.options.failureThreshold
      ? { phase: 'open', until: this.now() + this.options.openMs }
      : { phase: 'closed', consecutiveFailures: failures };
  }

  current(): CircuitState {
    return this.state;
  }
}
