import { randomUUID } from 'node:crypto';
import { sha256Hex } from '../../core/crypto/sha256Hex';
import type { Logger } from '../../core/logging/logger';
import type { Principal } from '../../core/security/Principal';
import type { AuditEntry } from '../audit/AuditEntry';
import type { AuditLog } from '../audit/AuditLog';
import { bucketKey } from './rateLimitStep';

export interface RateLimitRefusalsOptions {
  readonly audit: AuditLog;
  readonly logger: Logger;
  /** Length of one window; one record per principal per window. Default 60 s. */
  readonly windowMs?: number;
  /** The clock (tests); default `Date.now`. */
  readonly now?: () => number;
}

interface Window {
  readonly principal: Principal;
  readonly from: number;
  to: number;
  count: number;
}

/**
 * Requests refused by the rate limiter touch no data, and a flood of them must not turn into a
 * flood of fsynced audit records (docs/architecture.md §9): they are counted per principal and
 * written as ONE record per principal per window — outcome `denied`, `RATE_LIMITED`, and
 * `refusals { count, from, to }` — when the window ends (checked every window, and on the next
 * refusal) and when the gateway stops. A record that cannot be written is logged; it guards no
 * data, so nothing waits for it.
 */
export class RateLimitRefusals {
  private readonly windows = new Map<string, Window>();
  private readonly windowMs: number;
  private readonly now: () => number;
  private readonly timer: NodeJS.Timeout;
  private readonly writes = new Set<Promise<void>>();

  constructor(private readonly options: RateLimitRefusalsOptions) {
    this.windowMs = options.windowMs ?? 60_000;
    if (!Number.isInteger(this.windowMs) || this.windowMs < 1) throw new Error(`RateLimitRefusals: windowMs must be a positive integer, got ${String(options.windowMs)}`);
    this.now = options.now ?? Date.now;
    this.timer = setInterval(() => void this.flush(false), this.windowMs);
    this.timer.unref();
  }

  /** Counts one refused request of this principal (requests without one are not audited). */
  record(principal: Principal | null): void {
    if (!principal) return;
    const key = bucketKey(principal);
    const at = this.now();
    const open = this.windows.get(key);
    if (open && at - open.from < this.windowMs) {
      open.count += 1;
      open.to = at;
      return;
    }
    if (open) this.write(key, open);
    this.windows.set(key, { principal, from: at, to: at, count: 1 });
  }

  /** Writes the windows that have ended (all of them when `all`), and waits for every write. */
  async flush(all = true): Promise<void> {
    const at = this.now();
    for (const [key, window] of this.windows) {
      if (all || at - window.from >= this.windowMs) this.write(key, window);
    }
    await Promise.all([...this.writes]);
  }

  /** Stops the timer and writes what is still counted. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush(true);
  }

  private write(key: string, window: Window): void {
    this.windows.delete(key);
    const pending = this.options.audit
      .append(refusalsEntry(window))
      .then(() => undefined)
      .catch((error: unknown) => {
        this.options.logger.error('audit.refusals_not_written', { bucket: key, count: window.count, message: error instanceof Error ? error.message : String(error) });
      })
      .finally(() => this.writes.delete(pending));
    this.writes.add(pending);
  }
}

function refusalsEntry(window: Window): AuditEntry {
  const { principal } = window;
  return {
    time: new Date(window.to).toISOString(),
    traceId: `rate-limited-${randomUUID()}`,
    principal: { sub: principal.sub, role: principal.role, facilityCode: principal.facilityCode, purposeOfUse: principal.purposeOfUse, tokenId: principal.tokenId },
    // Many operations stand behind this record: none is named, and no text was kept.
    operation: { name: null, type: 'query', documentHash: sha256Hex('') },
    fields: [],
    patients: [],
    sources: [],
    outcome: 'denied',
    errorCodes: ['RATE_LIMITED'],
    flags: [],
    refusals: { count: window.count, from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString() },
  };
}
