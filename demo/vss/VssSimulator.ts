import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { VssOfficer } from '../../adapters/vss/VssClient';
import {
  VSS_PATHS,
  vssPasswordHash,
  type TokenTakeResponse,
  type VssLookupHistoryItem,
} from '../../adapters/vss/vssProtocol';
import type { Logger } from '../../core/logging/logger';
import { formatQd130DateTime } from '../../core/time/vietnamTime';
import type { Population } from '../population/types';
import { answerCardCheck } from './answerCardCheck';
import { DEMO_VSS_ACCOUNT } from './demoVssAccount';
import { VssCardRegistry } from './VssCardRegistry';

export interface VssSimulatorOptions {
  readonly population: Population;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** The facility account VSS knows. */
  readonly username: string;
  /** MD5 hex of its password (default: the demo account's). */
  readonly passwordMd5?: string;
  /** Staff allowed to look cards up for this account (default: the demo officer). */
  readonly registeredOfficers?: readonly VssOfficer[];
  /** Token lifetime (default 20 h, what one real client assumes, docs/standards.md §6.1). */
  readonly tokenTtlMs?: number;
  readonly logger: Logger;
}

/** Failure modes for resilience tests: HTTP 500, or the connection dropped without an answer. */
export type VssFailureMode = 'none' | 'http500' | 'reset';

export interface VssSimulatorStats {
  /** Requests to /api/token/take. */
  readonly tokenTake: number;
  /** Requests to /api/egw/KQNhanLichSuKCB2024 (including ones answered 401). */
  readonly cardCheck: number;
  /** Requests to any other path. */
  readonly other: number;
  /** maKetQua answered by the card check, per code. */
  readonly cardCheckResults: Readonly<Record<string, number>>;
  /** Most requests being handled at the same moment (client concurrency limits show here). */
  readonly peakConcurrency: number;
}

export interface RunningVssSimulator {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  stop(): Promise<void>;
  stats(): VssSimulatorStats;
  /** Delays every answer by this much (0 = none). */
  setLatencyMs(ms: number): void;
  /** Fails every request (or the next `times` requests) in the given way. */
  setFailure(mode: VssFailureMode, options?: { readonly times?: number }): void;
  /** Revokes every token handed out, so the next egw call answers maKetQua 401. */
  invalidateTokens(): void;
}

interface IssuedToken {
  readonly idToken: string;
  readonly username: string;
  readonly expiresAt: number;
}

const MAX_BODY_BYTES = 64 * 1024;
const LOOKUP_HISTORY_LIMIT = 10;

/**
 * A stand-in for the VSS web service that speaks its protocol (docs/standards.md §6.1–§6.3) over
 * real HTTP. Like the egw portal, it answers HTTP 200 with the outcome in `maKetQua` — wrong
 * credentials and bad tokens included (`{"maKetQua":"401"}`), since clients re-login on the body
 * code (§6.1); HTTP errors mean the service itself failed. Logs carry endpoints, result codes
 * and durations only — never names, card numbers or IDs.
 */
