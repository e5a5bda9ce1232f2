import { parseDisclosurePolicy } from '../analytics/parseDisclosurePolicy';
import type { DisclosurePolicy } from '../analytics/DisclosurePolicy';
import type { CohortProject } from '../analytics/CohortProject';
import { parseCohortProjects } from '../analytics/parseCohortProjects';
import { COHORT_CURSOR_SECRET_MIN_BYTES } from '../analytics/CohortCursorCodec';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { ConfigReader } from '../../core/config/ConfigReader';
import { checkConfigItems, checkConfigParts } from '../../core/config/checkConfigParts';
import { parseFacilityCode } from '../../core/identifiers/facilityCode';
import { DEFAULT_MAX_TOKEN_LIFETIME_SEC, TOKEN_LIFETIME_BOUNDS_SEC, type AuthConfig } from '../auth/AuthConfig';
import { shippedSecretProblem } from '../../core/security/shippedSecretProblem';
import { DEVELOPMENT_AUTH, developmentTokensAllowed } from '../auth/developmentAuth';
import type { RegisteredSource } from '../sources/RegisteredSource';
import type { ClientTls, SourceTlsSettings } from '../../core/http/ClientTls';
import { DEFAULT_SOURCE_QUEUE } from '../../core/http/SourceClient';
import { parseClientTls } from './parseClientTls';
import type { RedisConnectionConfig } from '../../core/redis/RedisConnectionConfig';
import { parseRedisConnection, REDIS_CONNECTION_KEYS } from '../../core/redis/parseRedisConnection';

/** Where the gateway keeps its state (docs/architecture.md §7): embedded files, or a Redis shared by replicas. */
export type GatewayStateConfig =
  | { readonly kind: 'embedded'; readonly dir: string }
  | { readonly kind: 'redis'; readonly connection: RedisConnectionConfig; readonly keyPrefix: string };

/**
 * Where the audit trail lives when not with the rest of the state (docs/audit.md): PostgreSQL for
 * replicas, durable and read by index. Absent: the state's own (the file embedded, Redis shared).
 */
export type GatewayAuditConfig = { readonly store: 'postgres'; readonly url: string; readonly tablePrefix?: string };

/**
 * `audit.checkpoint` (docs/audit.md): where this replica keeps its signed audit checkpoint across
 * restarts (`<dir>/audit-checkpoint-<replica>.json`) and the HMAC key that signs it.
 */
export interface AuditCheckpointConfig {
  readonly dir: string;
  readonly key: string;
  /** The key being rotated out: a checkpoint it signed is accepted once and re-signed with `key`. */
  readonly previousKey?: string;
  /** Names this replica's file; default the host name (one container, one replica). */
  readonly replica: string;
}

/** A production gateway, as `patient-graph gateway --config gateway.yaml` runs it. */
export interface GatewayConfig {
  readonly server: { readonly host: string; readonly port: number };
  readonly auth: AuthConfig;
  readonly identity: RegisteredSource;
  readonly insurance: RegisteredSource;
  readonly hospitals: readonly RegisteredSource[];
  readonly state: GatewayStateConfig;
  readonly locatorFallbackSources: number;
  /** Limits of the gateway's fetches to sources (docs/registry.md §1). */
  readonly limits: { readonly sourceQueue: number };
  readonly introspection: boolean;
  readonly safelist: { readonly manifest: string; readonly mode: 'off' | 'enforce' } | null;
  /** Disclosure control of aggregates (docs/analytics.md). */
  readonly analytics: {
    readonly disclosure: DisclosurePolicy;
    readonly projects: readonly CohortProject[];
    /**
     * `analytics.cursorKey`: the secret the cohort cursors' sealing key is derived from, the same at
     * every replica; absent: a random key per process (a cursor continues only where it was made).
     */
    readonly cursorKey?: string;
  };
  /** Prometheus `/metrics`, behind its own bearer token (README "Metrics and traces"); null: off. */
  readonly metrics: { readonly token: string } | null;
  /** OpenTelemetry traces to an OTLP/HTTP endpoint; null: off. */
  readonly tracing: { readonly otlpUrl: string } | null;
  /** Origins of browser apps that may call the gateway (CORS); none unless listed. */
  readonly cors: { readonly allowedOrigins: readonly string[] };
  /** `audit: { store: postgres, url }`; absent keeps the audit trail with the state. */
  readonly audit?: GatewayAuditConfig;
  /** `audit.checkpoint`; absent: the checkpoint lives in memory only. */
  readonly auditCheckpoint?: AuditCheckpointConfig;
  /**
   * TLS of the links to https:// sources (mutual TLS, docs/security.md): `sourceTls` for every
   * source (registry sources included), a source's own `tls` for that source. Null: Node's public
   * CAs and no client certificate.
   */
  readonly sourceTls: SourceTlsSettings | null;
}

