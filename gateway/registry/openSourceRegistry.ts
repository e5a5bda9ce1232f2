import { join } from 'node:path';
import type { SourceTlsSettings } from '../../core/http/ClientTls';
import type { Logger } from '../../core/logging/logger';
import type { GatewayStateConfig } from '../config/parseGatewayConfig';
import { kitConformanceRunner } from '../conformance/kitConformanceRunner';
import type { RegisteredSource } from '../sources/RegisteredSource';
import { FileSourceRecordStore } from './FileSourceRecordStore';
import { LiveSourceRegistry } from './LiveSourceRegistry';
import { RedisSourceRecordStore } from './RedisSourceRecordStore';
import type { SourceRecordStore } from './SourceRecordStore';
import { SourceRegistrar, type ConformanceRunner } from './SourceRegistrar';
import { SourceHealthTracker } from './SourceHealthTracker';

export interface OpenedSourceRegistry {
  readonly live: LiveSourceRegistry;
  readonly registrar: SourceRegistrar;
  readonly health: SourceHealthTracker;
}

/**
 * The registry where the rest of the gateway state lives (docs/architecture.md §7): a file in the
 * state folder (`registry.json`), or the state Redis under `<keyPrefix>registry:`. Loaded before
 * this resolves, so the gateway is not ready before it knows its sources.
 */
export async function openSourceRegistry(options: {
  readonly state: GatewayStateConfig;
  readonly seed: readonly RegisteredSource[];
  readonly logger: Logger;
  readonly conformance?: ConformanceRunner;
  readonly rejectSecret?: (secret: string) => string | null;
  readonly sourceTls?: SourceTlsSettings;
}): Promise<OpenedSourceRegistry> {
  const store = await openSourceRecordStore(options.state, options.logger);
  const live = await LiveSourceRegistry.open({ store, seed: options.seed, logger: options.logger });
  const registrar = new SourceRegistrar({
    registry: live,
    logger: options.logger,
    conformance: options.conformance ?? kitConformanceRunner,
    ...(options.rejectSecret ? { rejectSecret: options.rejectSecret } : {}),
    ...(options.sourceTls ? { sourceTls: options.sourceTls } : {}),
  });
  return { live, registrar, health: new SourceHealthTracker() };
}

/** Where the registry's records live: the state folder's `registry.json`, or the state Redis under `<keyPrefix>registry:`. */
export async function openSourceRecordStore(state: GatewayStateConfig, logger: Logger): Promise<SourceRecordStore> {
  return state.kind === 'embedded'
    ? new FileSourceRecordStore(join(state.dir, 'registry.json'))
    : await RedisSourceRecordStore.connect({ url: state.connection, keyPrefix: `${state.keyPrefix}registry:`, logger });
}
