import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VssClient } from '../adapters/vss/VssClient';
import type { AuditLog } from '../gateway/audit/AuditLog';
import { FileAuditLog } from '../gateway/audit/FileAuditLog';
import { DEVELOPMENT_AUTH } from '../gateway/auth/developmentAuth';
import type { ConsentStore } from '../gateway/state/ConsentStore';
import { FileConsentStore } from '../gateway/state/FileConsentStore';
import { InMemoryGrantStore } from '../gateway/state/InMemoryGrantStore';
import type { GrantStore } from '../gateway/state/GrantStore';
import { VssVisitHistoryLocator } from '../subgraphs/identity/VssVisitHistoryLocator';
import type { Logger } from '../core/logging/logger';
import { generateSigningSecret } from '../core/security/generateSigningSecret';
import type { RegisteredSource } from '../gateway/sources/RegisteredSource';
import { StaticSourceRegistry } from '../gateway/sources/StaticSourceRegistry';
import { startGateway, type GatewayOptions, type RunningGateway } from '../gateway/server/startGateway';
import { createIdentitySubgraph } from '../subgraphs/identity/createIdentitySubgraph';
import type { FeedSource } from '../subgraphs/identity/fetchPatientChanges';
import { InMemoryPatientIndex } from '../subgraphs/identity/InMemoryPatientIndex';
import { openSqlPatientIndex, type PatientIndexStore } from '../subgraphs/identity/openSqlPatientIndex';
import { seedDemoPatientIndex } from './identity/seedDemoPatientIndex';
import { serveInsuranceSubgraph } from '../subgraphs/insurance/serveInsuranceSubgraph';
import { serveSubgraph, type RunningSubgraph } from '../subgraphs/serveSubgraph';
import type { DemoHospital } from './hospitals/DemoHospital';
import { DEMO_HOSPITAL_KINDS, startDemoHospitalOfKind, type DemoHospitalKind, type DemoHospitalOfKindOptions } from './hospitals/startDemoHospitalOfKind';
import { seedDemoHisDatabase, sqlHisHospitalsOf } from './hospitals/openDemoHisDatabase';
import { openDemoDatabase } from './openDemoDatabase';
import { buildDemoPatientIndex } from './identity/buildDemoPatientIndex';
import { createDemoPopulation } from './population/generatePopulation';
import type { DemoFacility, Population } from './population/types';
import type { SqlHisExecutor } from '../adapters/sql-his/SqlHisConnection';
import type { PgliteDatabase } from '../adapters/sql-his/PgliteDatabase';
import { DEMO_VSS_ACCOUNT } from './vss/demoVssAccount';
import { startVssSimulator, type RunningVssSimulator } from './vss/VssSimulator';