/**
 * Validates a parsed gateway config (environment already expanded). Every problem names the key
 * and what was expected; unknown keys are refused; development auth is refused in production.
 */
export function parseGatewayConfig(raw: unknown, file: string | undefined, env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const root = ConfigReader.root(raw, file);
  root.rejectUnknownKeys(['server', 'auth', 'identity', 'insurance', 'hospitals', 'state', 'locatorFallbackSources', 'limits', 'introspection', 'safelist', 'analytics', 'metrics', 'tracing', 'cors', 'audit', 'sourceTls']);
  const baseDir = file ? dirname(file) : process.cwd();
  const perSource = new Map<string, ClientTls>();
  const source = (section: ConfigReader, code: string, contract: 'identity' | 'insurance' | 'clinical', name?: string): RegisteredSource => {
    const parsed = parseSource(section, code, contract, name);
    const tls = section.optionalObject('tls');
    if (tls) {
      if (!parsed.url.startsWith('https://')) section.fail('tls', 'a tls section needs an https:// url');
      perSource.set(code, parseClientTls(tls, baseDir));
    }
    return parsed;
  };
  // Each section is checked on its own, so a missing one (e.g. `identity`) does not hide the
  // problems of the others: `gateway --config … --check` lists them all at once (README "Commands").
  const parts = checkConfigParts({
    server: () => parseServer(root, env),
    sourceTls: () => {
      const section = root.optionalObject('sourceTls');
      return section ? parseClientTls(section, baseDir) : undefined;
    },
    identity: () => source(root.object('identity'), 'identity', 'identity'),
    insurance: () => source(root.object('insurance'), 'insurance', 'insurance'),
    hospitals: () => parseHospitals(root, source),
    auth: () => parseAuth(root.object('auth'), baseDir, env),
    state: () => parseState(root.optionalObject('state'), baseDir),
    locatorFallbackSources: () => root.integer('locatorFallbackSources', { min: 0, max: 1000, default: 10 }),
    limits: () => parseLimits(root.optionalObject('limits')),
    introspection: () => root.boolean('introspection', false),
    safelist: () => parseSafelist(root.optionalObject('safelist'), baseDir),
    analytics: () => parseAnalytics(root.optionalObject('analytics')),
    metrics: () => parseMetrics(root.optionalObject('metrics')),
    tracing: () => parseTracing(root.optionalObject('tracing')),
    cors: () => parseCors(root.optionalObject('cors')),
    audit: () => parseAudit(root.optionalObject('audit'), baseDir),
  });
  const { sourceTls: defaultTls, audit, ...rest } = parts;
  return {
    ...rest,
    ...audit,
    sourceTls: defaultTls || perSource.size > 0 ? { ...(defaultTls ? { default: defaultTls } : {}), bySource: perSource } : null,
  };
}

function parseServer(root: ConfigReader, env: NodeJS.ProcessEnv): GatewayConfig['server'] {
  const server = root.optionalObject('server');
  if (!server) return { host: '127.0.0.1', port: portFromEnvironment(root, env) };
  server.rejectUnknownKeys(['host', 'port']);
  return { host: server.optionalString('host') ?? '127.0.0.1', port: server.integer('port', { min: 0, max: 65535, default: 4000 }) };
}

/**
 * Without a `server` section the port comes from `PORT` (docs/configuration.md), checked here like
 * `server.port`: a wrong one must fail `--check`, not pass it and then stop the start with NaN.
 */
