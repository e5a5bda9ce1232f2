/**
 * Gateway configs that between them take every branch of `parseGatewayConfig` (each auth kind, each
 * state store, every optional section), so that recording what the parser reads from them yields
 * every key it knows (docs/configuration.md is generated from it). Valid, but not for use: the
 * secrets are random per call and the files (a public key, a CA, a client certificate and its key)
 * are the caller's.
 */
export function gatewayConfigExemplars(files: ExemplarFiles, randomSecret: () => string): Record<string, unknown>[] {
  const { publicKeyFile } = files;
  const tls = { caFile: files.caFile, certFile: files.certFile, keyFile: files.keyFile };
  const source = (url: string) => ({ url, secret: randomSecret(), timeoutMs: 5000 });
  const base = {
    server: { host: '127.0.0.1', port: 4000 },
    identity: { ...source('https://identity:4001/'), tls },
    insurance: { ...source('https://insurance:4002/'), tls },
    hospitals: [{ code: '01001', name: 'Bệnh viện Ví dụ', ...source('https://hospital:4100/'), tls }],
    locatorFallbackSources: 10,
    introspection: false,
  };
  const limits = { sourceQueue: 256 };
  const claims = { issuer: 'https://id.example.vn', audience: 'patient-graph', clockToleranceSec: 30, maxTokenLifetimeSec: 3600 };
  return [
    {
      ...base,
      auth: { kind: 'jwks', url: 'https://id.example.vn/jwks.json', ...claims },
      state: { kind: 'redis', url: 'redis://redis:6379', keyPrefix: 'patient-graph:' },
      audit: { store: 'postgres', url: 'postgres://audit@db/audit', tablePrefix: 'pg_', checkpoint: { dir: '/var/lib/patient-graph', key: randomSecret(), previousKey: randomSecret(), replica: 'gateway-1' } },
      sourceTls: tls,
      safelist: { manifest: 'operations.json', mode: 'enforce' },
      analytics: { disclosure: { threshold: 10, rounding: { method: 'nearest', base: 5 }, amountSignificantFigures: 3 }, projects: [{ id: 'diabetes-2026', secret: randomSecret(), members: ['analyst-17'] }], cursorKey: randomSecret() },
      metrics: { token: randomSecret() },
      tracing: { otlpUrl: 'http://collector:4318/v1/traces' },
      cors: { allowedOrigins: ['https://app.example.vn'] },
      limits,
    },
    { ...base, auth: { kind: 'public-key', algorithm: 'ES256', publicKeyFile, ...claims }, state: { kind: 'embedded', dir: '.patient-graph' } },
    { ...base, auth: { kind: 'shared-secret', secret: randomSecret(), ...claims }, state: { kind: 'redis', sentinel: { masterName: 'patient-graph', nodes: ['sentinel-1:26379'], password: randomSecret(), tls: true }, keyPrefix: 'patient-graph:' } },
    { ...base, auth: { kind: 'development' }, state: { kind: 'redis', cluster: { nodes: ['redis-1:6379'], password: randomSecret(), tls: true }, keyPrefix: '{patient-graph}:' } },
    { ...base, auth: { kind: 'development' } },
  ];
}

/** Files the exemplars name: they must exist, because the parser reads them. */
export interface ExemplarFiles {
  readonly publicKeyFile: string;
  /** A PEM CA certificate, client certificate and private key (any: never used to connect). */
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
}
