import { parseGatewayConfig } from '../../../../gateway/config/parseGatewayConfig';

// Random-looking: the gateway refuses placeholder secrets (repeated characters, published examples).
const SECRET = 'q7Vd2LxN9pRt4Kw8Zs1Hm6Jc3Fy5Ub0E';
const KEY = 'Hn4Qz8Rw2Tb6Yc1Vm5Xk9Pj3Lf7Gd0Sa';
const OLD_KEY = 'Wd3Mp7Ks1Zn5Bq9Tx2Vh6Jr0Lc4Fy8Ge';
const base = {
  auth: { kind: 'development' },
  identity: { url: 'http://identity:4001/', secret: SECRET },
  insurance: { url: 'http://insurance:4002/', secret: SECRET },
  hospitals: [{ code: '01001', name: 'Bệnh viện Ví dụ', url: 'http://hospital:4100/', secret: SECRET }],
};
const env = { NODE_ENV: 'development' };
const withCheckpoint = (checkpoint: Record<string, unknown>) => parseGatewayConfig({ ...base, audit: { checkpoint: { dir: '/var/lib/pg', replica: 'gw-1', key: KEY, ...checkpoint } } }, undefined, env);

describe('parseGatewayConfig: audit.checkpoint.previousKey (key rotation, docs/audit.md)', () => {
  it('reads the previous key next to the key, and leaves it out when absent', () => {
    expect(withCheckpoint({ previousKey: OLD_KEY }).auditCheckpoint).toEqual({ dir: '/var/lib/pg', replica: 'gw-1', key: KEY, previousKey: OLD_KEY });
    expect(withCheckpoint({}).auditCheckpoint).toEqual({ dir: '/var/lib/pg', replica: 'gw-1', key: KEY });
  });

  it('refuses a previous key that is short, the key itself, or published here, naming the key', () => {
    expect(() => withCheckpoint({ previousKey: 'short' })).toThrow(/audit\.checkpoint\.previousKey: expected at least 32 bytes/);
    expect(() => withCheckpoint({ previousKey: KEY })).toThrow(/audit\.checkpoint\.previousKey: is the same as key/);
    expect(() => withCheckpoint({ previousKey: 'example-identity-secret-change-me-0123456789' })).toThrow(/audit\.checkpoint\.previousKey: refused: it is published/);
  });
});