function portFromEnvironment(root: ConfigReader, env: NodeJS.ProcessEnv): number {
  const text = env.PORT?.trim();
  if (text === undefined || text === '') return 4000;
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (port >= 0 && port <= 65535) return port;
  root.fail('server.port', 'expected PORT in the environment (used without a server section) to be a whole number from 0 to 65535');
  return 4000;
}

function parseSafelist(safelist: ConfigReader | undefined, baseDir: string): GatewayConfig['safelist'] {
  if (!safelist) return null;
  safelist.rejectUnknownKeys(['manifest', 'mode']);
  return { manifest: resolve(baseDir, safelist.string('manifest')), mode: safelist.oneOf('mode', ['off', 'enforce'] as const, 'enforce') };
}

function parseAnalytics(analytics: ConfigReader | undefined): GatewayConfig['analytics'] {
  analytics?.rejectUnknownKeys(['disclosure', 'projects', 'cursorKey']);
  // Disclosure, projects and the cursor key are independent: one's mistake must not hide another's.
  const parts = checkConfigParts({
    disclosure: () => parseDisclosurePolicy(analytics?.optionalObject('disclosure')),
    projects: () => parseCohortProjects(analytics),
    cursorKey: () => parseCursorKey(analytics),
  });
  return { disclosure: parts.disclosure, projects: parts.projects, ...parts.cursorKey };
}

/** `limits.sourceQueue`: fetches to one source that may wait for a concurrency slot (SourceClient's bulkhead queue). */
function parseLimits(limits: ConfigReader | undefined): { readonly sourceQueue: number } {
  if (!limits) return { sourceQueue: DEFAULT_SOURCE_QUEUE };
  limits.rejectUnknownKeys(['sourceQueue']);
  return { sourceQueue: limits.integer('sourceQueue', { min: 0, max: 10_000, default: DEFAULT_SOURCE_QUEUE }) };
}

/** `cors.allowedOrigins`: exact origins (scheme://host[:port], no path) or `*`; none by default. */
function parseCors(cors: ConfigReader | undefined): { allowedOrigins: readonly string[] } {
  if (!cors) return { allowedOrigins: [] };
  cors.rejectUnknownKeys(['allowedOrigins']);
  const origins = cors.has('allowedOrigins') ? cors.stringList('allowedOrigins') : [];
  origins.forEach((origin, index) => {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) cors.fail(`allowedOrigins[${index}]`, 'expected an origin such as https://app.example.vn (scheme and host, no path), or *');
  });
  return { allowedOrigins: origins };
}

function parseAuth(auth: ConfigReader, baseDir: string, env: NodeJS.ProcessEnv): AuthConfig {
  const kind = auth.oneOf('kind', ['jwks', 'public-key', 'shared-secret', 'development'] as const);
  switch (kind) {
    case 'development':
      auth.rejectUnknownKeys(['kind']);
      if (!developmentTokensAllowed(env)) auth.fail('kind', 'development auth accepts publicly known tokens and is refused when NODE_ENV or PATIENT_GRAPH_MODE is "production"');
      return DEVELOPMENT_AUTH;
    case 'jwks':
      auth.rejectUnknownKeys(['kind', 'url', 'issuer', 'audience', 'clockToleranceSec', 'maxTokenLifetimeSec']);
      return { kind, url: auth.string('url', { pattern: /^https:\/\/|^http:\/\/(127\.0\.0\.1|localhost)[:/]/, patternHint: 'an https:// URL of the issuer’s JWKS' }), ...claims(auth) };
    case 'public-key':
      auth.rejectUnknownKeys(['kind', 'algorithm', 'publicKeyFile', 'issuer', 'audience', 'clockToleranceSec', 'maxTokenLifetimeSec']);
      return {
        kind,
        algorithm: auth.oneOf('algorithm', ['RS256', 'ES256'] as const),
        publicKeyPem: readFileSync(resolve(baseDir, auth.string('publicKeyFile')), 'utf8'),
        ...claims(auth),
      };
    case 'shared-secret':
      auth.rejectUnknownKeys(['kind', 'secret', 'issuer', 'audience', 'clockToleranceSec', 'maxTokenLifetimeSec']);
      return { kind, secret: checkedJwtSecret(auth), ...claims(auth) };
  }
}

