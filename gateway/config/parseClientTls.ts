import type { ConfigReader } from '../../core/config/ConfigReader';
import { readPemFile as readPem } from '../../core/config/readPemFile';
import type { ClientTls } from '../../core/http/ClientTls';

/**
 * A `tls:` / `sourceTls:` section (docs/security.md "Gateway → source over mutual TLS"): files by
 * path, relative to the config file — `caFile` (the CA that signed the sources' server
 * certificates), `certFile` and `keyFile` (the gateway's client certificate and its key, together).
 * The files are read here so a wrong path stops the gateway at start; errors name the key and the
 * path, never the content.
 */
export function parseClientTls(section: ConfigReader, baseDir: string): ClientTls {
  section.rejectUnknownKeys(['caFile', 'certFile', 'keyFile']);
  const ca = readPem(section, 'caFile', baseDir, 'CERTIFICATE');
  const cert = readPem(section, 'certFile', baseDir, 'CERTIFICATE');
  const key = readPem(section, 'keyFile', baseDir, 'PRIVATE KEY');
  if ((cert === undefined) !== (key === undefined)) section.fail(cert === undefined ? 'certFile' : 'keyFile', 'certFile and keyFile go together (the client certificate and its private key)');
  if (ca === undefined && cert === undefined) section.fail('caFile', 'expected caFile, or certFile and keyFile, or all three');
  return { ...(ca !== undefined ? { ca } : {}), ...(cert !== undefined ? { cert } : {}), ...(key !== undefined ? { key } : {}) };
}
