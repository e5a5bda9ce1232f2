import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { generateSigningSecret } from '../../../core/security/generateSigningSecret';
import { buildDemoPatientIndex } from '../../../demo/identity/buildDemoPatientIndex';
import { startDemoHospital, type SyntheticDemoHospital } from '../../../demo/hospitals/startDemoHospital';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import type { Population, SyntheticPerson } from '../../../demo/population/types';
import { startDemoNetwork, type DemoNetwork } from '../../../demo/startDemoNetwork';
import type { FeedSource } from '../../../subgraphs/identity/fetchPatientChanges';
import { ANSWER_ACTOR, learnFromAnswers } from '../../../subgraphs/identity/learnFromAnswers';
import { openSqlPatientIndex } from '../../../subgraphs/identity/openSqlPatientIndex';
import type { PatientLink, SqlPatientIndex } from '../../../subgraphs/identity/SqlPatientIndex';
import { syncPatientChanges } from '../../../subgraphs/identity/syncPatientChanges';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL } from '../../helpers/postGraphQL';
import { runAsPostgresAdmin } from '../../helpers/postgresAdmin';
import { tokenFor } from '../../helpers/tokens';

const ENCOUNTERS = 'query($id: ID!) { patient(nationalId: $id) { encounters { id source { facilityCode } } } }';

/**
 * The demo population with one person whose charts carry neither national ID nor card at any
 * hospital (typed at the front desk): the national visit history does not know them, and each
 * hospital can only match them by name, birth date and gender.
 */
function withFrontDeskPerson(base: Population): { population: Population; person: SyntheticPerson } {
  const chosen = base.people.find((p) => p.records.length >= 1 && p.records.some((r) => r.resources.encounters.length > 0) && (p.gender === 'MALE' || p.gender === 'FEMALE'));
  if (!chosen) throw new Error('fixture: nobody with encounters');
  const person: SyntheticPerson = { ...chosen, records: chosen.records.map((r) => ({ ...r, hasNationalId: false, hasInsuranceNumber: false })) };
  return { population: { ...base, people: base.people.map((p) => (p === chosen ? person : p)) }, person };
}

/** Polls the index (no fixed sleep decides anything): the link appears when the background learning is done. */
async function linkAppears(index: SqlPatientIndex, nationalId: string, facilityCode: string, localId: string): Promise<PatientLink> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const link = (await index.linksOf(nationalId)).find((l) => l.facilityCode === facilityCode && l.localId === localId);
    if (link) return link;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the index never learned the link');
}

describe('the patient index learns from clinical answers (through the real gateway, PostgreSQL index)', () => {
  const { population, person } = withFrontDeskPerson(createDemoPopulation(30));
  const record = person.records.find((r) => r.resources.encounters.length > 0)!;
  const name = `identity_learn_identity_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = `postgres://postgres@127.0.0.1:5432/${name}`;
  const logs = captureLogger();
  let network: DemoNetwork;
  let index: SqlPatientIndex;

  beforeAll(async () => {
    await runAsPostgresAdmin(`CREATE DATABASE ${name}`);
    const facilityCodes = new Set(person.records.map((r) => r.facilityCode));
    network = await startDemoNetwork({
      logger: logs.logger,
      population,
      hospitalKinds: 'synthetic',
      facilities: population.facilities.filter((f) => facilityCodes.has(f.code)),
      patientIndex: { kind: 'postgres', url },
    });
    index = await openSqlPatientIndex({ kind: 'postgres', url });
    // The index has not heard of this person's charts yet (a hospital that never sent a feed).
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query('DELETE FROM identity_link WHERE national_id = $1', [person.nationalId]);
    await client.end();
  }, 180_000);

  afterAll(async () => {
    await network?.stop();
    await index?.close();
    await runAsPostgresAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }, 60_000);

  it('links the chart a hospital matched by demographics after the answer, without the client selecting match', async () => {
    expect(await index.linksOf(person.nationalId)).toEqual([]);
    const { body } = await postGraphQL<{ patient: { encounters: { id: string; source: { facilityCode: string } }[] } }>(
      network.gateway.url, ENCOUNTERS, { id: person.nationalId }, await tokenFor('patient', { sub: person.nationalId }));
    expect(body.errors).toBeUndefined();
    expect(body.data?.patient.encounters.map((e) => e.source.facilityCode)).toContain(record.facilityCode);
    // The internal alias that told the gateway how the chart was matched never reaches the client.
    expect(JSON.stringify(body)).not.toContain('_pg');

    const link = await linkAppears(index, person.nationalId, record.facilityCode, record.localPatientId);
    expect(link).toMatchObject({ method: 'DEMOGRAPHICS', decision: 'MATCH', status: 'AUTOMATIC', decidedBy: ANSWER_ACTOR });
    expect(link.agreed).toEqual(expect.arrayContaining(['fullName', 'birthDate', 'gender']));
    // The index now routes to the hospital: the person's record locator names it.
    expect((await index.get(person.nationalId))?.linkedFacilityCodes).toContain(record.facilityCode);
    expect((await index.linkEvents(person.nationalId)).some((e) => e.action === 'link' && e.actor === ANSWER_ACTOR)).toBe(true);
  }, 90_000);

  it('writes no name, birth date or national ID into any log line while learning', () => {
    const all = logs.lines.join('\n');
    expect(all).toContain('identity.learned-from-answers');
    expect(all).not.toContain(person.nationalId);
    expect(all).not.toContain(person.name.full);
    expect(all).not.toContain(person.birthDate);
  });
});

