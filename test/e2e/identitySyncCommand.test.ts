import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningSecret } from '../../core/security/generateSigningSecret';
import { FileAuditLog } from '../../gateway/audit/FileAuditLog';
import { FileSourceRecordStore } from '../../gateway/registry/FileSourceRecordStore';
import { DEFAULT_SOURCE_LIMITS } from '../../gateway/registry/SourceRecord';
import { buildDemoPatientIndex } from '../../demo/identity/buildDemoPatientIndex';
import { startDemoHospital, type SyntheticDemoHospital } from '../../demo/hospitals/startDemoHospital';
import { createDemoPopulation } from '../../demo/population/generatePopulation';
import { openSqlPatientIndex } from '../../subgraphs/identity/openSqlPatientIndex';
import { captureLogger } from '../helpers/captureLogger';
import { runCli } from '../helpers/runCli';

/** Every CLI start compiles the sources through tsx; PGlite starts in a few seconds more. */
const CLI_TIMEOUT_MS = 180_000;

describe('patient-graph identity sync (the registration feed of the gateway config’s hospitals)', () => {
  const population = createDemoPopulation(30);
  const facility = population.facilities[0]!;
  const charts = population.people.filter((p) => p.records.some((r) => r.facilityCode === facility.code));
  // Random per run: the production config refuses secrets published in the repository.
  const secret = generateSigningSecret();
  let dir: string;
  let hospital: SyntheticDemoHospital;
  let args: string[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'identity-sync-'));
    const index = await openSqlPatientIndex({ kind: 'pglite', dataDir: join(dir, 'index') });
    await index.upsertPeople(buildDemoPatientIndex(population).map((p) => ({ ...p })));
    await index.close();
    hospital = await startDemoHospital({ facility, population, logger: captureLogger().logger, signing: { secret, target: facility.code } });
    const config = {
      auth: { kind: 'shared-secret', secret: generateSigningSecret(), issuer: 'test', audience: 'patient-graph' },
      identity: { url: 'http://identity.invalid/', secret: generateSigningSecret() },
      insurance: { url: 'http://insurance.invalid/', secret: generateSigningSecret() },
      hospitals: [
        { code: facility.code, name: facility.name, url: hospital.url, secret },
        // Registered but down: reported, and the others are still synced.
        { code: '79998', name: 'Closed hospital', url: 'http://127.0.0.1:9/graphql', secret: generateSigningSecret() },
      ],
    };
    await writeFile(join(dir, 'gateway.yaml'), JSON.stringify(config)); // JSON is YAML
    args = ['identity', 'sync', '--database', `pglite:${join(dir, 'index')}`, '--gateway-config', join(dir, 'gateway.yaml'), '--actor', 'nightly'];
  }, CLI_TIMEOUT_MS);

  afterAll(async () => {
    await hospital?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('links the hospital’s charts, reports the source it could not read (exit 4), and reads only changes the next time', async () => {
    const first = await runCli(args);
    expect(first.stdout).toContain(`${facility.code}: ${charts.length} records: ${charts.length} linked, 0 to review, 0 not matched`);
    expect(first.stderr).toMatch(/79998: not synced/);
    expect(first.code).toBe(4);

    const second = await runCli(args);
    expect(second.stdout).toContain(`${facility.code}: 0 records`);

    // Each run is one record of the gateway's audit chain (the config's embedded state: <dir>/.patient-graph).
    const audit = await FileAuditLog.openReadOnly(join(dir, '.patient-graph', 'audit.jsonl'));
    try {
      const records = await audit.read();
      expect(records).toHaveLength(2);
      expect(records[0]).toMatchObject({
        principal: { sub: 'sync:nightly', role: 'admin', purposeOfUse: 'operations' },
        patients: [],
        sources: [facility.code, '79998'],
        outcome: 'partial',
        identityRun: {
          command: 'identity sync',
          facilities: [
            { facilityCode: facility.code, records: charts.length, linked: charts.length, review: 0, unmatched: 0, status: 'read' },
            { facilityCode: '79998', records: 0, linked: 0, review: 0, unmatched: 0, status: 'failed' },
          ],
        },
      });
      expect(records[1]?.identityRun?.facilities[0]).toMatchObject({ facilityCode: facility.code, records: 0 });
      expect(await audit.verify()).toEqual({ kind: 'intact', count: 2 });
      // Counts only: no national ID or name of anyone synced.
      const text = JSON.stringify(records);
      for (const person of charts) {
        expect(text).not.toContain(person.nationalId);
        expect(text).not.toContain(person.name.full);
      }
    } finally {
      await audit.close();
    }

    const index = await openSqlPatientIndex({ kind: 'pglite', dataDir: join(dir, 'index') });
    try {
      for (const person of charts) expect((await index.get(person.nationalId))?.linkedFacilityCodes).toContain(facility.code);
      const events = await index.linkEvents(charts[0]!.nationalId);
      expect(events.some((e) => e.facilityCode === facility.code && e.action === 'link' && e.actor === 'sync:nightly')).toBe(true);
    } finally {
      await index.close();
    }
  }, CLI_TIMEOUT_MS);

  it('also syncs a hospital registered at runtime in the gateway’s registry (not in the config)', async () => {
    const other = population.facilities.find((f) => f.code !== facility.code && population.people.some((p) => p.records.some((r) => r.facilityCode === f.code)))!;
    const otherCharts = population.people.filter((p) => p.records.some((r) => r.facilityCode === other.code));
    const otherSecret = generateSigningSecret();
    const registered = await startDemoHospital({ facility: other, population, logger: captureLogger().logger, signing: { secret: otherSecret, target: other.code } });
    try {
      const store = new FileSourceRecordStore(join(dir, '.patient-graph', 'registry.json'));
      await store.create({
        code: other.code, name: other.name, contract: 'clinical', url: registered.url, signingSecretRef: 'env:PG_TEST_REGISTERED_HOSPITAL_SECRET',
        limits: DEFAULT_SOURCE_LIMITS, status: 'active', registeredBy: 'admin:test', registeredAt: new Date().toISOString(),
      });
      await store.close();
      const run = await runCli(args, { PG_TEST_REGISTERED_HOSPITAL_SECRET: otherSecret });
      expect(run.stdout).toContain(`${other.code}: ${otherCharts.length} records: ${otherCharts.length} linked, 0 to review, 0 not matched`);
    } finally {
      await registered.stop();
    }
  }, CLI_TIMEOUT_MS);
});
