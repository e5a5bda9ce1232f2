import type { Logger } from '../../core/logging/logger';
import { DEFAULT_SOURCE_CONCURRENCY, type RegisteredSource, type SourceRegistry } from '../sources/RegisteredSource';
import type { RegisteredContract } from '../supergraph/RegisteredContract';
import { resolveSigningSecret } from './resolveSigningSecret';
import type { SourceRecord } from './SourceRecord';
import type { SourceRecordStore } from './SourceRecordStore';

export interface LiveSourceRegistryOptions {
  readonly store: SourceRecordStore;
  /** Sources of the gateway's config file: always present, in config order, before registered ones. */
  readonly seed: readonly RegisteredSource[];
  readonly logger: Logger;
  /**
   * How often the whole registry is re-read even without a change message (default 5 s): a replica
   * that missed a pub/sub message (reconnecting) is stale at most this long.
   */
  readonly reconcileMs?: number;
  readonly env?: NodeJS.ProcessEnv;
}

/** A source as the admin API lists it: its record, and whether it came from the config file. */
export interface ListedSource {
  readonly record: SourceRecord;
  readonly origin: 'config' | 'registry';
  /** Why an active record is not routed on this replica (its secret cannot be read here). */
  readonly problem: string | null;
}

interface Snapshot {
  readonly routed: ReadonlyMap<string, RegisteredSource>;
  readonly ordered: readonly RegisteredSource[];
  readonly order: ReadonlyMap<string, number>;
  readonly listed: readonly ListedSource[];
  readonly contracts: readonly RegisteredContract[];
}

/**
 * The registry the network data source routes through (docs/architecture.md §5): the config file's
 * sources plus the registered ones, active only. Lookups are synchronous reads of an immutable
 * snapshot (routing cost does not grow with the number of sources); every change to the store
 * builds a new snapshot, so a facility starts answering data the moment it is registered, and one
 * that is removed or disabled answers SOURCE_NOT_REGISTERED again.
 */
export class LiveSourceRegistry implements SourceRegistry {
  private snapshot: Snapshot;
  private loaded = false;
  private reloading: Promise<void> | null = null;
  private reloadAgain = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly startedAt = new Date().toISOString();
  private readonly listeners: (() => void)[] = [];

  private constructor(private readonly options: LiveSourceRegistryOptions) {
    this.snapshot = this.build([]);
  }

  /** Loads the registry before resolving: a replica is not ready before it knows its sources. */
  static async open(options: LiveSourceRegistryOptions): Promise<LiveSourceRegistry> {
    const registry = new LiveSourceRegistry(options);
    await registry.reload();
    options.store.onChange(() => {
      registry.reload().catch(() => undefined);
    });
    const reconcileMs = options.reconcileMs ?? 5000;
    registry.timer = setInterval(() => {
      registry.reload().catch(() => undefined);
    }, reconcileMs);
    registry.timer.unref();
    return registry;
  }

  get(code: string): RegisteredSource | undefined {
    return this.snapshot.routed.get(code);
  }

  list(): readonly RegisteredSource[] {
    return this.snapshot.ordered;
  }

  orderOf(code: string): number {
    return this.snapshot.order.get(code) ?? Number.MAX_SAFE_INTEGER;
  }

  /** Every source, routed or not (disabled ones too), for the admin API. */
  listed(): readonly ListedSource[] {
    return this.snapshot.listed;
  }

  /** The listing of one code, or undefined. */
  find(code: string): ListedSource | undefined {
    return this.snapshot.listed.find((s) => s.record.code === code);
  }

  /**
   * Contracts the gateway does not ship, each with its active sources in registration order and
   * the SDL of the earliest of them: what the supergraph composes besides the shipped contracts
   * (docs/registry.md §7). Their sources are not routed by the clinical network.
   */
  registeredContracts(): readonly RegisteredContract[] {
    return this.snapshot.contracts;
  }

