import { parseGatewayConfig } from '../../../../gateway/config/parseGatewayConfig';

// Random-looking: the gateway refuses placeholder secrets (repeated characters, published examples).
const SECRET = 'q7Vd2LxN9pRt4Kw8Zs1Hm6Jc3Fy5Ub0E';
const base = {
  auth: { kind: 'development' },
  identity: { url: 'http://identity:4001/', secret: SECRET },
  insurance: { url: 'http://insurance:4002/', secret: SECRET },
  hospitals: [{ code: '01001', name: 'Bệnh viện Ví dụ', url: 'http://hospital:4100/', secret: SECRET }],
};
const env = { NODE_ENV: 'development' };

describe('parseGatewayConfig: metrics', () => {
  it('leaves /metrics off when the config has no metrics section', () => {
    expect(parseGatewayConfig(base, undefined, env).metrics).toBeNull();
  });

  it('reads the metrics token', () => {
    const token = 'f'.repeat(64);
    expect(parseGatewayConfig({ ...base, metrics: { token } }, undefined, env).metrics).toEqual({ token });
  });

  it('refuses a metrics token short enough to guess, and unknown keys, naming the key', () => {
    expect(() => parseGatewayConfig({ ...base, metrics: { token: 'changeme' } }, undefined, env)).toThrow(/metrics\.token.*at least 32 characters/);
    expect(() => parseGatewayConfig({ ...base, metrics: { token: 'f'.repeat(64), port: 9100 } }, undefined, env)).toThrow(/port/);
  });
});

describe('parseGatewayConfig: tracing', () => {
  it('leaves tracing off when the config has no tracing section', () => {
    expect(parseGatewayConfig(base, undefined, env).tracing).toBeNull();
  });

  it('reads the OTLP endpoint, and refuses one that is not an http(s) URL', () => {
    const otlpUrl = 'http://collector:4318/v1/traces';
    expect(parseGatewayConfig({ ...base, tracing: { otlpUrl } }, undefined, env).tracing).toEqual({ otlpUrl });
    expect(() => parseGatewayConfig({ ...base, tracing: { otlpUrl: 'collector:4318' } }, undefined, env)).toThrow(/tracing\.otlpUrl/);
  });
});
