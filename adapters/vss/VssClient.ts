import { createHash } from 'node:crypto';
import { PatientGraphError } from '../../core/errors/PatientGraphError';
import type { Logger } from '../../core/logging/logger';
import type { IsoDate } from '../../contracts/model/patient';
import type { CardCheckCache } from './CardCheckCache';
import type { CardCheckResult } from './CardCheckResult';
import { InMemoryCardCheckCache } from './InMemoryCardCheckCache';
import { mapCardCheckResponse } from './mapCardCheckResponse';
import { RequestPacer } from './RequestPacer';
import { Semaphore } from './Semaphore';
import {
  VSS_PATHS,
  formatVssDate,
  normalizeVssName,
  vssPasswordHash,
  type CardCheckRequest,
  type CardCheckResponse,
  type TokenTakeResponse,
  type VssCallCredentials,
} from './vssProtocol';
import { SourceCallError } from '../../core/http/SourceCallError';
import { SourceClient, type HttpReply } from '../../core/http/SourceClient';

export interface VssOfficer {
  /** Name of the staff member the look-ups are made for (hoTenCb). */
  readonly name: string;
  /** Their 12-digit CCCD (cccdCb), registered with VSS for the facility account. */
  readonly nationalId: string;
}

export interface VssClientOptions {
  /** e.g. `https://egw.baohiemxahoi.gov.vn` (docs/standards.md §6). */
  readonly baseUrl: string;
  /** Facility account, e.g. `79560_BV`. */
  readonly username: string;
  /** Plain password; only its MD5 hex leaves the process (§6.1). */
  readonly password: string;
  readonly officer: VssOfficer;
  /** Deadline of each HTTP call to VSS (default 5 000 ms). */
  readonly timeoutMs?: number;
  /** How long a card found by VSS is reused (default 10 min; 0 turns caching off). */
  readonly cacheTtlMs?: number;
  /** Calls to VSS in flight at once (default 4). */
  readonly maxConcurrent?: number;
  /** Requests per second sent to VSS (default 10, bursts of `maxConcurrent`). */
  readonly maxRequestsPerSecond?: number;
  readonly logger: Logger;
  /** Default: an in-memory cache. */
  readonly cache?: CardCheckCache;
}

export interface CardCheckInput {
  /** 15-character card code, 10-digit BHXH code or 12-digit CCCD (§5.1). */
  readonly cardNumber: string;
  readonly fullName: string;
  /** ISO `YYYY-MM-DD`. */
  readonly birthDate: IsoDate;
}

export interface VssClientStats {
  /** Logins sent to /api/token/take. */
  readonly logins: number;
  /** Card checks sent to KQNhanLichSuKCB2024 (retries included). */
  readonly cardCheckCalls: number;
  readonly cacheHits: number;
  readonly cacheMisses: number;
  /** Card checks answered 401 that led to a fresh login. */
  readonly tokenRefreshes: number;
  /** Calls repeated once after a connection reset. */
  readonly connectionRetries: number;
  readonly inFlight: number;
  readonly queued: number;
}

interface VssSession {
  /** Which login produced it, so a 401 forgets only the token it was given. */
  readonly seq: number;
  readonly credentials: VssCallCredentials;
  readonly expiresAt: number;
}

/** One client caches the token for about 20 h (§6.1); used when expires_in is unreadable. */
const DEFAULT_TOKEN_LIFETIME_MS = 20 * 60 * 60 * 1000;
const TOKEN_EXPIRY_MARGIN_MS = 60 * 1000;
const SOURCE = { source: 'vss' } as const;
/** Consecutive failed calls (no answer, or a 5xx) after which VSS is left alone, and for how long. */
const BREAKER = { failureThreshold: 5, openMs: 10_000 } as const;

/**
 * The VSS card-check client (docs/architecture.md §4 `vss` adapter): logs in once and reuses the token,
 * logs in again once when a call answers 401 (§6.1), bounds concurrency, caches cards VSS found,
 * and turns transport failures into coded errors without personal data.
 */
export class VssClient {
  private readonly baseUrl: string;
  private readonly passwordMd5: string;
  private readonly timeoutMs: number;
  private readonly cacheTtlMs: number;
  private readonly logger: Logger;
  private readonly cache: CardCheckCache;
  private readonly semaphore: Semaphore;
  private readonly pacer: RequestPacer;
  private readonly client: SourceClient;
  private readonly pending = new Map<string, Promise<CardCheckResult>>();
  private session: { readonly seq: number; readonly promise: Promise<VssSession> } | undefined;
  private loginSeq = 0;
  private readonly counts = { logins: 0, cardCheckCalls: 0, cacheHits: 0, cacheMisses: 0, tokenRefreshes: 0, connectionRetries: 0 };

