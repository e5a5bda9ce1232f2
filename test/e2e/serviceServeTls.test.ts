import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { generateSigningSecret } from '../../core/security/generateSigningSecret';
import { makeTestPki, type TestPki } from '../helpers/makeTestPki';
import { startCli } from '../helpers/runCli';

/**
 * `patient-graph identity serve` and `insurance serve` read `server.tls` as `source serve` does
 * (test/e2e/sourceServeTls.test.ts, docs/security.md "Gateway → source over mutual TLS"): HTTPS,
 * and a client without a certificate from `clientCaFile` — none, or one another CA signed — is
 * refused in the handshake; one with it reaches the signed edge (401 for an unsigned request).
 */
describe('identity serve and insurance serve over mutual TLS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pg-service-tls-leftovers-'));
  let pki: TestPki;

  beforeAll(async () => {
    pki = await makeTestPki();
  }, 120_000);
  afterAll(() => {
    pki?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  const SERVICES = [
    { name: 'identity', ready: 'identity subgraph (', rest: ['index: { kind: demo }'] },
    {
      name: 'insurance',
      ready: 'insurance subgraph at',
      // VSS is asked per query only; this test sends none that reaches it.
      rest: ['vss: { baseUrl: "http://127.0.0.1:9", username: u, password: p, officer: { name: Officer, nationalId: "079085000001" } }'],
    },
  ] as const;

  it.each(SERVICES.map((s) => [s.name, s] as const))('%s serve serves https:// and requires the client certificate', async (name, service) => {
    const config = join(dir, `${name}.yaml`);
    writeFileSync(config, [
      `server: { host: 127.0.0.1, port: 0, tls: { certFile: ${JSON.stringify(pki.serverCertFile)}, keyFile: ${JSON.stringify(pki.serverKeyFile)}, clientCaFile: ${JSON.stringify(pki.caFile)} } }`,
      'signing: { secret: "${SERVICE_SECRET}" }',
      ...service.rest,
    ].join('\n'));
    const running = await startCli([name, 'serve', '--config', config], service.ready, 120_000, { SERVICE_SECRET: generateSigningSecret() });
    const agents: Agent[] = [];
    const post = (url: string, tls: { ca: string; cert?: string; key?: string }) => {
      const dispatcher = new Agent({ connect: { rejectUnauthorized: true, ...tls } });
      agents.push(dispatcher);
      return request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}', dispatcher });
    };
    try {
      const url = /at (https:\/\/127\.0\.0\.1:\d+\/)/.exec(running.stdout())?.[1] ?? '';
      expect(url).not.toBe('');
      const withCertificate = await post(url, { ca: pki.pem(pki.caFile), cert: pki.pem(pki.clientCertFile), key: pki.pem(pki.clientKeyFile) });
      await withCertificate.body.text();
      expect(withCertificate.statusCode).toBe(401);
      await expect(post(url, { ca: pki.pem(pki.caFile) }).then((r) => r.body.text())).rejects.toThrow();
      await expect(post(url, { ca: pki.pem(pki.caFile), cert: pki.pem(pki.foreignClientCertFile), key: pki.pem(pki.foreignClientKeyFile) }).then((r) => r.body.text())).rejects.toThrow();
    } finally {
      await Promise.all(agents.map((agent) => agent.close()));
      const exited = new Promise((resolve) => running.child.once('exit', resolve));
      running.child.kill('SIGTERM');
      await exited;
    }
  }, 240_000);
});
