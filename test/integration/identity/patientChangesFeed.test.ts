import { randomBytes } from 'node:crypto';
import { generateSigningSecret } from '../../../core/security/generateSigningSecret';
import { buildDemoPatientIndex } from '../../../demo/identity/buildDemoPatientIndex';
import { startDemoHospital, type SyntheticDemoHospital } from '../../../demo/hospitals/startDemoHospital';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import type { SyntheticPerson } from '../../../demo/population/types';
import { fetchPatientChanges, type FeedSource } from '../../../subgraphs/identity/fetchPatientChanges';
import { openSqlPatientIndex } from '../../../subgraphs/identity/openSqlPatientIndex';
import type { SqlPatientIndex } from '../../../subgraphs/identity/SqlPatientIndex';
import { syncPatientChanges } from '../../../subgraphs/identity/syncPatientChanges';
import { captureLogger } from '../../helpers/captureLogger';
import { runAsPostgresAdmin } from '../../helpers/postgresAdmin';


const admin = runAsPostgresAdmin;

/** Another birth date, far from the first (not a typo): a different person's. */
function otherBirthDate(birthDate: string): string {
  return `${Number(birthDate.slice(0, 4)) - 9}-${birthDate.slice(8, 10) <= '12' ? '11' : '10'}-${birthDate.slice(5, 7) === '03' ? '21' : '03'}`;
}

describe('the registration feed (patientChanges) and identity sync, over HTTP into PostgreSQL', () => {
  const population = createDemoPopulation(30);
  const name = `pg_identity_feed_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = `postgres://postgres@127.0.0.1:5432/${name}`;
  // The hospital the index has never heard from: the one with the most charts.
  const facility = [...population.facilities].sort((a, b) => count(b.code) - count(a.code))[0]!;
  const charts = population.people.flatMap((person) => person.records.filter((r) => r.facilityCode === facility.code).map((record) => ({ person, record })));
  const secret = generateSigningSecret();
  let hospital: SyntheticDemoHospital;
  let index: SqlPatientIndex;
  let source: FeedSource;

  function count(code: string): number {
    return population.people.filter((p) => p.records.some((r) => r.facilityCode === code)).length;
  }

  beforeAll(async () => {
    await admin(`CREATE DATABASE ${name}`);
    index = await openSqlPatientIndex({ kind: 'postgres', url });
    // The index knows the people (national IDs), not yet this hospital's charts.
    await index.upsertPeople(buildDemoPatientIndex(population).map((p) => ({ ...p })));
    hospital = await startDemoHospital({ facility, population, logger: captureLogger().logger, signing: { secret, target: facility.code } });
    source = { code: facility.code, url: hospital.url, secret };
  }, 120_000);

  afterAll(async () => {
    await hospital?.stop();
    await index?.close();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }, 60_000);

  const linkAt = async (person: SyntheticPerson, localId: string) =>
    (await index.linksOf(person.nationalId)).find((l) => l.facilityCode === facility.code && l.localId === localId);

  it('pages the feed in order and refuses an unsigned reader', async () => {
    const first = await fetchPatientChanges(source, '1970-01-01T00:00:00Z', 2, null);
    expect(first.patients).toHaveLength(2);
    expect(first.hasNextPage).toBe(charts.length > 2);
    const second = await fetchPatientChanges(source, '1970-01-01T00:00:00Z', 1000, first.endCursor);
    expect([...first.patients, ...second.patients].map((p) => p.localId).sort()).toEqual(charts.map((c) => c.record.localPatientId).sort());
    expect(second.hasNextPage).toBe(false);
    const future = await fetchPatientChanges(source, '2999-01-01T00:00:00Z', 10, null);
    expect(future).toEqual({ patients: [], endCursor: null, hasNextPage: false });
    const unsigned = await fetch(hospital.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ patientChanges(changedSince: "1970-01-01T00:00:00Z") { hasNextPage } }' }) });
    expect(unsigned.status).toBe(401);
  });

  it('links a new hospital’s charts through the feed, by national ID, card or demographics', async () => {
    const [outcome] = await syncPatientChanges(index, [source], { actor: 'test', pageSize: 7 });
    expect(outcome).toMatchObject({ facilityCode: facility.code, records: charts.length });
    expect(outcome?.error).toBeUndefined();
    expect(outcome?.linked).toBe(charts.length);
    for (const { person, record } of charts) {
      expect((await linkAt(person, record.localPatientId))?.decision).toBe('MATCH');
      expect((await index.get(person.nationalId))?.linkedFacilityCodes).toContain(facility.code);
    }
    // The checkpoint moved: nothing changed since, nothing is read again.
    const [again] = await syncPatientChanges(index, [source], { actor: 'test' });
    expect(again).toEqual({ facilityCode: facility.code, records: 0, linked: 0, review: 0, unmatched: 0 });
  });

  it('re-evaluates the links of a chart whose birth date changed at the source', async () => {
    const { person, record } = charts[0]!;
    // A chart typed without national ID or card: linked on demographics alone.
    hospital.adapter.updateDemographics(record.localPatientId, { nationalId: null, insuranceNumber: null });
    const [relinked] = await syncPatientChanges(index, [source], { actor: 'test' });
    expect(relinked).toMatchObject({ records: 1, linked: 1 });
    expect(await linkAt(person, record.localPatientId)).toMatchObject({ method: 'DEMOGRAPHICS', decision: 'MATCH', status: 'AUTOMATIC' });

    hospital.adapter.updateDemographics(record.localPatientId, { birthDate: otherBirthDate(person.birthDate) });
    const [changed] = await syncPatientChanges(index, [source], { actor: 'test' });
    expect(changed).toMatchObject({ records: 1, linked: 0 });
    expect(await linkAt(person, record.localPatientId)).toBeUndefined();
    expect((await index.linkEvents(person.nationalId)).filter((e) => e.facilityCode === facility.code).map((e) => [e.action, e.actor]).at(-1)).toEqual(['unlink', 'sync:test']);
  });

  it('keeps a registrar’s decision whatever the source changes later', async () => {
    const { person, record } = charts[1]!;
    hospital.adapter.updateDemographics(record.localPatientId, { nationalId: null, insuranceNumber: null });
    await syncPatientChanges(index, [source], { actor: 'test' });
    const link = await linkAt(person, record.localPatientId);
    expect(link?.decision).toBe('MATCH');
    await index.resolve(link!.id, true, 'registrar:reg-1');
    hospital.adapter.updateDemographics(record.localPatientId, { birthDate: otherBirthDate(person.birthDate) });
    const [outcome] = await syncPatientChanges(index, [source], { actor: 'test' });
    expect(outcome?.records).toBe(1);
    expect(await linkAt(person, record.localPatientId)).toMatchObject({ status: 'CONFIRMED', decidedBy: 'registrar:reg-1' });
    expect((await index.get(person.nationalId))?.linkedFacilityCodes).toContain(facility.code);
  });

  it('reports a source it cannot read and leaves its checkpoint alone', async () => {
    const before = await index.feedCheckpoint(facility.code);
    const [outcome] = await syncPatientChanges(index, [{ ...source, secret: generateSigningSecret() }], { actor: 'test' });
    expect(outcome?.error).toMatch(/HTTP 401/);
    expect(await index.feedCheckpoint(facility.code)).toEqual(before);
  });
});
