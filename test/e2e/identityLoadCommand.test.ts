import { generateSigningSecret } from '../../core/security/generateSigningSecret';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDemoPatientIndex } from '../../demo/identity/buildDemoPatientIndex';
import { createDemoPopulation } from '../../demo/population/generatePopulation';
import { openSqlPatientIndex } from '../../subgraphs/identity/openSqlPatientIndex';
import { runCli, startCli } from '../helpers/runCli';
import { FileAuditLog } from '../../gateway/audit/FileAuditLog';
import { signedPost } from '../helpers/signedPost';

type CliResult = Awaited<ReturnType<typeof runCli>>;

/** Every CLI start compiles the sources through tsx; PGlite starts in a few seconds more. */
const CLI_TIMEOUT_MS = 180_000;

const NEW_FACILITY = '79999';
// Random per run: the production commands refuse secrets published in the repository.
const SECRET = generateSigningSecret();

describe('patient-graph identity load, then identity serve over the same PGlite index', () => {
  const population = createDemoPopulation(40);
  const people = buildDemoPatientIndex(population);
  // A new hospital registers six of these people without national ID, typed without diacritics.
  const registered = people.slice(0, 6);
  let dir: string;
  let load: CliResult;
  let check: CliResult;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'identity-load-'));
    await writeFile(join(dir, 'people.ndjson'), people.map((p) => JSON.stringify(p)).join('\n'));
    const lines = registered.map((p, i) => JSON.stringify({
      facilityCode: NEW_FACILITY,
      localId: `NEW-${i}`,
      fullName: p.name.full.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D'),
      birthDate: p.birthDate,
      gender: p.gender.toLowerCase(),
      insuranceNumber: p.insuranceNumber ?? undefined,
    }));
    lines.splice(2, 0, JSON.stringify({ facilityCode: 'nope', localId: 'X', fullName: 'A', birthDate: '1990', gender: 'male' }));
    await writeFile(join(dir, 'records.jsonl'), lines.join('\n'));
    await writeFile(join(dir, 'identity.yaml'), [
      'server: { host: 127.0.0.1, port: 0 }',
      `signing: { secret: "${SECRET}" }`,
      'index: { kind: pglite, dataDir: ./index }',
    ].join('\n'));
    load = await runCli(['identity', 'load', '--database', `pglite:${join(dir, 'index')}`, '--people', join(dir, 'people.ndjson'), '--records', join(dir, 'records.jsonl'), '--actor', 'e2e', '--file', join(dir, 'audit.jsonl')]);
    check = await runCli(['identity', 'serve', '--config', join(dir, 'identity.yaml'), '--check']);
  }, CLI_TIMEOUT_MS);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads the people, links every registration of the new hospital and reports the bad line by number (exit 3)', () => {
    expect(load.stdout).toContain('people: 40 loaded');
    expect(load.stdout).toContain('records: 6 linked, 0 to review, 0 not matched');
    expect(load.stderr).toContain('records.jsonl line 3: "facilityCode" must be a 5-digit MA_CSKCB; skipped');
    expect(load.code).toBe(3);
  });

  it('records the run in the audit log: the actor, the facility, counts and no one’s identity', async () => {
    const audit = await FileAuditLog.openReadOnly(join(dir, 'audit.jsonl'));
    try {
      const records = await audit.read();
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({
        principal: { sub: 'load:e2e', role: 'admin' },
        patients: [],
        sources: [NEW_FACILITY],
        outcome: 'success',
        identityRun: { command: 'identity load', facilities: [{ facilityCode: NEW_FACILITY, records: 6, linked: 6, review: 0, unmatched: 0, status: 'read' }] },
      });
      for (const person of registered) expect(JSON.stringify(records)).not.toContain(person.nationalId);
    } finally {
      await audit.close();
    }
  });

  it('serves the persistent index the load wrote', () => {
    expect(check.stderr).toBe('');
    expect(check.stdout).toMatch(/valid \(40 patients, locator: index links\)/);
    expect(check.code).toBe(0);
  });

  it('holds the new hospital among each registered person’s linked facilities, by the load’s actor', async () => {
    const index = await openSqlPatientIndex({ kind: 'pglite', dataDir: join(dir, 'index') });
    try {
      for (const person of registered) {
        expect((await index.get(person.nationalId))?.linkedFacilityCodes).toContain(NEW_FACILITY);
      }
      const links = await index.linksOf(registered[0]!.nationalId);
      expect(links.find((l) => l.facilityCode === NEW_FACILITY)).toMatchObject({ decidedBy: 'load:e2e', status: 'AUTOMATIC', decision: 'MATCH' });
    } finally {
      await index.close();
    }
  }, 60_000);

  it('serves search over the loaded index to a registrar the gateway signed for', async () => {
    const serve = await startCli(['identity', 'serve', '--config', join(dir, 'identity.yaml')], 'identity subgraph', CLI_TIMEOUT_MS);
    try {
      const url = /at (http:\/\/\S+)/.exec(serve.stdout())?.[1] ?? '';
      const person = registered[1]!;
      const query = 'query($n: String!, $b: String!) { searchPatients(name: $n, birthDate: $b) { decision patient { nationalId } } }';
      const principal = { sub: 'r1', role: 'registrar', facilityCode: null, purposeOfUse: 'operations' } as const;
      const { body } = await signedPost(url, query, { n: person.name.full, b: person.birthDate ?? '' }, { secret: SECRET, target: 'identity', principal });
      expect(body.errors).toBeUndefined();
      expect((body.data as { searchPatients: { patient: { nationalId: string } }[] }).searchPatients[0]?.patient.nationalId).toBe(person.nationalId);
    } finally {
      serve.child.kill('SIGTERM');
      await new Promise((resolve) => serve.child.on('close', resolve));
    }
  }, CLI_TIMEOUT_MS);
});
