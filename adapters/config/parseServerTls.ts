import type { ConfigReader } from '../../core/config/ConfigReader';
import { readPemFile } from '../../core/config/readPemFile';
import type { SubgraphTls } from '../../core/http/SubgraphTls';

/**
 * `server.tls` of a source config (docs/security.md "Gateway → source over mutual TLS"): the
 * source's certificate and key, and `clientCaFile`, the CA whose client certificates it accepts
 * (the gateway's); with it, a client without such a certificate is refused in the handshake.
 * Paths are relative to the config file.
 */
export function parseServerTls(section: ConfigReader, baseDir: string): SubgraphTls {
  section.rejectUnknownKeys(['certFile', 'keyFile', 'clientCaFile']);
  const cert = readPemFile(section, 'certFile', baseDir, 'CERTIFICATE');
  const key = readPemFile(section, 'keyFile', baseDir, 'PRIVATE KEY');
  const clientCa = readPemFile(section, 'clientCaFile', baseDir, 'CERTIFICATE');
  if (cert === undefined) return section.fail('certFile', 'expected the PEM file of the source\'s certificate', 'always');
  if (key === undefined) return section.fail('keyFile', 'expected the PEM file of the certificate\'s private key', 'always');
  return { cert, key, ...(clientCa !== undefined ? { clientCa } : {}) };
}
