import { clientTlsFor, type ClientTls, type SourceTlsSettings } from '../../core/http/ClientTls';
import { PatientGraphError } from '../../core/errors/PatientGraphError';
import { parseFacilityCode } from '../../core/identifiers/facilityCode';
import type { Logger } from '../../core/logging/logger';
import { MIN_SECRET_BYTES } from '../../core/security/requestSignature';
import { shippedSecretProblem } from '../../core/security/shippedSecretProblem';
import { CONTRACT_NAMES, isContractName } from '../../contracts/loadContract';
import { checkRegisteredContract, checkSourceOfRegisteredContract } from './checkRegisteredContract';
import type { RegisteredSource } from '../sources/RegisteredSource';
import { checkContractSdl } from './checkContractSdl';
import { fetchServiceSdl } from './fetchServiceSdl';
import { toRegisteredSource, type ListedSource, type LiveSourceRegistry } from './LiveSourceRegistry';
import { failed, passed, type RegistrationCheck } from './RegistrationCheck';
import { resolveSigningSecret } from './resolveSigningSecret';
import { DEFAULT_SOURCE_LIMITS, SOURCE_LIMIT_BOUNDS, type SourceRecord, type SourceStatus } from './SourceRecord';

/** What an admin asks to register. */
export interface RegisterSourceRequest {
  readonly code: string;
  readonly name: string;
  readonly contract: string;
  readonly url: string;
  readonly signingSecretRef: string;
  readonly deadlineMs?: number | null;
  readonly concurrency?: number | null;
  readonly testPatients?: readonly string[] | null;
}

export interface UpdateSourceRequest {
  readonly name?: string | null;
  readonly url?: string | null;
  readonly signingSecretRef?: string | null;
  readonly deadlineMs?: number | null;
  readonly concurrency?: number | null;
  readonly status?: SourceStatus | null;
  readonly testPatients?: readonly string[] | null;
}

/** Runs the conformance kit against a candidate source (docs/registry.md); each failed check refuses. */
/** `tls`: the gateway's CA and client certificate for this source, when its URL is https:// (mutual TLS). */
export type ConformanceRunner = (source: RegisteredSource, testPatients: readonly string[], tls?: ClientTls) => Promise<readonly RegistrationCheck[]>;

/**
 * Shipped contracts a registration may claim: `clinical`, served by many sources through the
 * network data source (as are the contracts sources bring, docs/registry.md §7); identity,
 * insurance, access and admin are singletons of the gateway's config.
 */
const REGISTRABLE_CONTRACTS: ReadonlySet<string> = new Set(['clinical']);

export interface SourceRegistrarOptions {
  readonly registry: LiveSourceRegistry;
  readonly logger: Logger;
  readonly conformance?: ConformanceRunner;
  /** Refuses published or placeholder secrets (docs/registry.md); returns why, or null. Default: shippedSecretProblem. */
  readonly rejectSecret?: (secret: string) => string | null;
  readonly env?: NodeJS.ProcessEnv;
  readonly now?: () => Date;
  /** The gateway's TLS for https:// sources (docs/security.md), used for the signed-link check. */
  readonly sourceTls?: SourceTlsSettings;
}

/**
 * Changes the registry on an admin's behalf (docs/architecture.md §5). A registration is checked
 * in full before anything is stored; a refusal lists every failed check and changes nothing.
 */
export class SourceRegistrar {
  constructor(private readonly options: SourceRegistrarOptions) {}

  async register(request: RegisterSourceRequest, by: string): Promise<ListedSource> {
    const record: SourceRecord = {
      code: request.code,
      name: request.name.trim(),
      contract: request.contract,
      url: request.url,
      signingSecretRef: request.signingSecretRef,
      limits: { deadlineMs: request.deadlineMs ?? DEFAULT_SOURCE_LIMITS.deadlineMs, concurrency: request.concurrency ?? DEFAULT_SOURCE_LIMITS.concurrency },
      status: 'active',
      registeredBy: by,
      registeredAt: (this.options.now?.() ?? new Date()).toISOString(),
    };
    const contractName = checkContractName(request.contract);
    const candidate = contractName.passed ? await this.checkCandidate(record, request.testPatients ?? []) : { checks: [], contractSdl: undefined };
    refuseOnFailure(request.code, 'registration', [this.checkCode(request.code), contractName, ...candidate.checks]);
    const stored = withContractSdl(record, candidate.contractSdl);
    const created = await guarded(() => this.options.registry.store.create(stored));
    if (created === 'taken') refuseOnFailure(request.code, 'registration', [failed('code', `facility ${request.code} was registered meanwhile`)]);
    await guarded(() => this.options.registry.reload());
    this.options.logger.info('registry.registered', { facilityCode: record.code, by });
    return this.listing(record.code);
  }

