import { dirname } from 'node:path';
import { parseServerTls } from './parseServerTls';
import type { ConfigReader } from '../../core/config/ConfigReader';
import type { SubgraphTls } from '../../core/http/SubgraphTls';
import { shippedSecretProblem } from '../../core/security/shippedSecretProblem';
import { parseSigningExtras, type SigningExtras } from '../../core/security/parseSigningExtras';

/** Where a subgraph process listens: over HTTPS (mutual TLS when `tls` names a client CA) or HTTP. */
export interface ServerSection {
  readonly host: string;
  readonly port: number;
  readonly tls?: SubgraphTls;
}

/** The secret the gateway signs its requests to this process with, and its rotation/replay extras. */
export type SigningSection = { readonly secret: string } & SigningExtras;

/**
 * The optional `server` section of a hospital source or service config (`source serve`,
 * `identity serve`, `insurance serve`): host (127.0.0.1 unless set), port (`defaultPort` unless
 * set) and `tls` paths read relative to the config file.
 */
export function parseServerSection(root: ConfigReader, file: string | undefined, defaultPort: number): ServerSection {
  const server = root.optionalObject('server');
  server?.rejectUnknownKeys(['host', 'port', 'tls']);
  const tls = server?.optionalObject('tls');
  return {
    host: server?.optionalString('host') ?? '127.0.0.1',
    port: server ? server.integer('port', { min: 0, max: 65535, default: defaultPort }) : defaultPort,
    ...(tls ? { tls: parseServerTls(tls, file ? dirname(file) : process.cwd()) } : {}),
  };
}

/**
 * The required `signing` section: a secret of at least 32 bytes that is not one shipped in the
 * repository's examples. `holder` names who else has it, for the message ("this source").
 */
export function parseSigningSection(root: ConfigReader, holder: string): SigningSection {
  const signing = root.object('signing');
  signing.rejectUnknownKeys(['secret', 'previousSecret', 'replayStore']);
  const secret = signing.string('secret');
  if (Buffer.byteLength(secret, 'utf8') < 32) signing.fail('secret', `expected at least 32 bytes (e.g. \`openssl rand -hex 32\`), the same secret the gateway has for ${holder}`);
  const shipped = shippedSecretProblem(secret);
  if (shipped) signing.fail('secret', `refused: ${shipped}`);
  return { secret, ...parseSigningExtras(signing, secret) };
}
