import { parseServerSection, parseSigningSection, type ServerSection, type SigningSection } from '../../adapters/config/parseEndpointSections';
import { ConfigReader } from '../../core/config/ConfigReader';
import { checkConfigParts } from '../../core/config/checkConfigParts';

/**
 * The parts every subgraph service config has: where to listen (over HTTPS, with mutual TLS when
 * `server.tls` names a client CA — read as `source serve` reads it) and the gateway's signing secret.
 */
export interface ServiceEndpointConfig {
  readonly server: ServerSection;
  readonly signing: SigningSection;
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
    server: () => parseServerSection(root, file, 4001),
    signing: () => parseSigningSection(root, 'this service'),
    rest: () => readRest(root),
  });
  return { server: parts.server, signing: parts.signing, ...parts.rest };
}
