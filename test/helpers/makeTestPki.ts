import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** PEM files of a throw-away PKI, by path (as a config names them) and by content. */
export interface TestPki {
  readonly dir: string;
  /** The CA the source trusts for clients and the gateway trusts for the source. */
  readonly caFile: string;
  /** The source's server certificate (CN and SAN 127.0.0.1 / localhost), signed by the CA. */
  readonly serverCertFile: string;
  readonly serverKeyFile: string;
  /** The gateway's client certificate, signed by the CA. */
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
  /** Another CA, and a client certificate it signed: what a stranger would present. */
  readonly foreignCaFile: string;
  readonly foreignClientCertFile: string;
  readonly foreignClientKeyFile: string;
  pem(file: string): string;
  remove(): void;
}

/**
 * Makes a CA, a server and a client certificate it signs, and a foreign CA with its own client
 * certificate, with the `openssl` command line (Debian's OpenSSL 3): the same tool an operator
 * uses, and no key-generation code of our own to trust. EC P-256 keys: quick to make.
 */
export async function makeTestPki(): Promise<TestPki> {
  const dir = mkdtempSync(join(tmpdir(), 'pg-mtls-'));
  const path = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): Promise<unknown> => run('openssl', args, { cwd: dir });
  const key = (name: string): Promise<unknown> => openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', path(name));
  const ca = async (name: string, subject: string): Promise<void> => {
    await key(`${name}-key.pem`);
    await openssl('req', '-x509', '-new', '-key', path(`${name}-key.pem`), '-subj', subject, '-days', '2', '-out', path(`${name}.pem`),
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  };
  const issue = async (name: string, caName: string, subject: string, extensions: string): Promise<void> => {
    await key(`${name}-key.pem`);
    await openssl('req', '-new', '-key', path(`${name}-key.pem`), '-subj', subject, '-out', path(`${name}.csr`));
    writeFileSync(path(`${name}.ext`), extensions);
    await openssl('x509', '-req', '-in', path(`${name}.csr`), '-CA', path(`${caName}.pem`), '-CAkey', path(`${caName}-key.pem`),
      '-CAcreateserial', '-days', '1', '-extfile', path(`${name}.ext`), '-out', path(`${name}.pem`));
  };
  await Promise.all([ca('ca', '/CN=patient-graph test CA'), ca('foreign-ca', '/CN=someone else CA')]);
  await Promise.all([
    issue('server', 'ca', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n'),
    issue('client', 'ca', '/CN=patient-graph gateway', 'extendedKeyUsage=clientAuth\n'),
    issue('foreign-client', 'foreign-ca', '/CN=patient-graph gateway', 'extendedKeyUsage=clientAuth\n'),
  ]);
  return {
    dir,
    caFile: path('ca.pem'),
    serverCertFile: path('server.pem'),
    serverKeyFile: path('server-key.pem'),
    clientCertFile: path('client.pem'),
    clientKeyFile: path('client-key.pem'),
    foreignCaFile: path('foreign-ca.pem'),
    foreignClientCertFile: path('foreign-client.pem'),
    foreignClientKeyFile: path('foreign-client-key.pem'),
    pem: (file) => readFileSync(file, 'utf8'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
