import { clientTlsFor, type SourceTlsSettings } from '../core/http/ClientTls';
import type { Logger } from '../core/logging/logger';
import type { GatewayStateConfig } from '../gateway/config/parseGatewayConfig';
import type { LiveSourceRegistry } from '../gateway/registry/LiveSourceRegistry';
import type { RegisteredSource } from '../gateway/sources/RegisteredSource';
import type { FeedSource } from '../subgraphs/identity/postSignedToSource';

/**
 * A hospital as the patient index reaches it (`identity serve` learning, `identity sync`): the
 * gateway's URL and secret for it, and the client certificate the gateway config gives it (its
 * `tls`, else `sourceTls`), so a hospital that requires mutual TLS accepts the index's calls.
 */
export function feedSourceOf(source: RegisteredSource, sourceTls: SourceTlsSettings | null, minTimeoutMs = 0): FeedSource {
  const tls = clientTlsFor(sourceTls ?? undefined, source.code);
  return { code: source.code, url: source.url, secret: source.secret, timeoutMs: Math.max(source.timeoutMs, minTimeoutMs), ...(tls ? { tls } : {}) };
}

/**
 * The gateway's registry (docs/registry.md) where its config's `state` puts it — the state folder's
 * `registry.json` or Redis — kept live as a replica keeps it: hospitals registered at runtime are
 * read from it, with each one's signing secret from its reference (`env:` / `file:`).
 */
export async function openGatewayRegistry(state: GatewayStateConfig, logger: Logger): Promise<LiveSourceRegistry> {
  const [{ openSourceRecordStore }, { LiveSourceRegistry }] = await Promise.all([import('../gateway/registry/openSourceRegistry'), import('../gateway/registry/LiveSourceRegistry')]);
  // Read only: no registrar, no conformance kit. Its routed sources are the clinical ones (a
  // source that brings its own contract is kept apart, docs/registry.md §7).
  return LiveSourceRegistry.open({ store: await openSourceRecordStore(state, logger), seed: [], logger });
}
