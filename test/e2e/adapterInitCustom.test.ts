import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/runCli';

const ROOT = join(__dirname, '..', '..');

/** `adapter init --kind custom`: the skeleton runs as scaffolded and passes the conformance kit. */
describe('patient-graph adapter init --kind custom', () => {
  const work = mkdtempSync(join(tmpdir(), 'registry-custom-'));
  let child: ChildProcessWithoutNullStreams | undefined;

  afterAll(() => {
    child?.kill('SIGTERM');
  });

  it('scaffolds an adapter skeleton whose server passes the kit before any line is filled in', async () => {
    const dir = join(work, 'rest-his');
    const init = await runCli(['adapter', 'init', dir, '--kind', 'custom', '--code', '79001', '--port', '0']);
    expect(init.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['.gitignore', 'README.md', 'adapter.ts', 'check.sh', 'serve.ts', 'signing-secret']);
    const secret = readFileSync(join(dir, 'signing-secret'), 'utf8').trim();
    child = spawn(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(dir, 'serve.ts')], { env: { ...process.env, SOURCE_SIGNING_SECRET: secret } });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      let err = '';
      const timer = setTimeout(() => reject(new Error(`not serving after 60 s: ${err}`)), 60_000);
      child?.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
      child?.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const found = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1];
        if (found) {
          clearTimeout(timer);
          resolve(found);
        }
      });
      child?.once('exit', (code) => reject(new Error(`exited with ${code}: ${err}`)));
    });
    const check = await runCli(['adapter', 'check', url, '--contract', 'clinical', '--code', '79001', '--secret-file', join(dir, 'signing-secret')]);
    expect(check.stdout).toContain('conforms: 10 checks passed');
    expect(check.code).toBe(0);
  }, 120_000);

  it.each([
    ['sql-his', { HIS_DATABASE_URL: 'postgres://reader@127.0.0.1:5432/his' }, /valid \(sql-his source for facility 79001\)/],
    ['fhir-r4', { FHIR_BASE_URL: 'https://fhir.hospital.example.vn/fhir', FHIR_TOKEN: 'a-read-only-client-token' }, /valid \(fhir-r4 source for facility 79001\)/],
    ['xml130', {}, /valid \(xml130 source for facility 79001\)/],
  ] as const)('scaffolds a %s config that source serve accepts (--check)', async (kind, env, expected) => {
    const dir = join(work, kind);
    expect((await runCli(['adapter', 'init', dir, '--kind', kind, '--code', '79001'])).code).toBe(0);
    const secret = readFileSync(join(dir, 'signing-secret'), 'utf8').trim();
    // --config-only: the config as scaffolded (a sql-his --check would also connect to the database).
    const check = await runCli(['source', 'serve', '--config', join(dir, 'source.yaml'), '--check', '--config-only'], { ...env, SOURCE_SIGNING_SECRET: secret });
    expect(check.stderr).toBe('');
    expect(check.stdout).toMatch(expected);
  }, 60_000);

  it('refuses to write into a folder that is not empty, and refuses an unknown kind', async () => {
    const taken = await runCli(['adapter', 'init', ROOT, '--kind', 'xml130', '--code', '79001']);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/is not empty; nothing was written/);
    const kind = await runCli(['adapter', 'init', join(work, 'x'), '--kind', 'oracle', '--code', '79001']);
    expect(kind.code).toBe(2);
    expect(kind.stderr).toMatch(/--kind must be one of sql-his, fhir-r4, xml130, custom/);
  }, 60_000);
});
