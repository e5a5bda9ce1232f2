import { ConfigError } from '../../../../core/config/ConfigError';
import { generateSigningSecret } from '../../../../core/security/generateSigningSecret';
import { parseGatewayConfig } from '../../../../gateway/config/parseGatewayConfig';

// Random per run: the gateway refuses secrets published in the repository.
const SECRET = generateSigningSecret();
const base = {
  auth: { kind: 'shared-secret', secret: SECRET, issuer: 'https://idp.example.vn', audience: 'patient-graph' },
  identity: { url: 'http://identity:4200/graphql', secret: SECRET },
  insurance: { url: 'http://insurance:4300/graphql', secret: SECRET },
  hospitals: [],
};

describe('cors in the gateway config', () => {
  it('allows no other origin unless listed', () => {
    expect(parseGatewayConfig(base, 'gw.yaml', {}).cors).toEqual({ allowedOrigins: [] });
  });

  it('takes a list of origins, or *', () => {
    expect(parseGatewayConfig({ ...base, cors: { allowedOrigins: ['https://app.example.vn', 'http://localhost:5173'] } }, 'gw.yaml', {}).cors.allowedOrigins).toEqual(['https://app.example.vn', 'http://localhost:5173']);
    expect(parseGatewayConfig({ ...base, cors: { allowedOrigins: ['*'] } }, 'gw.yaml', {}).cors.allowedOrigins).toEqual(['*']);
  });

  it('refuses an origin with a path, naming the key', () => {
    expect(() => parseGatewayConfig({ ...base, cors: { allowedOrigins: ['https://app.example.vn/app'] } }, 'gw.yaml', {})).toThrow(
      new ConfigError('cors.allowedOrigins[0]', 'expected an origin such as https://app.example.vn (scheme and host, no path), or *', 'gw.yaml'),
    );
  });
});