  constructor(private readonly options: VssClientOptions) {
    this.baseUrl = validatedBaseUrl(options.baseUrl);
    if (!options.username) throw new Error('VssClient: username is required');
    if (!options.password) throw new Error('VssClient: password is required');
    if (!options.officer.name.trim()) throw new Error('VssClient: officer.name is required (hoTenCb)');
    if (!/^\d{12}$/.test(options.officer.nationalId)) throw new Error('VssClient: officer.nationalId must be a 12-digit CCCD (cccdCb)');
    this.timeoutMs = positive(options.timeoutMs ?? 5_000, 'timeoutMs');
    this.cacheTtlMs = options.cacheTtlMs ?? 10 * 60 * 1000;
    if (!(this.cacheTtlMs >= 0)) throw new Error('VssClient: cacheTtlMs must be >= 0');
    this.semaphore = new Semaphore(options.maxConcurrent ?? 4);
    this.pacer = new RequestPacer(options.maxRequestsPerSecond ?? 10, options.maxConcurrent ?? 4);
    // Logins and look-ups wait in the semaphore and the pacer, so the pool needs one more slot than
    // maxConcurrent (a login may run while every look-up slot waits for it).
    this.client = new SourceClient({ url: this.baseUrl, deadlineMs: this.timeoutMs, concurrency: (options.maxConcurrent ?? 4) + 1, breaker: BREAKER });
    this.passwordMd5 = vssPasswordHash(options.password);
    this.logger = options.logger.child({ source: 'vss' });
    this.cache = options.cache ?? new InMemoryCardCheckCache();
  }

  /**
   * Checks a card against VSS and reads the person's insured visits. Resolves with what VSS
   * answered (`kind: 'card'` or `'rejected'`); rejects with `PatientGraphError` SOURCE_TIMEOUT,
   * SOURCE_UNAVAILABLE or SOURCE_INVALID_RESPONSE when VSS could not answer.
   */
  async checkCard(input: CardCheckInput): Promise<CardCheckResult> {
    const request = this.requestFor(input);
    const key = cacheKey(request);
    const cached = await this.cachedResult(key);
    if (cached) {
      this.counts.cacheHits += 1;
      return cached;
    }
    this.counts.cacheMisses += 1;
    // Identical checks already on their way to VSS share one call.
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const call = this.semaphore.run(() => this.lookUp(request)).then(async (result) => {
      if (result.kind === 'card' && this.cacheTtlMs > 0) await this.remember(key, result);
      return result;
    }).finally(() => this.pending.delete(key));
    this.pending.set(key, call);
    return call;
  }

  /** Closes the kept-alive connections to VSS. */
  close(): Promise<void> {
    return this.client.close();
  }

  stats(): VssClientStats {
    return { ...this.counts, inFlight: this.semaphore.inUse, queued: this.semaphore.queued };
  }

  private requestFor(input: CardCheckInput): CardCheckRequest {
    const cardNumber = input.cardNumber.trim().toUpperCase();
    if (!/^[A-Z0-9]{10,15}$/.test(cardNumber)) {
      throw new PatientGraphError('INVALID_IDENTIFIER', 'A card check needs a card code, BHXH code or national ID.', SOURCE);
    }
    const fullName = input.fullName.normalize('NFC').trim().replace(/\s+/g, ' ');
    if (!fullName) throw new PatientGraphError('BAD_USER_INPUT', 'A card check needs the full name.', SOURCE);
    // Shape only: whether the date exists on the calendar is VSS's to judge (205, §6.3).
    if (!/^\d{4}-\d{2}-\d{2}$/.test(input.birthDate)) {
      throw new PatientGraphError('BAD_USER_INPUT', 'A card check needs the birth date as YYYY-MM-DD.', SOURCE);
    }
    return {
      maThe: cardNumber,
      hoTen: fullName,
      ngaySinh: formatVssDate(input.birthDate),
      hoTenCb: this.options.officer.name,
      cccdCb: this.options.officer.nationalId,
    };
  }

