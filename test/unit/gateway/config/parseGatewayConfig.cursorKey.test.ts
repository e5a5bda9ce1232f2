import { parseGatewayConfig } from '../../../../gateway/config/parseGatewayConfig';

// Random-looking: the gateway refuses placeholder secrets (repeated characters, published examples).
const SECRET = 'q7Vd2LxN9pRt4Kw8Zs1Hm6Jc3Fy5Ub0E';
const CURSOR_KEY = 'Rk5Wn9Zt3Bq7Vx1Hd6Mj2Lp8Fs4Gc0Ya';
const base = {
  auth: { kind: 'development' },
  identity: { url: 'http://identity:4001/', secret: SECRET },
  insurance: { url: 'http://insurance:4002/', secret: SECRET },
  hospitals: [{ code: '01001', name: 'Bệnh viện Ví dụ', url: 'http://hospital:4100/', secret: SECRET }],
};
const env = { NODE_ENV: 'development' };
const withAnalytics = (analytics: Record<string, unknown> | undefined) => parseGatewayConfig({ ...base, ...(analytics ? { analytics } : {}) }, undefined, env);

describe('parseGatewayConfig: analytics.cursorKey (cohort cursors shared by replicas, docs/analytics.md)', () => {
  it('reads the secret, and leaves it out when absent (a random key per process)', () => {
    expect(withAnalytics({ cursorKey: CURSOR_KEY }).analytics.cursorKey).toBe(CURSOR_KEY);
    expect(withAnalytics({ disclosure: { threshold: 10 } }).analytics).not.toHaveProperty('cursorKey');
    expect(withAnalytics(undefined).analytics).not.toHaveProperty('cursorKey');
  });

  it('refuses a key shorter than 32 bytes, naming the key', () => {
    expect(() => withAnalytics({ cursorKey: CURSOR_KEY.slice(0, 31) })).toThrow(/analytics\.cursorKey: expected at least 32 bytes/);
    expect(withAnalytics({ cursorKey: CURSOR_KEY.slice(0, 32) }).analytics.cursorKey).toHaveLength(32);
  });

  it.each([
    ['published in this repository', 'example-identity-secret-change-me-0123456789', /analytics\.cursorKey: refused: it is published in the patient-graph repository/],
    ['a placeholder', 'replace-with-a-random-cursor-key-of-32-bytes', /analytics\.cursorKey: refused: it looks like a placeholder/],
    ['one character repeated', 'x'.repeat(40), /analytics\.cursorKey: refused: it repeats one character/],
  ])('refuses a key %s', (_case, cursorKey, message) => {
    expect(() => withAnalytics({ cursorKey })).toThrow(message);
  });

  it('refuses a key that is not a string', () => {
    expect(() => withAnalytics({ cursorKey: 12345 })).toThrow(/analytics\.cursorKey: expected a/);
  });
});