export interface DemoNetworkOptions {
  readonly logger: Logger;
  /** Default: the seeded demo population. */
  readonly population?: Population;
  /** Which demo hospitals to run (default: all of the population's facilities). */
  readonly facilities?: readonly DemoFacility[];
  readonly host?: string;
  /** Gateway port; 0 picks a free one. */
  readonly gatewayPort?: number;
  /** Deadline of one fetch to a hospital. */
  readonly hospitalTimeoutMs?: number;
  /** Deadline of one fetch to the identity or insurance subgraph. */
  readonly serviceTimeoutMs?: number;
  readonly introspection?: boolean;
  /**
   * Where the gateway should reach a hospital, given where it listens (default: there). Tests put
   * a fault-injecting proxy in between.
   */
  readonly hospitalEndpoint?: (facility: DemoFacility, url: string) => Promise<string>;
  /**
   * More registered clinical sources than the demo runs (benchmarks: routing cost as the registry
   * grows); the gateway knows them, nobody serves them.
   */
  readonly additionalClinicalSources?: readonly RegisteredSource[];
  readonly circuitBreaker?: { readonly failureThreshold: number; readonly openMs: number };
  /**
   * Where the embedded state (audit log, consent) lives; default a fresh temporary folder.
   * `npm start` uses `.patient-graph/` in the working directory so the audit trail persists.
   */
  readonly stateDir?: string;
  /** Another audit log (e.g. Redis) instead of the embedded file. */
  readonly audit?: AuditLog;
  /**
   * A persistent patient index (PostgreSQL or PGlite, docs/identity.md) seeded from the population
   * and serving search and match review; default the in-memory index built from the population.
   */
  readonly patientIndex?: PatientIndexStore;
  /**
   * `adapters` (default, what `npm start` runs): each demo hospital over a real adapter kind
   * (FHIR, SQL HIS, QĐ 130 XML; see DEMO_HOSPITAL_KINDS). `synthetic`: every hospital over the
   * in-memory synthetic adapter (fast; for tests of the gateway itself). A map: the kind of each
   * facility it names, the synthetic adapter for the others.
   */
  readonly hospitalKinds?: 'adapters' | 'synthetic' | Readonly<Record<string, DemoHospitalKind>>;
  /**
   * Starts each hospital instead of the demo's own starter (benchmarks: a HIS on a real database
   * server, a FHIR adapter with other limits); given the options the demo would use.
   */
  readonly startHospital?: (options: DemoHospitalOfKindOptions) => Promise<DemoHospital>;
  /** Tests: a change to a sql-his demo hospital's seeded rows before it serves (a malformed value). */
  readonly afterSqlHisSeed?: (facility: DemoFacility, writer: SqlHisExecutor) => Promise<void>;
  /** Consent directives (default: a file in the state folder). */
  readonly consent?: ConsentStore;
  /** Break-the-glass grants (default: a fresh embedded store). */
  readonly grants?: GrantStore;
  /** Rate limits (default: embedded limiter, DEFAULT_RATE_LIMITS by role). */
  readonly rateLimits?: GatewayOptions['rateLimits'];
  /** Disclosure control of aggregates (default: the gateway's safe default). */
  readonly disclosure?: GatewayOptions['disclosure'];
  /** Analytics projects of cohort questions (default: none). */
  readonly cohortProjects?: GatewayOptions['cohortProjects'];
  /** The secret cohort cursors are sealed under (`analytics.cursorKey`; default: a random key per gateway). */
  readonly cohortCursorKey?: string;
  /** Operation limits (default: DEFAULT_OPERATION_LIMITS). */
  readonly operationLimits?: GatewayOptions['operationLimits'];
  /** Persisted-operation mode (default: off, every operation runs). */
  readonly safelist?: GatewayOptions['safelist'];
  /** Prometheus `/metrics` behind a token (default: off). */
  readonly metrics?: GatewayOptions['metrics'];
  /** OpenTelemetry traces over OTLP/HTTP (default: off). */
  readonly tracing?: GatewayOptions['tracing'];
  /** Other origins whose browser apps may call the demo gateway (CORS); none by default. */
  readonly cors?: GatewayOptions['cors'];
}

export interface DemoNetwork {
  readonly population: Population;
  readonly gateway: RunningGateway;
  readonly hospitals: readonly DemoHospital[];
  readonly vss: RunningVssSimulator;
  readonly vssClient: VssClient;
  readonly identity: RunningSubgraph;
  readonly insurance: RunningSubgraph;
  readonly audit: AuditLog;
  readonly consent: ConsentStore;
  readonly stateDir: string;
  /**
   * Another gateway replica over the same sources, audit log, consent and grants (as behind the
   * load balancer of docker-compose.yml), with its own cohort cursor key when given (else the
   * network's); stopped with the network.
   */
  startGatewayReplica(options?: { readonly cohortCursorKey?: string }): Promise<RunningGateway>;
  stop(): Promise<void>;
}

/**
 * Starts the whole demo network on this machine (what `npm start`, the integration tests and the
 * benchmarks run): a VSS simulator, the identity and insurance subgraphs over it, one clinical
 * subgraph per demo hospital, and the gateway in front. Embedded defaults only: no Redis,
 * PostgreSQL or Docker.
 */