export async function startVssSimulator(options: VssSimulatorOptions): Promise<RunningVssSimulator> {
  const state = new SimulatorState(options);
  const server = createServer((req, res) => {
    state.handle(req, res).catch((error: unknown) => {
      options.logger.error('vss_simulator.internal_error', { errorName: error instanceof Error ? error.name : typeof error });
      if (!res.headersSent && !res.destroyed) sendJson(res, 500, { maKetQua: '500' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  options.logger.debug('vss_simulator.started', { port: address.port });
  return {
    url: `http://${host}:${address.port}`,
    stop: async () => {
      state.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
    stats: () => state.stats(),
    setLatencyMs: (ms) => state.setLatencyMs(ms),
    setFailure: (mode, failureOptions) => state.setFailure(mode, failureOptions?.times),
    invalidateTokens: () => state.invalidateTokens(),
  };
}

class SimulatorState {
  private readonly registry: VssCardRegistry;
  private readonly passwordMd5: string;
  private readonly officers: readonly VssOfficer[];
  private readonly tokenTtlMs: number;
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly lookups = new Map<string, VssLookupHistoryItem[]>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly counts = { tokenTake: 0, cardCheck: 0, other: 0 };
  private readonly results: Record<string, number> = {};
  private active = 0;
  private peak = 0;
  private latencyMs = 0;
  private failure: { mode: VssFailureMode; remaining: number } = { mode: 'none', remaining: 0 };

  constructor(private readonly options: VssSimulatorOptions) {
    this.registry = new VssCardRegistry(options.population);
    this.passwordMd5 = (options.passwordMd5 ?? vssPasswordHash(DEMO_VSS_ACCOUNT.password)).toLowerCase();
    this.officers = options.registeredOfficers ?? [DEMO_VSS_ACCOUNT.officer];
    this.tokenTtlMs = options.tokenTtlMs ?? 20 * 60 * 60 * 1000;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // A request counts as in progress until its connection closes or it is answered, so a
    // caller that gave up (timeout) no longer counts while we are still being slow.
    this.active += 1;
    this.peak = Math.max(this.peak, this.active);
    res.once('close', () => {
      this.active -= 1;
    });
    await this.answer(req, res);
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'http://vss.invalid');
    // The portal runs on IIS/ASP.NET, whose routes ignore case.
    const path = url.pathname.toLowerCase();
    const endpoint = path === VSS_PATHS.tokenTake.toLowerCase() ? 'tokenTake'
      : path === VSS_PATHS.cardCheck.toLowerCase() ? 'cardCheck' : 'other';
    this.counts[endpoint] += 1;
    const body = await readBody(req);
    if (this.latencyMs > 0) await this.delay(this.latencyMs);
    if (res.destroyed) return; // the caller gave up while we were slow
    if (this.injectFailure(res)) return;
    if (endpoint === 'other') return sendJson(res, 404, { maKetQua: '404' });
    if (req.method !== 'POST') return sendJson(res, 405, { maKetQua: '405' });
    const answer = endpoint === 'tokenTake' ? this.tokenTake(req, body) : this.cardCheck(url, body);
    sendJson(res, 200, answer);
    this.options.logger.debug('vss_simulator.request', { endpoint, resultCode: answer.maKetQua, durationMs: Date.now() - started });
  }

  stats(): VssSimulatorStats {
    return { ...this.counts, cardCheckResults: { ...this.results }, peakConcurrency: this.peak };
  }

  setLatencyMs(ms: number): void {
    if (!(ms >= 0)) throw new RangeError('latency must be >= 0');
    this.latencyMs = ms;
  }

  setFailure(mode: VssFailureMode, times?: number): void {
    this.failure = { mode, remaining: times ?? Number.POSITIVE_INFINITY };
  }

  invalidateTokens(): void {
    this.tokens.clear();
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** §6.1: JSON or form-encoded `{ username, password: MD5 hex }`, the hex in either case. */
  private tokenTake(req: IncomingMessage, body: string): TokenTakeResponse {
    const credentials = isForm(req) ? Object.fromEntries(new URLSearchParams(body)) : parseJson(body);
    const username = typeof credentials?.username === 'string' ? credentials.username : '';
    const password = typeof credentials?.password === 'string' ? credentials.password.toLowerCase() : '';
    if (username !== this.options.username || password !== this.passwordMd5) return { maKetQua: '401' };
    const accessToken = randomBytes(24).toString('hex');
    const idToken = randomBytes(24).toString('hex');
    this.tokens.set(accessToken, { idToken, username, expiresAt: Date.now() + this.tokenTtlMs });
    return {
      maKetQua: '200',
      APIKey: {
        access_token: accessToken,
        id_token: idToken,
        token_type: 'bearer',
        username,
        expires_in: String(Math.floor(this.tokenTtlMs / 1000)),
      },
    };
  }

  /** §6.2: token, id_token, username and password (MD5) in the query string; JSON body. */
  private cardCheck(url: URL, body: string): { maKetQua: string } {
    if (!this.authorized(url.searchParams)) return this.count({ maKetQua: '401', ghiChu: 'Lỗi xác thực.' });
    const answer = answerCardCheck(parseJson(body), {
      registry: this.registry,
      officers: this.officers,
      lookupHistory: (code) => this.lookups.get(code) ?? [],
    });
    if (answer.socialInsuranceNumber !== null) this.recordLookup(answer.socialInsuranceNumber, answer.response.maKetQua);
    return this.count(answer.response);
  }

  private authorized(query: URLSearchParams): boolean {
    const token = this.tokens.get(query.get('token') ?? '');
    return token !== undefined
      && token.idToken === query.get('id_token')
      && token.username === query.get('username')
      && (query.get('password') ?? '').toLowerCase() === this.passwordMd5
      && token.expiresAt > Date.now();
  }

  /** dsLichSuKT2018: who looked the card up, when, with what outcome (newest first, bounded). */
  private recordLookup(socialInsuranceNumber: string, resultCode: string): void {
    const history = this.lookups.get(socialInsuranceNumber) ?? [];
    history.unshift({
      userKT: this.options.username,
      thoiGianKT: formatQd130DateTime(new Date().toISOString()),
      thongBao: resultCode === '000' ? 'Thông tin thẻ chính xác.' : `Kết quả tra cứu ${resultCode}`,
      maLoi: resultCode,
    });
    this.lookups.set(socialInsuranceNumber, history.slice(0, LOOKUP_HISTORY_LIMIT));
  }

  private count<T extends { maKetQua: string }>(response: T): T {
    this.results[response.maKetQua] = (this.results[response.maKetQua] ?? 0) + 1;
    return response;
  }

  private injectFailure(res: ServerResponse): boolean {
    if (this.failure.mode === 'none' || this.failure.remaining <= 0) return false;
    this.failure.remaining -= 1;
    if (this.failure.mode === 'reset') {
      res.socket?.destroy();
    } else {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Internal Server Error');
    }
    return true;
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Oversized bodies are read as empty: the endpoint then answers 205 / 401 as for garbage.
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size <= MAX_BODY_BYTES ? Buffer.concat(chunks).toString('utf8') : ''));
    req.on('error', reject);
  });
}

function parseJson(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function isForm(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}
