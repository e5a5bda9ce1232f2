import { parseGatewayConfig } from '../../../../gateway/config/parseGatewayConfig';
import { DEFAULT_SOURCE_QUEUE } from '../../../../core/http/SourceClient';

// Random-looking: the gateway refuses placeholder secrets (repeated characters, published examples).
const SECRET = 'q7Vd2LxN9pRt4Kw8Zs1Hm6Jc3Fy5Ub0E';
const base = {
  auth: { kind: 'development' },
  identity: { url: 'http://identity:4001/', secret: SECRET },
  insurance: { url: 'http://insurance:4002/', secret: SECRET },
  hospitals: [{ code: '01001', name: 'Bệnh viện Ví dụ', url: 'http://hospital:4100/', secret: SECRET }],
};
const env = { NODE_ENV: 'development' };

describe('parseGatewayConfig: limits.sourceQueue', () => {
  it('is 256 without a limits section, or when the section leaves it out', () => {
    expect(DEFAULT_SOURCE_QUEUE).toBe(256);
    expect(parseGatewayConfig(base, undefined, env).limits).toEqual({ sourceQueue: 256 });
    expect(parseGatewayConfig({ ...base, limits: {} }, undefined, env).limits).toEqual({ sourceQueue: 256 });
  });

  it('reads a queue from 0 (no fetch waits) to 10 000', () => {
    expect(parseGatewayConfig({ ...base, limits: { sourceQueue: 0 } }, undefined, env).limits.sourceQueue).toBe(0);
    expect(parseGatewayConfig({ ...base, limits: { sourceQueue: 10_000 } }, undefined, env).limits.sourceQueue).toBe(10_000);
  });

  it('refuses a negative, fractional, too large or non-numeric queue and unknown keys, naming the key', () => {
    for (const sourceQueue of [-1, 1.5, 10_001, '64']) {
      expect(() => parseGatewayConfig({ ...base, limits: { sourceQueue } }, undefined, env)).toThrow(/limits\.sourceQueue/);
    }
    expect(() => parseGatewayConfig({ ...base, limits: { sourceQueue: 8, queue: 8 } }, undefined, env)).toThrow(/queue/);
  });
});