export async function startDemoNetwork(options: DemoNetworkOptions): Promise<DemoNetwork> {
  const { logger } = options;
  const host = options.host ?? '127.0.0.1';
  const population = options.population ?? createDemoPopulation();
  const stops: (() => Promise<void>)[] = [];
  // One secret per source (docs/architecture.md §6), known only to that subgraph and the gateway.
  const secrets = new Map<string, string>();
  const secretOf = (code: string): string => {
    let secret = secrets.get(code);
    if (secret === undefined) {
      secret = generateSigningSecret();
      secrets.set(code, secret);
    }
    return secret;
  };
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'patient-graph-state-'));
  const planned = (options.facilities ?? population.facilities).map((facility) => ({
    facility,
    kind: hospitalKindOf(options.hospitalKinds, facility.code),
  }));
  // One embedded database (PGlite) for every embedded store (openDemoDatabase): the SQL HIS
  // hospitals', the first QĐ 130 hospital's index, a PGlite patient index (in its data directory).
  const sqlHis = sqlHisHospitalsOf(planned);
  const xml130Shared = planned.find(({ kind }) => kind === 'xml130')?.facility.code;
  const embeddedIndex = options.patientIndex?.kind === 'pglite' ? options.patientIndex : undefined;
  const needsDatabase = sqlHis.length > 0 || xml130Shared !== undefined || embeddedIndex !== undefined;
  // A state folder the user keeps (`npm start`) also keeps PGlite's initdb template: later starts skip initdb.
  const templateCacheDir = options.stateDir === undefined ? undefined : join(options.stateDir, 'cache');
  const databaseReady = needsDatabase ? openDemoDatabase({ dataDir: embeddedIndex?.dataDir ?? null, ...(templateCacheDir ? { templateCacheDir } : {}) }) : Promise.resolve(null);
  databaseReady.catch(() => undefined); // awaited below
  let databaseClosed = false;
  const closeDatabase = async (): Promise<void> => {
    const database = await databaseReady.catch(() => null);
    if (database === null || databaseClosed) return;
    databaseClosed = true;
    await database.close();
  };
  // Seeded while the rest starts; the patient index meanwhile writes to the same database (one statement at a time).
  const hisReady = databaseReady.then(async (database) => {
    if (database !== null && sqlHis.length > 0) await seedDemoHisDatabase(database, planned, population);
    return database;
  });
  hisReady.catch(() => undefined); // awaited below
  // Shared by the hospitals, never given to the gateway (docs/analytics.md: keyed pseudonyms).
  const analyticsKey = randomBytes(32);
  const usesDatabase = ({ facility }: (typeof planned)[number]): boolean => sqlHis.some((p) => p.facility.code === facility.code) || facility.code === xml130Shared;
  const startHospitalOf = ({ facility, kind }: (typeof planned)[number], database: PgliteDatabase | null): Promise<DemoHospital> => {
    const his = database !== null && sqlHis.length > 0 ? database : null;
    return (options.startHospital ?? startDemoHospitalOfKind)({
      kind,
      facility,
      population,
      logger,
      host,
      signing: { secret: secretOf(facility.code), target: facility.code },
      analyticsKey,
      ...(his ? { seededPglite: his } : {}),
      ...(database && facility.code === xml130Shared ? { indexPglite: database } : {}),
      ...(options.afterSqlHisSeed ? { afterSeed: (writer: SqlHisExecutor) => (options.afterSqlHisSeed as NonNullable<typeof options.afterSqlHisSeed>)(facility, writer) } : {}),
    });
  };
  // Hospitals without the embedded database (FHIR, synthetic) start at once: their start (FHIR
  // loads its charts on this thread) overlaps PGlite's start and seeding on its worker thread.
  const earlyHospitals = startAllHospitals(planned.filter((p) => !usesDatabase(p)).map((p) => startHospitalOf(p, null)));
  earlyHospitals.catch(() => undefined); // awaited below
  // Until they join the stops, a failure stops them here.
  let earlyHospitalsOwned = true;
  try {
    const vss = await startVssSimulator({ population, host, username: DEMO_VSS_ACCOUNT.username, logger: logger.child({ service: 'vss-simulator' }) });
    stops.push(() => vss.stop());
    const vssClient = new VssClient({ baseUrl: vss.url, ...DEMO_VSS_ACCOUNT, logger });

    const database = await databaseReady;
    // Closed last: the stores that use it stop first.
    stops.push(closeDatabase);
    const sqlIndex = options.patientIndex ? await openSqlPatientIndex(options.patientIndex, embeddedIndex && database ? { pglite: database } : {}) : null;
    if (sqlIndex) {
      stops.push(() => sqlIndex.close());
      await seedDemoPatientIndex(sqlIndex, population);
    }
    // Filled once the hospitals run: the identity subgraph asks them for the records it learns from answers.
    const learningSources = new Map<string, FeedSource>();
    const identitySubgraph = createIdentitySubgraph({
      index: sqlIndex ?? new InMemoryPatientIndex(buildDemoPatientIndex(population)),
      ...(sqlIndex ? { matching: sqlIndex, learning: { index: sqlIndex, sourceOf: (code: string) => learningSources.get(code) } } : {}),
      locator: new VssVisitHistoryLocator(vssClient),
      logger,
    });
    const identity = await serveSubgraph({
      name: 'identity',
      schema: identitySubgraph.schema,
      context: identitySubgraph.createContext,
      logger,
      host,
      signing: { secret: secretOf('identity'), target: 'identity' },
    });
    stops.push(() => identity.stop());
    const insurance = await serveInsuranceSubgraph({ vss: vssClient, logger, host, signing: { secret: secretOf('insurance'), target: 'insurance' } });
    stops.push(() => insurance.stop());

    // The hospitals on the embedded database start once it is seeded (PostgreSQL starts and is
    // seeded on a worker thread meanwhile); the others have been starting since the beginning.
    await hisReady;
    const lateHospitals = await startAllHospitals(planned.filter((p) => usesDatabase(p)).map((p) => startHospitalOf(p, database)));
    for (const hospital of lateHospitals) stops.push(() => hospital.stop());
    const earlyStarted = await earlyHospitals;
    earlyHospitalsOwned = false;
    for (const hospital of earlyStarted) stops.push(() => hospital.stop());
    const started = new Map([...earlyStarted, ...lateHospitals].map((h) => [h.facility.code, h]));
    const hospitals = planned.map(({ facility }) => started.get(facility.code) as DemoHospital);

    const clinicalSources: RegisteredSource[] = [];
    for (const hospital of hospitals) {
      const url = options.hospitalEndpoint ? await options.hospitalEndpoint(hospital.facility, hospital.url) : hospital.url;
      learningSources.set(hospital.facility.code, { code: hospital.facility.code, url, secret: secretOf(hospital.facility.code), timeoutMs: options.hospitalTimeoutMs ?? 5_000 });
      clinicalSources.push({
        code: hospital.facility.code,
        name: hospital.facility.name,
        contract: 'clinical',
        url,
        timeoutMs: options.hospitalTimeoutMs ?? 5_000,
        secret: secretOf(hospital.facility.code),
      });
    }
    const serviceTimeoutMs = options.serviceTimeoutMs ?? 10_000;
    const audit = options.audit ?? (await FileAuditLog.open(join(stateDir, 'audit.jsonl')));
    stops.push(() => audit.close());
    const consent = options.consent ?? new FileConsentStore(join(stateDir, 'consent.json'));
    const gatewayOptions: GatewayOptions = {
      auth: DEVELOPMENT_AUTH,
      audit,
      consent,
      grants: options.grants ?? new InMemoryGrantStore(),
      ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
      ...(options.disclosure ? { disclosure: options.disclosure } : {}),
      ...(options.cohortProjects ? { cohortProjects: options.cohortProjects } : {}),
      ...(options.cohortCursorKey !== undefined ? { cohortCursorKey: options.cohortCursorKey } : {}),
      ...(options.operationLimits ? { operationLimits: options.operationLimits } : {}),
      ...(options.safelist ? { safelist: options.safelist } : {}),
      ...(options.cors ? { cors: options.cors } : {}),
      host,
      port: options.gatewayPort ?? 0,
      identity: { code: 'identity', name: 'patient index', contract: 'identity', url: identity.url, timeoutMs: serviceTimeoutMs, secret: secretOf('identity') },
      insurance: { code: 'insurance', name: 'VSS insurance service', contract: 'insurance', url: insurance.url, timeoutMs: serviceTimeoutMs, secret: secretOf('insurance') },
      clinicalSources: new StaticSourceRegistry([...clinicalSources, ...(options.additionalClinicalSources ?? [])]),
      logger,
      introspection: options.introspection ?? true,
      ...(options.circuitBreaker ? { circuitBreaker: options.circuitBreaker } : {}),
      ...(options.metrics ? { metrics: options.metrics } : {}),
      ...(options.tracing ? { tracing: options.tracing } : {}),
    };
    const gateway = await startGateway(gatewayOptions);
    stops.push(() => gateway.stop());
    const startGatewayReplica = async (replica: { readonly cohortCursorKey?: string } = {}): Promise<RunningGateway> => {
      const started = await startGateway({ ...gatewayOptions, port: 0, ...replica });
      stops.push(() => started.stop());
      return started;
    };

    return { population, gateway, hospitals, vss, vssClient, identity, insurance, audit, consent, stateDir, startGatewayReplica, stop: () => stopAll(stops) };
  } catch (error) {
    if (earlyHospitalsOwned) await earlyHospitals.then((started) => stopAll(started.map((h) => () => h.stop())), () => undefined);
    await stopAll(stops);
    // Not yet among the stops when something before it failed.
    await closeDatabase();
    throw error;
  }
}

/** Starts hospitals side by side; if one fails, stops those that started and fails with its error. */
async function startAllHospitals(starts: readonly Promise<DemoHospital>[]): Promise<DemoHospital[]> {
  const settled = await Promise.allSettled(starts);
  const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  const started = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  if (failure) {
    await stopAll(started.map((h) => () => h.stop()));
    throw failure.reason;
  }
  return started;
}

/** Stops in reverse start order: the gateway first, the VSS simulator last. */
async function stopAll(stops: readonly (() => Promise<void>)[]): Promise<void> {
  for (const stop of [...stops].reverse()) {
    await stop().catch(() => undefined);
  }
}

function hospitalKindOf(kinds: DemoNetworkOptions['hospitalKinds'], facilityCode: string): DemoHospitalKind {
  if (kinds === 'synthetic') return 'synthetic';
  if (kinds === undefined || kinds === 'adapters') return DEMO_HOSPITAL_KINDS[facilityCode] ?? 'synthetic';
  return kinds[facilityCode] ?? 'synthetic';
}
