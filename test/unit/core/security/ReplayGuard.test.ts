import { ReplayGuard } from '../../../../core/security/ReplayGuard';
import { signRequest, verifyRequest } from '../../../../core/security/requestSignature';

const WINDOW = 300_000;
const T0 = 1_767_225_600_000;
const nonce = (n: number): string => n.toString(16).padStart(32, '0');

describe('ReplayGuard', () => {
  it('accepts a nonce once and refuses it again within the window', () => {
    const guard = new ReplayGuard({ windowMs: WINDOW });
    expect(guard.check(nonce(1), T0, T0)).toBe('fresh');
    expect(guard.check(nonce(1), T0, T0 + 1_000)).toBe('replayed');
    expect(guard.check(nonce(1), T0, T0 + WINDOW)).toBe('replayed');
    expect(guard.check(nonce(2), T0, T0 + 1_000)).toBe('fresh');
  });

  it('forgets a nonce once its timestamp has left the window', () => {
    const guard = new ReplayGuard({ windowMs: WINDOW });
    guard.check(nonce(1), T0, T0);
    guard.check(nonce(2), T0 + 10_000, T0 + 10_000);
    expect(guard.size).toBe(2);
    guard.check(nonce(3), T0 + WINDOW + 1, T0 + WINDOW + 1);
    expect(guard.size).toBe(2); // nonce 1 pruned, nonce 3 added
  });

  it('leaves a replay outside the window to the timestamp check, which refuses it', () => {
    const secret = 's'.repeat(32);
    const guard = new ReplayGuard({ windowMs: WINDOW });
    const headers = signRequest({ secret, method: 'POST', target: 'identity', body: '{}', principal: null, timestampMs: T0, nonce: nonce(7) });
    const accept = (nowMs: number): string => {
      const verdict = verifyRequest({ secret, expectedTarget: 'identity', method: 'POST', headers, body: '{}', nowMs, maxSkewMs: WINDOW });
      return verdict.kind === 'valid' ? guard.check(verdict.nonce, verdict.timestampMs, nowMs) : verdict.reason;
    };
    expect(accept(T0)).toBe('fresh');
    expect(accept(T0 + 60_000)).toBe('replayed');
    expect(accept(T0 + WINDOW + 1)).toBe('stale');
  });

  it('refuses new nonces at capacity rather than forgetting ones still in the window, and recovers as they expire', () => {
    const guard = new ReplayGuard({ windowMs: WINDOW, maxEntries: 2 });
    expect(guard.check(nonce(1), T0, T0)).toBe('fresh');
    expect(guard.check(nonce(2), T0 + 1, T0 + 1)).toBe('fresh');
    expect(guard.check(nonce(3), T0 + 2, T0 + 2)).toBe('at-capacity');
    expect(guard.check(nonce(1), T0, T0 + 3)).toBe('replayed');
    expect(guard.check(nonce(3), T0 + WINDOW + 1, T0 + WINDOW + 1)).toBe('fresh');
  });

  it('prunes expired nonces stuck behind a long-lived one when it reaches capacity', () => {
    const guard = new ReplayGuard({ windowMs: WINDOW, maxEntries: 2 });
    guard.check(nonce(1), T0 + WINDOW, T0); // clock skew: timestamp ahead, expires late
    guard.check(nonce(2), T0, T0);
    expect(guard.check(nonce(3), T0 + WINDOW + 1, T0 + WINDOW + 1)).toBe('fresh');
    expect(guard.size).toBe(2);
  });

  it.each([
    [{ windowMs: 0 }, /windowMs/],
    [{ windowMs: WINDOW, maxEntries: 0 }, /maxEntries/],
  ])('refuses invalid options %o', (options, message) => {
    expect(() => new ReplayGuard(options)).toThrow(message);
  });
});
