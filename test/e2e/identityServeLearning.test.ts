import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { generateSigningSecret } from '../../core/security/generateSigningSecret';
import { buildDemoPatientIndex } from '../../demo/identity/buildDemoPatientIndex';
import { startDemoHospital, type SyntheticDemoHospital } from '../../demo/hospitals/startDemoHospital';
import { createDemoPopulation } from '../../demo/population/generatePopulation';
import { FileSourceRecordStore } from '../../gateway/registry/FileSourceRecordStore';
import { DEFAULT_SOURCE_LIMITS } from '../../gateway/registry/SourceRecord';
import type { Population, SyntheticPerson } from '../../demo/population/types';
import { ANSWER_ACTOR } from '../../subgraphs/identity/learnFromAnswers';
import { openSqlPatientIndex } from '../../subgraphs/identity/openSqlPatientIndex';
import type { PatientLink, SqlPatientIndex } from '../../subgraphs/identity/SqlPatientIndex';
import { captureLogger } from '../helpers/captureLogger';
import { runAsPostgresAdmin } from '../helpers/postgresAdmin';
import { runCli, startCli } from '../helpers/runCli';
import { signedPost } from '../helpers/signedPost';

/** Every CLI start compiles the sources through tsx; the machine is shared and loaded. */
const CLI_TIMEOUT_MS = 180_000;

/** The gateway's call (gateway/network/IdentityLearningNotifier.ts): signed for `identity`, no principal. */
const LEARN = 'mutation PatientGraphLearnFromAnswers($answers: [AnsweredPatient!]!) { learnFromAnswers(answers: $answers) }';

/** One person whose charts carry neither national ID nor card: the hospital can match them by demographics only. */
function withFrontDeskPerson(base: Population): { population: Population; person: SyntheticPerson } {
  const chosen = base.people.find((p) => p.records.length >= 1 && (p.gender === 'MALE' || p.gender === 'FEMALE'));
  if (!chosen) throw new Error('fixture: nobody with a chart');
  const person: SyntheticPerson = { ...chosen, records: chosen.records.map((r) => ({ ...r, hasNationalId: false, hasInsuranceNumber: false })) };
  return { population: { ...base, people: base.people.map((p) => (p === chosen ? person : p)) }, person };
}

async function stop(child: { kill: (signal: NodeJS.Signals) => boolean; on: (event: 'close', listener: () => void) => unknown; exitCode: number | null }): Promise<void> {
  if (child.exitCode !== null) return;
  const closed = new Promise<void>((resolve) => child.on('close', resolve));
  child.kill('SIGTERM');
  await closed;
}