  private async lookUp(request: CardCheckRequest): Promise<CardCheckResult> {
    const started = Date.now();
    let session = await this.currentSession();
    let response = await this.postCardCheck(session, request);
    if (response.maKetQua === '401') {
      // §6.1: the token expired or was revoked; log in again once, then give up.
      this.counts.tokenRefreshes += 1;
      this.logger.info('vss.token_rejected');
      this.forgetSession(session.seq);
      session = await this.currentSession();
      response = await this.postCardCheck(session, request);
      if (response.maKetQua === '401') {
        throw new PatientGraphError('SOURCE_UNAVAILABLE', 'VSS rejected the look-up even after a fresh login.', SOURCE);
      }
    }
    const result = mapCardCheckResponse(response);
    const level = result.status === 'LOOKUP_NOT_AUTHORIZED' || result.status === 'SERVICE_ERROR' ? 'warn' : 'info';
    this.logger[level]('vss.card_check', {
      resultCode: result.resultCode,
      status: result.status,
      visits: result.kind === 'card' ? result.visits.length : 0,
      durationMs: Date.now() - started,
    });
    return result;
  }

  private postCardCheck(session: VssSession, request: CardCheckRequest): Promise<CardCheckResponse> {
    this.counts.cardCheckCalls += 1;
    return this.post<CardCheckResponse>(VSS_PATHS.cardCheck, request, session.credentials);
  }

  /** The current token, logging in when there is none or it is about to expire. */
  private async currentSession(): Promise<VssSession> {
    const session = await (this.session?.promise ?? this.startLogin());
    if (session.expiresAt > Date.now()) return session;
    this.forgetSession(session.seq);
    return this.session?.promise ?? this.startLogin();
  }

  /** One login at a time: concurrent callers wait for the same one. */
  private startLogin(): Promise<VssSession> {
    const seq = ++this.loginSeq;
    const promise = this.login(seq);
    this.session = { seq, promise };
    promise.catch(() => this.forgetSession(seq));
    return promise;
  }

  /** Forgets a session unless a newer login has replaced it meanwhile. */
  private forgetSession(seq: number): void {
    if (this.session?.seq === seq) this.session = undefined;
  }

  private async login(seq: number): Promise<VssSession> {
    this.counts.logins += 1;
    const started = Date.now();
    const response = await this.post<TokenTakeResponse>(VSS_PATHS.tokenTake, {
      username: this.options.username,
      password: this.passwordMd5,
    });
    const key = response.APIKey;
    if (response.maKetQua !== '200' || !key?.access_token || !key.id_token) {
      this.logger.error('vss.login_rejected', { resultCode: response.maKetQua });
      throw new PatientGraphError('SOURCE_UNAVAILABLE', 'VSS rejected the facility login.', SOURCE);
    }
    this.logger.info('vss.login', { durationMs: Date.now() - started });
    return {
      seq,
      credentials: { token: key.access_token, id_token: key.id_token, username: this.options.username, password: this.passwordMd5 },
      expiresAt: tokenExpiry(key.expires_in, Date.now()) - TOKEN_EXPIRY_MARGIN_MS,
    };
  }

