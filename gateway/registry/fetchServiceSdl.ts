import type { SourceTlsSettings } from '../../core/http/ClientTls';
import { fetchFromSource } from '../network/fetchFromSource';
import { SourceClients } from '../network/SourceClients';
import type { RegisteredSource } from '../sources/RegisteredSource';

export type ServiceSdlAnswer = { readonly kind: 'sdl'; readonly sdl: string } | { readonly kind: 'failed'; readonly reason: string };

/**
 * Asks a source for its subgraph schema (`_service { sdl }`, Federation's subgraph introspection)
 * over the signed link, exactly as the gateway will call it: the same signature, target and
 * deadline. A source that refuses the signature or cannot be reached fails here.
 */
export async function fetchServiceSdl(source: RegisteredSource, tls?: SourceTlsSettings): Promise<ServiceSdlAnswer> {
  // A client of its own, closed after the one call: the source is not registered (yet). It uses
  // the gateway's TLS settings, so an https:// source that requires the client certificate is
  // checked over the same mutual-TLS link the gateway will use.
  const clients = new SourceClients(tls ? { tls } : {});
  const answer = await fetchFromSource(source, { query: 'query ServiceSdl { _service { sdl } }', variables: {}, operationName: 'ServiceSdl' }, clients).finally(() => clients.close());
  if (answer.kind === 'failed') {
    const cause = answer.error.cause instanceof Error ? ` (${answer.error.cause.message})` : '';
    return { kind: 'failed', reason: `${answer.error.code}: ${answer.error.message}${cause}` };
  }
  const sdl = (answer.body.data as { _service?: { sdl?: unknown } } | null | undefined)?._service?.sdl;
  if (typeof sdl !== 'string') {
    const error = answer.body.errors?.[0]?.message;
    return { kind: 'failed', reason: `the answer to _service { sdl } holds no SDL${error ? `: ${error}` : ''}` };
  }
  return { kind: 'sdl', sdl };
}
