export interface ReplayGuardOptions {
  /** The signature's timestamp window (`maxSkewMs`): a nonce must be remembered that long. */
  readonly windowMs: number;
  /** Upper bound on remembered nonces (memory). Default 200 000 (~25 MB at worst). */
  readonly maxEntries?: number;
}

/**
 * - `fresh`: first time seen, now remembered;
 * - `replayed`: the same nonce was accepted before and its timestamp is still in the window;
 * - `at-capacity`: too many nonces inside the window to remember one more. Refused rather than
 *   forgetting an older one, which would let that one be replayed (fail closed).
 */
export type ReplayVerdict = 'fresh' | 'replayed' | 'at-capacity';

/**
 * Where a source remembers the nonces it accepted: in its own memory (`ReplayGuard`, one process)
 * or shared by its replicas (`RedisNonceStore`), so a request replayed to another replica of the
 * same source is refused too. A store that cannot answer says `at-capacity` (fail closed).
 */
export interface NonceStore {
  check(nonce: string, timestampMs: number, nowMs: number): ReplayVerdict | Promise<ReplayVerdict>;
}

/**
 * Refuses an exact replay of a signed request inside the timestamp window (docs/architecture.md §6). Outside
 * the window the signature's timestamp check already refuses it, so a nonce is kept only until
 * its timestamp leaves the window: the set stays bounded by the request rate, not by uptime.
 * In memory, per subgraph process: a replay to another replica of the same subgraph is not seen
 * (the embedded default of docs/architecture.md §7); replicas share a `RedisNonceStore`.
 */
export class ReplayGuard implements NonceStore {
  /** nonce → the instant after which its timestamp is stale (Map keeps insertion order). */
  private readonly expiries = new Map<string, number>();
  private readonly windowMs: number;
  private readonly maxEntries: number;

  constructor(options: ReplayGuardOptions) {
    if (!Number.isFinite(options.windowMs) || options.windowMs <= 0) throw new Error('ReplayGuard: windowMs must be a positive number of milliseconds');
    const maxEntries = options.maxEntries ?? 200_000;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new Error('ReplayGuard: maxEntries must be a positive integer');
    this.windowMs = options.windowMs;
    this.maxEntries = maxEntries;
  }

  /** Checks and remembers the nonce of a request whose signature was just verified. */
  check(nonce: string, timestampMs: number, nowMs: number): ReplayVerdict {
    this.pruneOldest(nowMs);
    const expiry = this.expiries.get(nonce);
    if (expiry !== undefined && expiry >= nowMs) return 'replayed';
    if (this.expiries.size >= this.maxEntries) {
      this.pruneAll(nowMs);
      if (this.expiries.size >= this.maxEntries) return 'at-capacity';
    }
    this.expiries.delete(nonce); // re-inserted at the end, in time order
    this.expiries.set(nonce, timestampMs + this.windowMs);
    return 'fresh';
  }

  get size(): number {
    return this.expiries.size;
  }

  /**
   * Drops expired nonces from the front. Timestamps arrive roughly in order, so this is O(1)
   * amortized; a long-lived entry at the front may hold back expired ones behind it until
   * `pruneAll` runs at capacity.
   */
  private pruneOldest(nowMs: number): void {
    for (const [nonce, expiry] of this.expiries) {
      if (expiry >= nowMs) return;
      this.expiries.delete(nonce);
    }
  }

  private pruneAll(nowMs: number): void {
    for (const [nonce, expiry] of this.expiries) {
      if (expiry < nowMs) this.expiries.delete(nonce);
    }
  }
}