describe('patient-graph identity serve --gateway-config learns from clinical answers (PostgreSQL index, real hospital)', () => {
  const { population, person } = withFrontDeskPerson(createDemoPopulation(30));
  const record = person.records[0]!;
  const facility = population.facilities.find((f) => f.code === record.facilityCode)!;
  const database = `identity_serve_learn_identityserve_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = `postgres://postgres@127.0.0.1:5432/${database}`;
  // Random per run: the production commands refuse secrets published in the repository.
  const identitySecret = generateSigningSecret();
  const hospitalSecret = generateSigningSecret();
  let dir: string;
  let hospital: SyntheticDemoHospital;
  let index: SqlPatientIndex;

  const linkAt = async (): Promise<PatientLink | undefined> =>
    (await index.linksOf(person.nationalId)).find((l) => l.facilityCode === facility.code && l.localId === record.localPatientId);
  const forgetLinks = async (): Promise<void> => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('DELETE FROM identity_link WHERE national_id = $1', [person.nationalId]);
    } finally {
      await client.end();
    }
  };
  const learn = (serveUrl: string) =>
    signedPost(serveUrl, LEARN, { answers: [{ facilityCode: facility.code, nationalId: person.nationalId }] }, { secret: identitySecret, target: 'identity', principal: null });

  beforeAll(async () => {
    await runAsPostgresAdmin(`CREATE DATABASE ${database}`);
    index = await openSqlPatientIndex({ kind: 'postgres', url });
    // The index holds the person but no link to any chart (a hospital that never sent a feed).
    await index.upsertPeople(buildDemoPatientIndex(population).map((p) => ({ ...p })));
    hospital = await startDemoHospital({ facility, population, logger: captureLogger().logger, signing: { secret: hospitalSecret, target: facility.code } });
    dir = await mkdtemp(join(tmpdir(), 'identity-serve-learn-'));
    const gateway = {
      auth: { kind: 'shared-secret', secret: generateSigningSecret(), issuer: 'test', audience: 'patient-graph' },
      identity: { url: 'http://identity.invalid/', secret: identitySecret },
      insurance: { url: 'http://insurance.invalid/', secret: generateSigningSecret() },
      hospitals: [{ code: facility.code, name: facility.name, url: hospital.url, secret: hospitalSecret }],
    };
    await writeFile(join(dir, 'gateway.yaml'), JSON.stringify(gateway)); // JSON is YAML
    await writeFile(join(dir, 'identity.yaml'), ['server: { host: 127.0.0.1, port: 0 }', `signing: { secret: "${identitySecret}" }`, `index: { kind: postgres, url: "${url}" }`].join('\n'));
    await writeFile(join(dir, 'identity-demo.yaml'), ['server: { host: 127.0.0.1, port: 0 }', `signing: { secret: "${identitySecret}" }`, 'index: { kind: demo }'].join('\n'));
  }, CLI_TIMEOUT_MS);

  afterAll(async () => {
    await hospital?.stop();
    await index?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    await runAsPostgresAdmin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }, 60_000);

  it('without --gateway-config answers PATIENT_INDEX_READ_ONLY and links nothing', async () => {
    const serve = await startCli(['identity', 'serve', '--config', join(dir, 'identity.yaml')], 'identity subgraph', CLI_TIMEOUT_MS);
    try {
      const serveUrl = /at (http:\/\/\S+)/.exec(serve.stdout())?.[1] ?? '';
      const { body } = await learn(serveUrl);
      expect(body.errors?.[0]?.extensions?.code).toBe('PATIENT_INDEX_READ_ONLY');
      expect(await linkAt()).toBeUndefined();
    } finally {
      await stop(serve.child);
    }
  }, CLI_TIMEOUT_MS);

  it('with --gateway-config asks the hospital of the gateway config and links the chart its matcher gave the person', async () => {
    const serve = await startCli(['identity', 'serve', '--config', join(dir, 'identity.yaml'), '--gateway-config', join(dir, 'gateway.yaml')], 'identity subgraph', CLI_TIMEOUT_MS);
    try {
      expect(serve.stdout()).toContain("learning from 1 hospitals' answers");
      const serveUrl = /at (http:\/\/\S+)/.exec(serve.stdout())?.[1] ?? '';
      const { body } = await learn(serveUrl);
      expect(body.errors).toBeUndefined();
      expect((body.data as { learnFromAnswers: number }).learnFromAnswers).toBeGreaterThanOrEqual(1);
      // Polled (no fixed sleep decides): the link is in the index the process writes to.
      let link: PatientLink | undefined;
      for (let attempt = 0; attempt < 300 && !link; attempt++) {
        link = await linkAt();
        if (!link) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(link).toMatchObject({ method: 'DEMOGRAPHICS', decision: 'MATCH', status: 'AUTOMATIC', decidedBy: ANSWER_ACTOR });
      expect((await index.get(person.nationalId))?.linkedFacilityCodes).toContain(facility.code);
      // Counts only in the process's log: never who was learned.
      const output = serve.stdout() + serve.stderr();
      expect(output).toContain('identity.learned-from-answers');
      expect(output).not.toContain(person.nationalId);
      expect(output).not.toContain(person.name.full);
    } finally {
      await stop(serve.child);
    }
  }, CLI_TIMEOUT_MS);

  it('with --gateway-config also asks a hospital registered at runtime in the gateway’s registry (not in the config)', async () => {
    // The index forgets the chart the previous case linked: only the registered hospital can give it back.
    await forgetLinks();
    expect(await linkAt()).toBeUndefined();
    const stateDir = join(dir, 'state');
    const store = new FileSourceRecordStore(join(stateDir, 'registry.json'));
    await store.create({
      code: facility.code, name: facility.name, contract: 'clinical', url: hospital.url, signingSecretRef: 'env:PG_TEST_REGISTERED_HOSPITAL_SECRET',
      limits: DEFAULT_SOURCE_LIMITS, status: 'active', registeredBy: 'admin:test', registeredAt: new Date().toISOString(),
    });
    await store.close();
    const gateway = {
      auth: { kind: 'shared-secret', secret: generateSigningSecret(), issuer: 'test', audience: 'patient-graph' },
      identity: { url: 'http://identity.invalid/', secret: identitySecret },
      insurance: { url: 'http://insurance.invalid/', secret: generateSigningSecret() },
      hospitals: [],
      state: { kind: 'embedded', dir: stateDir },
    };
    await writeFile(join(dir, 'gateway-registry.yaml'), JSON.stringify(gateway));
    const serve = await startCli(['identity', 'serve', '--config', join(dir, 'identity.yaml'), '--gateway-config', join(dir, 'gateway-registry.yaml')], 'identity subgraph', CLI_TIMEOUT_MS, { PG_TEST_REGISTERED_HOSPITAL_SECRET: hospitalSecret });
    try {
      const serveUrl = /at (http:\/\/\S+)/.exec(serve.stdout())?.[1] ?? '';
      const { body } = await learn(serveUrl);
      expect(body.errors).toBeUndefined();
      let link: PatientLink | undefined;
      for (let attempt = 0; attempt < 300 && !link; attempt++) {
        link = await linkAt();
        if (!link) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(link).toMatchObject({ method: 'DEMOGRAPHICS', decision: 'MATCH', decidedBy: ANSWER_ACTOR });
    } finally {
      await stop(serve.child);
    }
  }, CLI_TIMEOUT_MS);

  it('--check validates the gateway config too: names the hospitals it learns from, or every problem of that file (exit 1)', async () => {
    const valid = await runCli(['identity', 'serve', '--config', join(dir, 'identity.yaml'), '--gateway-config', join(dir, 'gateway.yaml'), '--check']);
    expect(valid.stdout).toMatch(/valid \(\d+ patients, locator: index links; learns from answers of 1 hospitals\)/);
    expect(valid.code).toBe(0);
    await writeFile(join(dir, 'gateway-bad.yaml'), JSON.stringify({ auth: { kind: 'shared-secret', secret: generateSigningSecret(), issuer: 'test', audience: 'patient-graph' }, identity: { url: 'http://identity.invalid/', secret: identitySecret }, insurance: { url: 'http://insurance.invalid/', secret: generateSigningSecret() }, hospitals: [{ code: facility.code, name: facility.name, url: hospital.url }] }));
    const invalid = await runCli(['identity', 'serve', '--config', join(dir, 'identity.yaml'), '--gateway-config', join(dir, 'gateway-bad.yaml'), '--check']);
    expect(invalid.stderr).toContain('patient-graph identity serve: invalid config');
    expect(invalid.stderr).toContain('secret');
    expect(invalid.stdout).toBe('');
    expect(invalid.code).toBe(1);
  }, CLI_TIMEOUT_MS);

  it('refuses --gateway-config over an index read into memory (exit 1, says why)', async () => {
    const result = await runCli(['identity', 'serve', '--config', join(dir, 'identity-demo.yaml'), '--gateway-config', join(dir, 'gateway.yaml'), '--check']);
    expect(result.stderr).toContain('--gateway-config needs a persistent index');
    expect(result.stdout).toBe('');
    expect(result.code).toBe(1);
  }, CLI_TIMEOUT_MS);
});