  /**
   * One POST through the source client (core/http/SourceClient.ts: keep-alive pool, a deadline for
   * the whole call, a circuit breaker, a streamed size cap). A call that failed to connect or was
   * reset is repeated once (both calls only read); any other failure becomes a coded error. HTTP
   * 401 is read as maKetQua 401 so it triggers re-login.
   */
  private async post<T extends { maKetQua: string }>(path: string, body: object, credentials?: VssCallCredentials): Promise<T> {
    const url = new URL(path, this.baseUrl);
    if (credentials) url.search = new URLSearchParams({ ...credentials }).toString();
    const request = { path: `${url.pathname}${url.search}`, headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) };
    await this.pacer.acquire();
    let attempts = 0;
    let reply: HttpReply;
    try {
      reply = await this.client.call(
        () => {
          attempts += 1;
          if (attempts > 1) {
            this.counts.connectionRetries += 1;
            this.logger.warn('vss.connection_retry');
          }
          return request;
        },
        (answer) => answer,
        { idempotent: true, isFailure: (answer) => answer.status >= 500 },
      );
    } catch (error) {
      throw this.callFailed(error);
    }
    if (reply.status === 401) return { maKetQua: '401' } as T;
    if (reply.status < 200 || reply.status > 299) {
      this.logger.warn('vss.call_failed', { reason: 'http_status', httpStatus: reply.status });
      throw new PatientGraphError('SOURCE_UNAVAILABLE', `VSS answered HTTP ${reply.status}.`, SOURCE);
    }
    return parseVssBody<T>(reply.body);
  }

  /** The coded error for a call that got no usable answer; the log gets the kind and network code only. */
  private callFailed(error: unknown): PatientGraphError {
    const kind = error instanceof SourceCallError ? error.kind : 'unreachable';
    switch (kind) {
      case 'timeout':
        this.logger.warn('vss.call_failed', { reason: 'timeout', timeoutMs: this.timeoutMs });
        return new PatientGraphError('SOURCE_TIMEOUT', `VSS did not answer within ${this.timeoutMs} ms.`, SOURCE, { cause: error });
      case 'too-large':
        this.logger.warn('vss.call_failed', { reason: 'too_large' });
        return new PatientGraphError('SOURCE_INVALID_RESPONSE', 'VSS answered more than a card check can hold.', SOURCE, { cause: error });
      case 'unreachable':
      case 'circuit-open':
      case 'overloaded':
        this.logger.warn('vss.call_failed', { reason: kind === 'unreachable' ? 'unreachable' : kind.replace('-', '_'), errorCode: networkErrorCode(error) });
        return new PatientGraphError('SOURCE_UNAVAILABLE', 'VSS could not be reached.', SOURCE, { cause: error });
    }
  }

  private async cachedResult(key: string): Promise<CardCheckResult | undefined> {
    if (this.cacheTtlMs <= 0) return undefined;
    try {
      return await this.cache.get(key);
    } catch (error) {
      // A cache outage costs speed, not answers.
      this.logger.warn('vss.cache_failed', { operation: 'get', errorName: errorNameOf(error) });
      return undefined;
    }
  }

  private async remember(key: string, result: CardCheckResult): Promise<void> {
    try {
      await this.cache.set(key, result, this.cacheTtlMs);
    } catch (error) {
      this.logger.warn('vss.cache_failed', { operation: 'set', errorName: errorNameOf(error) });
    }
  }
}

/**
 * The cache key: a hash of card, name as VSS compares it, and birth date — so a shared cache
 * (Redis) never holds names or card numbers in its key space.
 */
function cacheKey(request: CardCheckRequest): string {
  const material = JSON.stringify([request.maThe, normalizeVssName(request.hoTen), request.ngaySinh]);
  return `vss:card:${createHash('sha256').update(material).digest('hex')}`;
}

function parseVssBody<T extends { maKetQua: string }>(text: string): T {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new PatientGraphError('SOURCE_INVALID_RESPONSE', 'VSS answered something that is not JSON.', SOURCE);
  }
  if (typeof body !== 'object' || body === null) {
    throw new PatientGraphError('SOURCE_INVALID_RESPONSE', 'VSS answered without a result code.', SOURCE);
  }
  const code = (body as { maKetQua?: unknown }).maKetQua;
  // Codes are strings ("000"); a server that sends numbers loses the leading zeros.
  if (typeof code === 'number' && Number.isInteger(code)) return { ...body, maKetQua: String(code).padStart(3, '0') } as T;
  if (typeof code !== 'string' || code === '') {
    throw new PatientGraphError('SOURCE_INVALID_RESPONSE', 'VSS answered without a result code.', SOURCE);
  }
  return body as T;
}

/** expires_in is a string of unconfirmed meaning (§6.1): seconds, or a timestamp. */
function tokenExpiry(expiresIn: string | undefined, now: number): number {
  const value = expiresIn?.trim() ?? '';
  if (/^\d+$/.test(value)) return now + Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? now + DEFAULT_TOKEN_LIFETIME_MS : at;
}


function networkErrorCode(error: unknown): string | undefined {
  const code = fieldOf(fieldOf(error, 'cause'), 'code');
  return typeof code === 'string' ? code : undefined;
}

function errorNameOf(error: unknown): string {
  const name = fieldOf(error, 'name');
  return typeof name === 'string' ? name : typeof error;
}

function fieldOf(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && key in value ? (value as Record<string, unknown>)[key] : undefined;
}

function validatedBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error('VssClient: baseUrl must be an absolute http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('VssClient: baseUrl must be http(s)');
  return url.toString();
}

function positive(value: number, name: string): number {
  if (!(value > 0)) throw new Error(`VssClient: ${name} must be > 0`);
  return value;
}
