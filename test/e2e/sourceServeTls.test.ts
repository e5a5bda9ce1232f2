import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { generateSigningSecret } from '../../core/security/generateSigningSecret';
import { createDemoPopulation } from '../../demo/population/generatePopulation';
import { writeXml130Folder } from '../../demo/xml130/writeXml130Folder';
import { makeTestPki, type TestPki } from '../helpers/makeTestPki';
import { startCli } from '../helpers/runCli';

const population = createDemoPopulation(40);
const facility = population.facilities[1] ?? { code: '01902', name: 'x' };

/**
 * `patient-graph source serve` with `server.tls` (docs/security.md "Gateway → source over mutual
 * TLS"): the hospital's production command serves HTTPS and closes the handshake of a client
 * without a certificate from `clientCaFile`; a client with one reaches the signed edge (401 for an
 * unsigned request: the TLS layer let it through, the signature check did the rest).
 */
describe('patient-graph source serve over mutual TLS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pg-source-tls-'));
  let pki: TestPki;

  beforeAll(async () => {
    pki = await makeTestPki();
  }, 120_000);
  afterAll(() => {
    pki?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves https:// and requires the client certificate', async () => {
    const folder = join(dir, 'xml130');
    await writeXml130Folder({ population, facility, folder, hosoPerFile: 20 });
    const config = join(dir, 'hospital.yaml');
    writeFileSync(config, [
      `facility: { code: "${facility.code}", name: "${facility.name}" }`,
      `adapter: { kind: xml130, folder: ${JSON.stringify(folder)}, watch: false }`,
      `server: { host: 127.0.0.1, port: 0, tls: { certFile: ${JSON.stringify(pki.serverCertFile)}, keyFile: ${JSON.stringify(pki.serverKeyFile)}, clientCaFile: ${JSON.stringify(pki.caFile)} } }`,
      'signing: { secret: "${SOURCE_SECRET}" }',
    ].join('\n'));
    const source = await startCli(['source', 'serve', '--config', config], 'serving the clinical contract at', 120_000, { SOURCE_SECRET: generateSigningSecret() });
    const agents: Agent[] = [];
    const post = (url: string, tls: { ca: string; cert?: string; key?: string }) => {
      const dispatcher = new Agent({ connect: { rejectUnauthorized: true, ...tls } });
      agents.push(dispatcher);
      return request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}', dispatcher });
    };
    try {
      const url = /at (https:\/\/127\.0\.0\.1:\d+\/)/.exec(source.stdout())?.[1] ?? '';
      expect(url).not.toBe('');
      const withCertificate = await post(url, { ca: pki.pem(pki.caFile), cert: pki.pem(pki.clientCertFile), key: pki.pem(pki.clientKeyFile) });
      await withCertificate.body.text();
      expect(withCertificate.statusCode).toBe(401);
      await expect(post(url, { ca: pki.pem(pki.caFile) }).then((r) => r.body.text())).rejects.toThrow();
      await expect(post(url, { ca: pki.pem(pki.caFile), cert: pki.pem(pki.foreignClientCertFile), key: pki.pem(pki.foreignClientKeyFile) }).then((r) => r.body.text())).rejects.toThrow();
    } finally {
      await Promise.all(agents.map((agent) => agent.close()));
      const exited = new Promise((resolve) => source.child.once('exit', resolve));
      source.child.kill('SIGTERM');
      await exited;
    }
  }, 240_000);
});
