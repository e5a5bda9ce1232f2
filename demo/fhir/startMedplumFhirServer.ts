import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FhirRouter, type MemoryRepository } from '@medplum/fhir-router';
import type { Logger } from '../../core/logging/logger';
import { createFhirRequestListener } from './createFhirRequestListener';
import { indexMedplumDefinitions } from './indexMedplumDefinitions';
import { SearchableMemoryRepository } from './SearchableMemoryRepository';

export interface MedplumFhirServerOptions {
  readonly logger: Logger;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Storage to serve (default: a new, empty SearchableMemoryRepository). */
  readonly repo?: MemoryRepository;
  /**
   * When set, every request must carry `Authorization: Bearer <accessToken>` (401 otherwise), as a
   * hospital's FHIR server requires of its clients. Tests that load data over HTTP leave it unset.
   */
  readonly accessToken?: string;
}

export interface RunningMedplumFhirServer {
  /** FHIR base URL, e.g. `http://127.0.0.1:43117/fhir` (no trailing slash). */
  readonly baseUrl: string;
  /** The storage behind it (load data directly, or over HTTP through `baseUrl`). */
  readonly repo: MemoryRepository;
  /** Start-up cost: definitions indexing (0 when this process had already paid it) and listening. */
  readonly startup: { readonly definitionsIndexMs: number; readonly totalMs: number };
  stop(): Promise<void>;
}

/** Request lines carry long OR-lists of identifiers: allow 64 KB (Node's default is 16 KB). */
const MAX_HEADER_BYTES = 64 * 1024;

/**
 * A real FHIR R4 server written by someone else: `@medplum/fhir-router` 4.5.2 over its in-memory
 * `MemoryRepository`, served under `/fhir` by a small `node:http` adapter. The FHIR definitions are
 * indexed once per process (indexMedplumDefinitions); a second server in the same process starts
 * in milliseconds.
 */
export async function startMedplumFhirServer(options: MedplumFhirServerOptions): Promise<RunningMedplumFhirServer> {
  const started = performance.now();
  const definitions = await indexMedplumDefinitions();
  const definitionsIndexMs = definitions.indexedNow ? definitions.indexMs : 0;
  const repo = options.repo ?? new SearchableMemoryRepository();
  const logger = options.logger.child({ service: 'medplum-fhir' });
  let baseUrl = '';
  const server = createServer(
    { maxHeaderSize: MAX_HEADER_BYTES },
    createFhirRequestListener({
      router: new FhirRouter(),
      repo,
      basePath: '/fhir',
      baseUrl: () => baseUrl,
      logger,
      ...(options.accessToken !== undefined ? { accessToken: options.accessToken } : {}),
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  baseUrl = `http://${address.includes(':') ? `[${address}]` : address}:${port}/fhir`;
  const totalMs = Math.round(performance.now() - started);
  logger.info('fhir.server_started', { port, definitionsIndexMs, totalMs });
  return {
    baseUrl,
    repo,
    startup: { definitionsIndexMs, totalMs },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