  async update(code: string, request: UpdateSourceRequest, by: string): Promise<ListedSource> {
    const current = this.stored(code);
    const record: SourceRecord = {
      ...current,
      name: request.name?.trim() ?? current.name,
      url: request.url ?? current.url,
      signingSecretRef: request.signingSecretRef ?? current.signingSecretRef,
      limits: { deadlineMs: request.deadlineMs ?? current.limits.deadlineMs, concurrency: request.concurrency ?? current.limits.concurrency },
      status: request.status ?? current.status,
    };
    const relinked = record.url !== current.url || record.signingSecretRef !== current.signingSecretRef || (current.status === 'disabled' && record.status === 'active');
    const candidate = relinked && record.status === 'active' ? await this.checkCandidate(record, request.testPatients ?? []) : { checks: [checkName(record.name), checkLimits(record)], contractSdl: record.contractSdl };
    refuseOnFailure(code, 'change', candidate.checks);
    return this.store(withContractSdl(record, candidate.contractSdl), 'registry.updated', by);
  }

  async disable(code: string, by: string): Promise<ListedSource> {
    return this.store({ ...this.stored(code), status: 'disabled' }, 'registry.disabled', by);
  }

  async remove(code: string, by: string): Promise<ListedSource> {
    const listing = this.listing(code);
    this.stored(code);
    if ((await guarded(() => this.options.registry.store.remove(code))) === 'missing') throw unknownSource(code);
    await guarded(() => this.options.registry.reload());
    this.options.logger.info('registry.removed', { facilityCode: code, by });
    return { ...listing, record: { ...listing.record, status: 'disabled' } };
  }

  /**
   * Everything checked before a source is routed: limits, secret, signed link, SDL, conformance.
   * For a contract the source brings, its SDL must compose with the supergraph instead (and is
   * returned, to be stored with the record).
   */
  private async checkCandidate(record: SourceRecord, testPatients: readonly string[]): Promise<{ checks: RegistrationCheck[]; contractSdl: string | undefined }> {
    const contractSdl: { value: string | undefined } = { value: undefined };
    const checks = await this.runCandidateChecks(record, testPatients, contractSdl);
    return { checks, contractSdl: contractSdl.value };
  }

  private async runCandidateChecks(record: SourceRecord, testPatients: readonly string[], contractSdl: { value: string | undefined }): Promise<RegistrationCheck[]> {
    const checks: RegistrationCheck[] = [checkName(record.name), checkUrl(record.url), checkLimits(record)];
    const secret = resolveSigningSecret(record.signingSecretRef, this.options.env);
    if (secret.kind === 'unresolved') {
      checks.push(failed('signing-secret', secret.reason));
      return checks;
    }
    if (Buffer.byteLength(secret.secret, 'utf8') < MIN_SECRET_BYTES) {
      checks.push(failed('signing-secret', `the secret is shorter than ${MIN_SECRET_BYTES} bytes`));
      return checks;
    }
    const rejected = (this.options.rejectSecret ?? shippedSecretProblem)(secret.secret);
    checks.push(rejected ? failed('signing-secret', rejected) : passed('signing-secret', `read from ${record.signingSecretRef.split(':')[0]}`));
    if (checks.some((c) => !c.passed)) return checks;
    const source = toRegisteredSource(record, secret.secret);
    const sdl = await fetchServiceSdl(source, this.options.sourceTls);
    if (sdl.kind === 'failed') {
      checks.push(failed('signed-link', sdl.reason));
      return checks;
    }
    checks.push(passed('signed-link', 'answered _service { sdl } over the signed link'));
    if (!isContractName(record.contract)) {
      const registered = this.options.registry.registeredContracts();
      // A contract brought by other sources: this one must satisfy it; else it defines the contract.
      const existing = registered.find((c) => c.name === record.contract && c.sources.some((s) => s.code !== record.code));
      const candidate = { ...record, contractSdl: sdl.sdl };
      checks.push(existing && existing.sources[0]?.code !== record.code ? await checkSourceOfRegisteredContract(candidate, existing, registered) : checkRegisteredContract(candidate, registered));
      contractSdl.value = sdl.sdl;
      return checks;
    }
    const verdict = await checkContractSdl(record.contract, sdl.sdl);
    checks.push(verdict.kind === 'satisfied' ? passed('contract', `the SDL satisfies the ${record.contract} contract`) : failed('contract', verdict.problems.join('\n')));
    if (verdict.kind === 'unsatisfied' || !this.options.conformance) return checks;
    checks.push(...(await this.options.conformance(source, testPatients, clientTlsFor(this.options.sourceTls, source.code))).map((c) => ({ ...c, check: `conformance: ${c.check}` })));
    return checks;
  }

