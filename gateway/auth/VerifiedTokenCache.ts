import { LRUCache } from 'lru-cache';
import type { Principal } from '../../core/security/Principal';

export interface VerifiedTokenCacheOptions {
  /** Tokens kept (least recently used go first). */
  readonly maxEntries: number;
  /** How long a verified token is taken without verifying it again, at most (its expiry comes first). */
  readonly ttlMs: number;
  /** The clock (tests). */
  readonly now?: () => number;
}

interface Verified {
  readonly principal: Principal;
  /** Epoch ms after which the token is verified again: min(exp, verified + ttl). */
  readonly until: number;
}

/**
 * Bearer tokens verified recently, by their exact text: a client repeats its token on every
 * request, and verifying it (signature, claims) each time is CPU the answer waits for. Only a token
 * that verified is kept, until its own expiry or a short TTL, whichever comes first, so an expired
 * token is refused as before and a changed one (another signature, another claim) is another key
 * and is verified. The TTL bounds how long a key the issuer withdrew keeps a token accepted
 * (jose's JWKS cache keeps a withdrawn key for up to 10 minutes already).
 */
export class VerifiedTokenCache {
  private readonly cache: LRUCache<string, Verified>;
  private readonly now: () => number;

  constructor(private readonly options: VerifiedTokenCacheOptions) {
    if (!Number.isInteger(options.maxEntries) || options.maxEntries < 1) throw new Error('VerifiedTokenCache: maxEntries must be a positive integer');
    if (!(options.ttlMs > 0)) throw new Error('VerifiedTokenCache: ttlMs must be positive');
    this.cache = new LRUCache({ max: options.maxEntries });
    this.now = options.now ?? Date.now;
  }

  /** The principal of a token verified before and still within its time, else undefined. */
  get(token: string): Principal | undefined {
    const known = this.cache.get(token);
    if (!known) return undefined;
    if (this.now() >= known.until) {
      this.cache.delete(token);
      return undefined;
    }
    return known.principal;
  }

  /**
   * Keeps a token that has just verified (`expSec`: its `exp` claim) and returns the principal to
   * use: a frozen copy, since every later request with this token shares it.
   */
  set(token: string, principal: Principal, expSec: number): Principal {
    const now = this.now();
    const until = Math.min(expSec * 1000, now + this.options.ttlMs);
    const shared: Principal = Object.freeze({ ...principal, scopes: Object.freeze([...principal.scopes]) });
    if (until > now) this.cache.set(token, { principal: shared, until });
    return shared;
  }
}
