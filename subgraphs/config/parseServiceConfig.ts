import { dirname } from 'node:path';
import { parseServerTls } from '../../adapters/config/parseServerTls';
import { ConfigReader } from '../../core/config/ConfigReader';
import { checkConfigParts } from '../../core/config/checkConfigParts';
import type { SubgraphTls } from '../../core/http/SubgraphTls';
import { shippedSecretProblem } from '../../core/security/shippedSecretProblem';
import { parseSigningExtras, type SigningExtras } from '../../core/security/parseSigningExtras';

/**
 * The parts every subgraph service config has: where to listen (over HTTPS, with mutual TLS when
 * `server.tls` names a client CA — read as `source serve` reads it) and the gateway's signing secret.
 */
export interface ServiceEndpointConfig {
  readonly server: { readonly host: string; readonly port: number; readonly tls?: SubgraphTls };
  readonly signing: { readonly secret: string } & SigningExtras;
}

/**
 * Reads `server` and `signing` of a service config (identity, insurance) and hands the rest to
 * `readRest`; unknown top-level keys are refused.
 */
export function parseServiceConfig<T>(raw: unknown, file: string | undefined, knownKeys: readonly string[], readRest: (root: ConfigReader) => T): ServiceEndpointConfig & T {
  const root = ConfigReader.root(raw, file);
  root.rejectUnknownKeys(['server', 'signing', ...knownKeys]);
  // Checked one by one, so a missing `signing` does not hide the other sections' problems.
  const parts = checkConfigParts({
    server: () => {
      const server = root.optionalObject('server');
      server?.rejectUnknownKeys(['host', 'port', 'tls']);
      const tls = server?.optionalObject('tls');
      return {
        host: server?.optionalString('host') ?? '127.0.0.1',
        port: server ? server.integer('port', { min: 0, max: 65535, default: 4001 }) : 4001,
        ...(tls ? { tls: parseServerTls(tls, file ? dirname(file) : process.cwd()) } : {}),
      };
    },
    signing: () => {
      const signing = root.object('signing');
      signing.rejectUnknownKeys(['secret', 'previousSecret', 'replayStore']);
      const secret = signing.string('secret');
      if (Buffer.byteLength(secret, 'utf8') < 32) signing.fail('secret', 'expected at least 32 bytes, the same secret the gateway has for this service');
      const shipped = shippedSecretProblem(secret);
      if (shipped) signing.fail('secret', `refused: ${shipped}`);
      return { secret, ...parseSigningExtras(signing, secret) };
    },
    rest: () => readRest(root),
  });
  return { server: parts.server, signing: parts.signing, ...parts.rest };
}