  /** Calls `listener` after every reload (a change message or the periodic reconcile). */
  onReload(listener: () => void): void {
    this.listeners.push(listener);
  }

  isLoaded(): boolean {
    return this.loaded;
  }

  get store(): SourceRecordStore {
    return this.options.store;
  }

  /**
   * Re-reads the store and swaps the snapshot. Concurrent calls coalesce: at most one read runs,
   * and one more follows if a change arrived meanwhile, so the last change always lands.
   */
  reload(): Promise<void> {
    if (this.reloading) {
      this.reloadAgain = true;
      return this.reloading;
    }
    this.reloading = (async () => {
      try {
        do {
          this.reloadAgain = false;
          const records = await this.options.store.list();
          this.snapshot = this.build(records);
          this.loaded = true;
          for (const listener of this.listeners) {
            try {
              listener();
            } catch (error) {
              this.options.logger.error('registry.listener_failed', { message: error instanceof Error ? error.message : String(error) });
            }
          }
        } while (this.reloadAgain);
      } catch (error) {
        this.options.logger.error('registry.reload_failed', { message: error instanceof Error ? error.message : String(error) });
        throw error;
      } finally {
        this.reloading = null;
      }
    })();
    return this.reloading;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.options.store.close();
  }

  private build(records: readonly SourceRecord[]): Snapshot {
    const routed = new Map<string, RegisteredSource>();
    const listed: ListedSource[] = [];
    const contracts = new Map<string, { sdl: string; sources: RegisteredSource[] }>();
    for (const source of this.options.seed) {
      routed.set(source.code, source);
      listed.push({ record: seedRecord(source, this.startedAt), origin: 'config', problem: null });
    }
    for (const record of records) {
      if (routed.has(record.code) && this.options.seed.some((s) => s.code === record.code)) {
        this.options.logger.warn('registry.shadowed_by_config', { facilityCode: record.code });
        continue;
      }
      if (record.status !== 'active') {
        listed.push({ record, origin: 'registry', problem: null });
        continue;
      }
      const secret = resolveSigningSecret(record.signingSecretRef, this.options.env);
      if (secret.kind === 'unresolved') {
        this.options.logger.error('registry.secret_unresolved', { facilityCode: record.code, reason: secret.reason });
        listed.push({ record, origin: 'registry', problem: secret.reason });
        continue;
      }
      if (record.contractSdl !== undefined) {
        const source = toRegisteredSource(record, secret.secret);
        const contract = contracts.get(record.contract);
        if (contract) contract.sources.push(source);
        else contracts.set(record.contract, { sdl: record.contractSdl, sources: [source] });
      } else routed.set(record.code, toRegisteredSource(record, secret.secret));
      listed.push({ record, origin: 'registry', problem: null });
    }
    const ordered = [...routed.values()];
    return {
      routed,
      ordered,
      order: new Map(ordered.map((s, index) => [s.code, index])),
      listed,
      contracts: [...contracts].map(([name, c]) => ({ name, sdl: c.sdl, sources: c.sources })),
    };
  }
}

/** A record with its secret read: what the network data source calls. */
export function toRegisteredSource(record: SourceRecord, secret: string): RegisteredSource {
  return { code: record.code, name: record.name, contract: record.contract, url: record.url, timeoutMs: record.limits.deadlineMs, concurrency: record.limits.concurrency, secret };
}

function seedRecord(source: RegisteredSource, startedAt: string): SourceRecord {
  return {
    code: source.code,
    name: source.name,
    contract: source.contract,
    url: source.url,
    signingSecretRef: 'config',
    // What the source client runs it with (SourceClients): the listing shows the real limit.
    limits: { deadlineMs: source.timeoutMs, concurrency: source.concurrency ?? DEFAULT_SOURCE_CONCURRENCY },
    status: 'active',
    registeredBy: 'config',
    registeredAt: startedAt,
  };
}
