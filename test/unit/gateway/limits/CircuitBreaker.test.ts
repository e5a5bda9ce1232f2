import { CircuitBreaker } from '../../../../gateway/limits/CircuitBreaker';

describe('CircuitBreaker', () => {
  it('opens after the threshold of consecutive failures and lets one trial through after openMs', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 2, openMs: 100, now: () => now });
    breaker.recordFailure();
    expect(breaker.allowsCall()).toBe(true);
    breaker.recordFailure();
    expect(breaker.allowsCall()).toBe(false);
    now = 100;
    expect(breaker.allowsCall()).toBe(true);
    expect(breaker.allowsCall()).toBe(false);
    breaker.recordSuccess();
    expect(breaker.current()).toEqual({ phase: 'closed', consecutiveFailures: 0 });
  });

  it('reopens at once when the trial call fails', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 3, openMs: 50, now: () => now });
    for (let i = 0; i < 3; i++) breaker.recordFailure();
    now = 60;
    expect(breaker.allowsCall()).toBe(true);
    breaker.recordFailure();
    expect(breaker.current().phase).toBe('open');
  });

  it('refuses a threshold below one', () => {
    expect(() => new CircuitBreaker({ failureThreshold: 0, openMs: 1 })).toThrow('failureThreshold');
  });
});
