import { mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { examplePatient } from '../../demo/examplePatient';
import { writeXml130Folder } from '../../demo/xml130/writeXml130Folder';
import { FileSourceRecordStore } from '../../gateway/registry/FileSourceRecordStore';
import { captureLogger } from '../helpers/captureLogger';
import { postGraphQL } from '../helpers/postGraphQL';
import { runCli, startCli } from '../helpers/runCli';
import { startRegistryTestNetwork, type Replica, type RegistryTestNetwork } from '../helpers/startRegistryTestNetwork';
import { tokenFor } from '../helpers/tokens';

const ROOT = join(__dirname, '..', '..');

/** The commands of README "Register your hospital", for a facility code, folder and source URL. */
function guideCommands(v: { code: string; name: string; dir: string; url: string }): string[] {
  return [
    `patient-graph adapter init ${v.dir} --kind xml130 --code ${v.code} --name "${v.name}"`,
    `SOURCE_SIGNING_SECRET="$(cat ${v.dir}/signing-secret)" npx patient-graph source serve --config ${v.dir}/source.yaml`,
    `patient-graph adapter check ${v.url} --contract clinical --code ${v.code} --secret-file ${v.dir}/signing-secret --report report.json`,
    `registerSource(input: { code: "${v.code}", name: "${v.name}", contract: "clinical", url: "${v.url}", signingSecretRef: "env:SOURCE_${v.code}_SECRET" }) { code status routed }`,
  ];
}

/** README "Register your hospital", run as written: scaffold, serve, check, register, query. */
describe('Register your hospital (README guide)', () => {
  const logs = captureLogger();
  const work = mkdtempSync(join(tmpdir(), 'registry-guide-'));
  const env: NodeJS.ProcessEnv = {};
  let network: RegistryTestNetwork;
  let replica: Replica;
  let code: string;

  beforeAll(async () => {
    network = await startRegistryTestNetwork(logs.logger);
    code = examplePatient(network.population).records[0]?.facilityCode ?? '';
    const seed = network.hospitals.map((h) => h.facility.code).filter((c) => c !== code).map(network.sourceOf);
    replica = await network.startReplica({ store: new FileSourceRecordStore(join(work, 'registry.json')), seed, env });
  }, 120_000);

  afterAll(async () => {
    await replica?.stop();
    await network?.stop();
  });

  it('shows exactly the commands this test runs', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const command of guideCommands({ code: '48903', name: 'Bệnh viện Đa khoa Ví dụ', dir: 'my-hospital', url: 'http://127.0.0.1:4100/' })) expect(readme).toContain(command);
  });

  it('takes a hospital from adapter init to answering through the gateway', async () => {
    const dir = join(work, 'my-hospital');
    const name = 'Bệnh viện Đa khoa Ví dụ';
    const init = await runCli(['adapter', 'init', dir, '--kind', 'xml130', '--code', code, '--name', name, '--port', '0']);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(statSync(join(dir, 'signing-secret')).mode & 0o777).toBe(0o600);
    const secret = readFileSync(join(dir, 'signing-secret'), 'utf8').trim();
    // The hospital's HIS exports its QĐ 130 files into the folder the scaffold points at.
    const facility = network.population.facilities.find((f) => f.code === code);
    if (!facility) throw new Error('no facility');
    await writeXml130Folder({ population: network.population, facility, folder: join(dir, 'xml130'), hosoPerFile: 50 });

    const source = await startCli(['source', 'serve', '--config', join(dir, 'source.yaml')], 'serving the clinical contract at', 110_000, { SOURCE_SIGNING_SECRET: secret });
    try {
      const url = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(source.stdout())?.[1] ?? '';
      const holds = network.population.people.filter((p) => p.records.some((r) => r.facilityCode === code && r.hasNationalId)).slice(0, 3).map((p) => p.nationalId);
      const check = await runCli(['adapter', 'check', url, '--contract', 'clinical', '--code', code, '--secret-file', join(dir, 'signing-secret'), '--patients', holds.join(','), '--report', join(work, 'report.json')]);
      expect(check.code).toBe(0);
      expect(check.stdout).toContain('conforms: 10 checks passed');
      // The scaffold's own check script, with `patient-graph` on PATH as after `npm install -g`.
      const shim = join(work, 'bin');
      mkdirSync(shim, { recursive: true });
      symlinkSync(join(ROOT, 'bin', 'patient-graph.js'), join(shim, 'patient-graph'));
      const script = await new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(join(dir, 'check.sh'), [url, holds.join(',')], { env: { ...process.env, PATH: `${shim}:${process.env.PATH ?? ''}` } });
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
        child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
        child.on('close', (exit) => resolve({ code: exit, out }));
      });
      expect(script.out).toContain('conforms: 10 checks passed');
      expect(script.code).toBe(0);

      env[`SOURCE_${code}_SECRET`] = secret;
      const admin = await tokenFor('admin', { sub: 'network-admin' });
      const [mutation] = guideCommands({ code, name, dir, url }).slice(3);
      const registered = await postGraphQL<{ registerSource: { code: string; status: string; routed: boolean } }>(replica.gateway.url, `mutation { ${mutation ?? ''} }`, {}, admin);
      expect(registered.body.errors).toBeUndefined();
      expect(registered.body.data?.registerSource).toEqual({ code, status: 'ACTIVE', routed: true });

      const person = examplePatient(network.population);
      const answer = await postGraphQL<{ patient: { encounters: { source: { facilityCode: string; system: string } }[] } }>(
        replica.gateway.url,
        'query($id: ID!) { patient(nationalId: $id) { encounters { source { facilityCode system } } } }',
        { id: person.nationalId },
        await tokenFor('patient', { sub: person.nationalId }),
      );
      expect(answer.body.errors ?? []).toEqual([]);
      expect(answer.body.data?.patient.encounters.filter((e) => e.source.facilityCode === code).every((e) => e.source.system === 'xml130')).toBe(true);
      expect(answer.body.data?.patient.encounters.some((e) => e.source.facilityCode === code)).toBe(true);
      const listed = await postGraphQL<{ sources: { code: string; status: string; routed: boolean; problem: string | null }[] }>(replica.gateway.url, '{ sources { code status routed problem } }', {}, admin);
      expect(listed.body.data?.sources.find((s) => s.code === code)).toEqual({ code, status: 'ACTIVE', routed: true, problem: null });
    } finally {
      source.child.kill('SIGTERM');
    }
  }, 240_000);
});
