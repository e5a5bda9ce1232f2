/**
 * Gateway configs that between them take every branch of `parseGatewayConfig` (each auth kind, each
 * state store, every optional section), so that recording what the parser reads from them yields
 * every key it knows (docs/configuration.md is generated from it). Valid, but not for use: the
 * secrets are random per call and the public-key file is the caller's.
 */
export function gatewayConfigExemplars(publicKeyFile: string, randomSecret: () => string): Record<string, unknown>[] {
  const source = (url: string) => ({ url, secret: randomSecret(), timeoutMs: 5000 });
  const base = {
    server: { host: '127.0.0.1', port: 4000 },
    identity: source('http://identity:4001/'),
    insurance: source('http://insurance:4002/'),
    hospitals: [{ code: '01001', name: 'Bệnh viện Ví dụ', ...source('http://hospital:4100/') }],
    locatorFallbackSources: 10,
    introspection: false,
  };
  const claims = { issuer: 'https://id.example.vn', audience: 'patient-graph', clockToleranceSec: 30, maxTokenLifetimeSec: 3600 };
  return [
    {
      ...base,
      auth: { kind: 'jwks', url: 'https://id.example.vn/jwks.json', ...claims },
      state: { kind: 'redis', url: 'redis://redis:6379', keyPrefix: 'patient-graph:' },
      audit: { store: 'postgres', url: 'postgres://audit@db/audit', tablePrefix: 'pg_' },
      safelist: { manifest: 'operations.json', mode: 'enforce' },
      analytics: { disclosure: { threshold: 10, rounding: { method: 'nearest', base: 5 } } },
      metrics: { token: randomSecret() },
      tracing: { otlpUrl: 'http://collector:4318/v1/traces' },
      cors: { allowedOrigins: ['https://app.example.vn'] },
    },
    { ...base, auth: { kind: 'public-key', algorithm: 'ES256', publicKeyFile, ...claims }, state: { kind: 'embedded', dir: '.patient-graph' } },
    { ...base, auth: { kind: 'shared-secret', secret: randomSecret(), ...claims } },
    { ...base, auth: { kind: 'development' } },
  ];
}