  private checkCode(code: string): RegistrationCheck {
    const format = parseFacilityCode(code);
    if (format.kind === 'invalid') return failed('code', format.reason);
    const existing = this.options.registry.find(code);
    if (existing) return failed('code', `facility ${code} is already registered (${existing.origin === 'config' ? 'in the gateway config file' : `by ${existing.record.registeredBy}`})`);
    return passed('code', `${code} is free`);
  }

  private async store(record: SourceRecord, event: string, by: string): Promise<ListedSource> {
    if ((await guarded(() => this.options.registry.store.replace(record))) === 'missing') throw unknownSource(record.code);
    await guarded(() => this.options.registry.reload());
    this.options.logger.info(event, { facilityCode: record.code, by });
    return this.listing(record.code);
  }

  /** A source of the runtime registry; config-file sources are changed in the config file. */
  private stored(code: string): SourceRecord {
    const listing = this.options.registry.find(code);
    if (!listing) throw unknownSource(code);
    if (listing.origin === 'config') {
      throw new PatientGraphError('BAD_USER_INPUT', `Facility ${code} is declared in the gateway config file; change it there, not through the registry.`, { facilityCode: code });
    }
    return listing.record;
  }

  private listing(code: string): ListedSource {
    const listing = this.options.registry.find(code);
    if (!listing) throw unknownSource(code);
    return listing;
  }
}

/** A shipped contract sources serve (`clinical`), or the name of a new contract the source brings. */
function checkContractName(contract: string): RegistrationCheck {
  if (REGISTRABLE_CONTRACTS.has(contract)) return passed('contract-name', contract);
  if ((CONTRACT_NAMES as readonly string[]).includes(contract)) {
    return failed('contract', `"${contract}" is served by the gateway's own configuration; sources register for ${[...REGISTRABLE_CONTRACTS].join(', ')} or bring a new contract`);
  }
  if (!NEW_CONTRACT_NAME.test(contract)) return failed('contract', `"${contract}" is not a contract name: lowercase letters, digits and dashes, 2 to 40, starting with a letter`);
  return passed('contract-name', `${contract} (a new contract this source brings)`);
}

/** Names of contracts a source brings: a subgraph name in the supergraph. */
const NEW_CONTRACT_NAME = /^[a-z][a-z0-9-]{1,39}$/;

function withContractSdl(record: SourceRecord, contractSdl: string | undefined): SourceRecord {
  const { contractSdl: _previous, ...rest } = record;
  return contractSdl === undefined ? rest : { ...rest, contractSdl };
}

function checkName(name: string): RegistrationCheck {
  return name.length >= 1 && name.length <= 200 ? passed('name', 'present') : failed('name', 'a name of 1 to 200 characters is required');
}

function checkUrl(url: string): RegistrationCheck {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return failed('url', 'not a URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return failed('url', 'expected an http(s):// URL of the subgraph');
  if (parsed.username || parsed.password) return failed('url', 'the URL must not carry credentials (the signed link authenticates the gateway)');
  return passed('url', 'well formed');
}

function checkLimits(record: SourceRecord): RegistrationCheck {
  const { deadlineMs, concurrency } = record.limits;
  const d = SOURCE_LIMIT_BOUNDS.deadlineMs;
  const c = SOURCE_LIMIT_BOUNDS.concurrency;
  if (!Number.isInteger(deadlineMs) || deadlineMs < d.min || deadlineMs > d.max) return failed('limits', `deadlineMs must be ${d.min} to ${d.max}`);
  if (!Number.isInteger(concurrency) || concurrency < c.min || concurrency > c.max) return failed('limits', `concurrency must be ${c.min} to ${c.max}`);
  return passed('limits', `deadline ${deadlineMs} ms, concurrency ${concurrency}`);
}

/** Refuses with the precise report: every failed check, named, with its reason. */
function refuseOnFailure(code: string, what: string, checks: readonly RegistrationCheck[]): void {
  const failures = checks.filter((c) => !c.passed);
  if (failures.length === 0) return;
  const lines = failures.map((c) => `${c.check}: ${c.detail}`);
  throw new PatientGraphError('REGISTRATION_REFUSED', `The ${what} of facility ${code} was refused; nothing changed.\n${lines.join('\n')}`, {
    facilityCode: code,
    failedChecks: failures.map((c) => c.check),
    report: lines,
  });
}

function unknownSource(code: string): PatientGraphError {
  return new PatientGraphError('SOURCE_UNKNOWN', `No registered source has the code ${code}.`, { facilityCode: code });
}

/** A store that cannot be reached is the registry being unavailable (503), not a gateway bug. */
async function guarded<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof PatientGraphError) throw error;
    throw new PatientGraphError('REGISTRY_UNAVAILABLE', 'The source registry cannot be changed now (its store does not answer); nothing changed. Retry shortly.', {}, { cause: error });
  }
}
