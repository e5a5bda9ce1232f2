import { randomBytes } from 'node:crypto';
import { parseGatewayConfig } from '../../../../gateway/config/parseGatewayConfig';

const secret = (): string => randomBytes(32).toString('hex');
const config = (auth: Record<string, unknown>): unknown => ({
  auth: { kind: 'jwks', url: 'https://idp.example.org/.well-known/jwks.json', issuer: 'https://idp.example.org', audience: 'patient-graph', ...auth },
  identity: { url: 'http://identity:4001/', secret: secret() },
  insurance: { url: 'http://insurance:4002/', secret: secret() },
  hospitals: [],
});

describe('auth.maxTokenLifetimeSec in the gateway config', () => {
  it('defaults to 12 hours', () => {
    expect(parseGatewayConfig(config({}), undefined, {}).auth.maxTokenLifetimeSec).toBe(43_200);
  });

  it('takes a configured maximum, and refuses one outside 60 s to 7 days naming the key', () => {
    expect(parseGatewayConfig(config({ maxTokenLifetimeSec: 3600 }), undefined, {}).auth.maxTokenLifetimeSec).toBe(3600);
    expect(() => parseGatewayConfig(config({ maxTokenLifetimeSec: 30 }), undefined, {})).toThrow(/maxTokenLifetimeSec/);
    expect(() => parseGatewayConfig(config({ maxTokenLifetimeSec: 8 * 24 * 3600 }), undefined, {})).toThrow(/maxTokenLifetimeSec/);
  });
});