function claims(auth: ConfigReader): { issuer: string; audience: string; clockToleranceSec: number; maxTokenLifetimeSec: number } {
  return {
    issuer: auth.string('issuer'),
    audience: auth.string('audience'),
    clockToleranceSec: auth.integer('clockToleranceSec', { min: 0, max: 120, default: 30 }),
    maxTokenLifetimeSec: auth.integer('maxTokenLifetimeSec', { ...TOKEN_LIFETIME_BOUNDS_SEC, default: DEFAULT_MAX_TOKEN_LIFETIME_SEC }),
  };
}

function parseSource(section: ConfigReader, code: string, contract: 'identity' | 'insurance' | 'clinical', name?: string): RegisteredSource {
  section.rejectUnknownKeys(contract === 'clinical' ? ['code', 'name', 'url', 'secret', 'timeoutMs', 'tls'] : ['url', 'secret', 'timeoutMs', 'tls']);
  const secret = section.string('secret');
  if (Buffer.byteLength(secret, 'utf8') < 32) section.fail('secret', 'expected at least 32 bytes, the same secret the source has');
  const shipped = shippedSecretProblem(secret);
  if (shipped) section.fail('secret', `refused: ${shipped}`);
  return {
    code,
    name: name ?? code,
    contract,
    url: section.string('url', { pattern: /^https?:\/\//, patternHint: 'an http(s):// URL of the subgraph' }),
    secret,
    timeoutMs: section.integer('timeoutMs', { min: 100, max: 60_000, default: contract === 'clinical' ? 5000 : 10_000 }),
  };
}

type ParseSource = (section: ConfigReader, code: string, contract: 'clinical', name: string) => RegisteredSource;

function parseHospitals(root: ConfigReader, parse: ParseSource): RegisteredSource[] {
  const seen = new Set<string>();
  return checkConfigItems(root.list('hospitals'), (hospital) => {
    const code = hospital.string('code', { pattern: /^\d{5}$/, patternHint: 'a 5-digit facility code (MA_CSKCB), quoted' });
    if (parseFacilityCode(code).kind === 'invalid') hospital.fail('code', 'expected a facility code whose first two digits are a province code');
    if (seen.has(code)) hospital.fail('code', `facility ${code} is listed twice`);
    seen.add(code);
    return parse(hospital, code, 'clinical', hospital.string('name'));
  });
}

function parseMetrics(metrics: ConfigReader | undefined): { readonly token: string } | null {
  if (!metrics) return null;
  metrics.rejectUnknownKeys(['token']);
  const token = metrics.string('token');
  if (token.length < 32) metrics.fail('token', 'expected at least 32 characters (e.g. 32 random bytes as hex), so it cannot be guessed');
  return { token };
}

function parseTracing(tracing: ConfigReader | undefined): { readonly otlpUrl: string } | null {
  if (!tracing) return null;
  tracing.rejectUnknownKeys(['otlpUrl']);
  return { otlpUrl: tracing.string('otlpUrl', { pattern: /^https?:\/\//, patternHint: 'an http(s):// URL of an OTLP traces endpoint, e.g. http://collector:4318/v1/traces' }) };
}

function parseAudit(audit: ConfigReader | undefined, baseDir: string): { audit?: GatewayAuditConfig; auditCheckpoint?: AuditCheckpointConfig } {
  if (!audit) return {};
  audit.rejectUnknownKeys(['store', 'url', 'tablePrefix', 'checkpoint']);
  const checkpointSection = audit.optionalObject('checkpoint');
  const checkpoint = checkpointSection ? { auditCheckpoint: parseAuditCheckpoint(checkpointSection, baseDir) } : {};
  if (!audit.has('store')) {
    if (audit.has('url') || audit.has('tablePrefix')) audit.fail('store', 'expected store: postgres with url and tablePrefix');
    return checkpoint;
  }
  audit.oneOf('store', ['postgres'] as const);
  const url = audit.string('url', { pattern: /^postgres(ql)?:\/\//, patternHint: 'a postgres:// or postgresql:// URL' });
  const tablePrefix = audit.optionalString('tablePrefix', { pattern: /^[a-z_][a-z0-9_]{0,40}$/, patternHint: 'lower-case letters, digits and _' });
  return { audit: { store: 'postgres', url, ...(tablePrefix === undefined ? {} : { tablePrefix }) }, ...checkpoint };
}

function parseAuditCheckpoint(section: ConfigReader, baseDir: string): AuditCheckpointConfig {
  section.rejectUnknownKeys(['dir', 'key', 'previousKey', 'replica']);
  const key = section.string('key');
  if (Buffer.byteLength(key, 'utf8') < 32) section.fail('key', 'expected at least 32 bytes (e.g. `openssl rand -base64 32`), from the environment');
  const shipped = shippedSecretProblem(key);
  if (shipped) section.fail('key', `refused: ${shipped}`);
  const previousKey = section.optionalString('previousKey');
  if (previousKey !== undefined) {
    if (Buffer.byteLength(previousKey, 'utf8') < 32) section.fail('previousKey', 'expected at least 32 bytes, the key the checkpoint was signed with before this one');
    if (previousKey === key) section.fail('previousKey', 'is the same as key; during a rotation it holds the old key');
    const shippedPrevious = shippedSecretProblem(previousKey);
    if (shippedPrevious) section.fail('previousKey', `refused: ${shippedPrevious}`);
  }
  const defaultReplica = hostname().replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64) || 'gateway';
  return {
    dir: resolve(baseDir, section.string('dir')),
    key,
    ...(previousKey !== undefined ? { previousKey } : {}),
    replica: section.optionalString('replica', { pattern: /^[A-Za-z0-9._-]{1,64}$/, patternHint: '1–64 letters, digits, ".", "_" or "-"' }) ?? defaultReplica,
  };
}

function parseState(state: ConfigReader | undefined, baseDir: string): GatewayStateConfig {
  if (!state) return { kind: 'embedded', dir: resolve(baseDir, '.patient-graph') };
  state.rejectUnknownKeys(['kind', 'dir', ...REDIS_CONNECTION_KEYS, 'keyPrefix']);
  const kind = state.oneOf('kind', ['embedded', 'redis'] as const);
  if (kind === 'embedded') return { kind, dir: resolve(baseDir, state.optionalString('dir') ?? '.patient-graph') };
  const keyPrefix = state.optionalString('keyPrefix') ?? 'patient-graph:';
  // One server (url), Sentinel or Cluster: README "State and Redis".
  return { kind, connection: parseRedisConnection(state, keyPrefix), keyPrefix };
}

/**
 * `analytics.cursorKey` (docs/analytics.md, "De-identified cohort rows"): a random secret shared by
 * the replicas, so a cohort cursor sealed by one continues at another and after a restart. Never a
 * published or placeholder value: whoever knows it could read and forge cursors.
 */
function parseCursorKey(analytics: ConfigReader | undefined): { cursorKey?: string } {
  const cursorKey = analytics?.optionalString('cursorKey');
  if (analytics === undefined || cursorKey === undefined) return {};
  if (Buffer.byteLength(cursorKey, 'utf8') < COHORT_CURSOR_SECRET_MIN_BYTES) analytics.fail('cursorKey', `expected at least ${COHORT_CURSOR_SECRET_MIN_BYTES} bytes (e.g. \`openssl rand -base64 32\`), the same at every replica, from the environment`);
  const shipped = shippedSecretProblem(cursorKey);
  if (shipped) analytics.fail('cursorKey', `refused: ${shipped}`);
  return { cursorKey };
}

/** A JWT key shared with the identity provider: never one published here or a placeholder. */
function checkedJwtSecret(auth: ConfigReader): string {
  const secret = auth.string('secret');
  const shipped = shippedSecretProblem(secret);
  if (shipped) auth.fail('secret', `refused: ${shipped}`);
  return secret;
}