describe('learnFromAnswers: what the source says decides, and the feed re-evaluates a learned link', () => {
  const base = createDemoPopulation(30);
  const { population, person } = withFrontDeskPerson(base);
  const record = person.records[0]!;
  const facility = population.facilities.find((f) => f.code === record.facilityCode)!;
  const name = `identity_learn2_identity_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = `postgres://postgres@127.0.0.1:5432/${name}`;
  const secret = generateSigningSecret();
  let hospital: SyntheticDemoHospital;
  let index: SqlPatientIndex;
  let source: FeedSource;

  beforeAll(async () => {
    await runAsPostgresAdmin(`CREATE DATABASE ${name}`);
    index = await openSqlPatientIndex({ kind: 'postgres', url });
    await index.upsertPeople(buildDemoPatientIndex(population).map((p) => ({ ...p })));
    hospital = await startDemoHospital({ facility, population, logger: captureLogger().logger, signing: { secret, target: facility.code } });
    source = { code: facility.code, url: hospital.url, secret };
  }, 120_000);

  afterAll(async () => {
    await hospital?.stop();
    await index?.close();
    await runAsPostgresAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }, 60_000);

  const linkAt = async () => (await index.linksOf(person.nationalId)).find((l) => l.facilityCode === facility.code && l.localId === record.localPatientId);

  it('skips a facility it cannot ask and a person it does not hold, linking nothing', async () => {
    const outcome = await learnFromAnswers(index, [{ facilityCode: '99999', nationalId: person.nationalId }, { facilityCode: facility.code, nationalId: '001099000001' }], { sourceOf: (code) => (code === facility.code ? source : undefined) });
    expect(outcome).toEqual({ registered: 0, linked: 0, review: 0, unmatched: 0, failedSources: ['99999'] });
    expect(await linkAt()).toBeUndefined();
  });

  it('reports a source that refuses (wrong secret) and links nothing', async () => {
    const outcome = await learnFromAnswers(index, [{ facilityCode: facility.code, nationalId: person.nationalId }], { sourceOf: () => ({ ...source, secret: generateSigningSecret() }) });
    expect(outcome.failedSources).toEqual([facility.code]);
    expect(await linkAt()).toBeUndefined();
  });

  it('links the record the source matched, then the feed unlinks it when the source changes the birth date', async () => {
    const outcome = await learnFromAnswers(index, [{ facilityCode: facility.code, nationalId: person.nationalId }], { sourceOf: () => source });
    expect(outcome).toMatchObject({ linked: outcome.registered, failedSources: [] });
    expect(await linkAt()).toMatchObject({ method: 'DEMOGRAPHICS', decision: 'MATCH', decidedBy: ANSWER_ACTOR });

    const year = Number(person.birthDate.slice(0, 4)) - 9;
    hospital.adapter.updateDemographics(record.localPatientId, { birthDate: `${year}-${person.birthDate.slice(5, 7) === '03' ? '11' : '03'}-21` });
    const [synced] = await syncPatientChanges(index, [source], { actor: 'test' });
    expect(synced?.error).toBeUndefined();
    expect(await linkAt()).toBeUndefined();
    expect((await index.linkEvents(person.nationalId)).some((e) => e.action === 'unlink' && e.actor === 'sync:test')).toBe(true);
  });
});
