import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, unlink, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PatientLookup } from '../../../adapters/sdk/ClinicalAdapter';
import type { PseudonymBasis } from '../../../adapters/sdk/population/patientPseudonym';
import type { PopulationQuery, PopulationRow } from '../../../adapters/sdk/population/PopulationQuery';
import { createXml130Adapter } from '../../../adapters/xml130/createXml130Adapter';
import { findDuplicateMaLk } from '../../../adapters/xml130/findDuplicateMaLk';
import type { Xml130IndexStore } from '../../../adapters/xml130/index/Xml130IndexStore';
import { openXml130Sql } from '../../../adapters/xml130/index/Xml130Sql';
import { Xml130SqlIndex } from '../../../adapters/xml130/index/Xml130SqlIndex';
import { readXml130File } from '../../../adapters/xml130/readXml130File';
import { scanXml130Folder } from '../../../adapters/xml130/scanXml130Folder';
import type { Xml130Adapter } from '../../../adapters/xml130/Xml130Adapter';
import type { Xml130Hoso } from '../../../adapters/xml130/Xml130Hoso';
import { Xml130Index } from '../../../adapters/xml130/Xml130Index';
import { DEFAULT_XML130_LIMITS } from '../../../adapters/xml130/Xml130Limits';
import { CLINICAL_RESOURCE_KINDS } from '../../../contracts/model/clinical';
import { silentLogger } from '../../../core/logging/logger';
import { facilityRecordsOf, type PersonAtFacility } from '../../../demo/population/facilityRecordsOf';
import { createDemoPopulation, DEMO_FACILITIES } from '../../../demo/population/generatePopulation';
import { GiamDinhHsFileWriter, type HosoDocument } from '../../../demo/xml130/GiamDinhHsFileWriter';
import { hosoDocumentOf } from '../../../demo/xml130/hosoDocumentOf';
import { runAsPostgresAdmin } from '../../helpers/postgresAdmin';

/**
 * The on-disk index (PGlite in a data directory, and a real PostgreSQL database) against the
 * in-memory index it replaced: the same answers to every question the adapter serves, over files
 * that resubmit episodes (same MA_LK); and a restart that re-reads only what changed.
 */
const population = createDemoPopulation();
const facility = DEMO_FACILITIES[0] as (typeof DEMO_FACILITIES)[number];
const charts = facilityRecordsOf(population, facility.code).slice(0, 24);
const pseudonymOf = (basis: PseudonymBasis): string => `${basis.kind}:${basis.value}`;

const QUERIES: readonly PopulationQuery[] = [
  { measure: 'ENCOUNTERS', groupBy: [], from: null, to: null, icd10Prefixes: null, encounterClasses: null },
  { measure: 'ENCOUNTERS', groupBy: ['ICD10_CHAPTER', 'SEX', 'AGE_BAND'], from: null, to: null, icd10Prefixes: null, encounterClasses: null },
  { measure: 'CONDITIONS', groupBy: ['ICD10_CATEGORY', 'YEAR'], from: '2020-01-01', to: '2025-12-31', icd10Prefixes: null, encounterClasses: null },
  { measure: 'PATIENTS', groupBy: ['ICD10_CHAPTER', 'QUARTER'], from: null, to: null, icd10Prefixes: null, encounterClasses: null },
  { measure: 'PATIENTS', groupBy: ['PROVINCE', 'FACILITY', 'MONTH', 'ENCOUNTER_CLASS'], from: '2021-01-01', to: null, icd10Prefixes: null, encounterClasses: ['AMBULATORY', 'INPATIENT'] },
  { measure: 'COST', groupBy: ['ICD10_CATEGORY', 'YEAR'], from: null, to: null, icd10Prefixes: null, encounterClasses: null },
];

/** Questions filtered by ICD-10 prefixes taken from the codes present (a letter; a code with its dot) and by a class present. */
function filteredQueries(codes: readonly string[], encounterClass: string): PopulationQuery[] {
  const [a = 'A', b = 'B'] = [...codes].sort();
  return [
    { measure: 'CONDITIONS', groupBy: ['ICD10_CODE'], from: null, to: null, icd10Prefixes: [a.slice(0, 1), b], encounterClasses: null },
    { measure: 'ENCOUNTERS', groupBy: ['ICD10_CODE', 'AGE_BAND'], from: null, to: '2025-06-30', icd10Prefixes: [b.slice(0, 3).toLowerCase()], encounterClasses: [encounterClass] },
    { measure: 'PATIENTS', groupBy: ['ICD10_CATEGORY', 'SEX'], from: null, to: null, icd10Prefixes: [a], encounterClasses: null },
  ];
}

function documentsOf(chart: PersonAtFacility, reasonText?: string): HosoDocument[] {
  return chart.record.resources.encounters.map((encounter, i) =>
    hosoDocumentOf({ ...chart, encounter: reasonText === undefined ? encounter : { ...encounter, reasonText } }, { facilityCode: facility.code, idPrefix: '', stt: i + 1 }));
}

async function writeClaimFile(path: string, hoso: readonly HosoDocument[], mtimeSeconds: number): Promise<void> {
  const writer = await GiamDinhHsFileWriter.open(path, { facilityCode: facility.code, hosoCount: hoso.length, createdOn: '2026-06-30' });
  for (const item of hoso) await writer.add(item);
  await writer.close();
  await utimes(path, mtimeSeconds, mtimeSeconds);
}

/** The in-memory index of the folder as it is now: what the adapter served before the index moved to disk. */
async function inMemoryIndexOf(folder: string): Promise<{ index: Xml130Index; replaced: number }> {
  const files: { path: string; mtimeMs: number; hoso: Xml130Hoso[] }[] = [];
  for (const entry of await scanXml130Folder(folder)) {
    const hoso: Xml130Hoso[] = [];
    await readXml130File(entry.path, { limits: DEFAULT_XML130_LIMITS, expectedFacilityCode: facility.code, onHoso: (h) => hoso.push(h) });
    files.push({ path: entry.path, mtimeMs: entry.mtimeMs, hoso });
  }
  const replaced = findDuplicateMaLk(files.map((f) => ({ path: f.path, mtimeMs: f.mtimeMs, maLks: f.hoso.map((h) => h.maLk) }))).length;
  return { index: Xml130Index.build(files), replaced };
}

const normalizedRows = (rows: readonly PopulationRow[]): PopulationRow[] =>
  rows.map((row) => ({ ...row, pseudonyms: row.pseudonyms === null ? null : [...row.pseudonyms].sort() }))
    .sort((a, b) => (JSON.stringify(a.values) < JSON.stringify(b.values) ? -1 : 1));

/** Every question the adapter answers, asked of both indexes, must get the same answer. */
async function expectSameAnswers(adapter: Xml130Adapter, folder: string): Promise<void> {
  const { index: memory, replaced } = await inMemoryIndexOf(folder);
  expect(adapter.stats()).toMatchObject({ hoso: memory.hosoCount, patients: memory.patientCount, replacedMaLk: replaced });
  const people = charts.map(({ person }) => person);
  const lookups: PatientLookup[] = [
    { nationalIds: people.map((p) => p.nationalId), socialInsuranceNumbers: [], birthDates: [] },
    { nationalIds: [], socialInsuranceNumbers: people.flatMap((p) => (p.insuranceNumber ? [p.insuranceNumber.slice(-10)] : [])), birthDates: [] },
    { nationalIds: [], socialInsuranceNumbers: [], birthDates: people.map((p) => p.birthDate) },
  ];
  for (const lookup of lookups) expect(await adapter.findPatients(lookup)).toEqual(memory.findPatients(lookup));
  const all = memory.findPatients(lookups[2] as PatientLookup).map((p) => p.localId);
  expect(all.length).toBeGreaterThan(0);
  for (const kind of CLINICAL_RESOURCE_KINDS) {
    const ids = [...all, 'NO-SUCH-MA-BN', all[0] ?? ''];
    expect(await adapter.loadResources(kind, ids)).toEqual(memory.resources(kind, ids));
  }
  for (const filter of [{ from: null, to: null }, { from: '2022-01-01', to: '2024-12-31' }, { from: '2030-01-01', to: null }]) {
    expect(await adapter.encounterCount(filter)).toBe(memory.encounterCount(filter));
    const byCode = (a: { code: string }, b: { code: string }): number => (a.code < b.code ? -1 : 1);
    expect([...(await adapter.diagnosisCounts(filter))].sort(byCode)).toEqual(memory.diagnosisCounts(filter).sort(byCode));
  }
  const codes = memory.diagnosisCounts({ from: null, to: null }).map((c) => c.code);
  const encounterClass = memory.resources('encounters', all)[0]?.resource.class ?? 'AMBULATORY';
  for (const query of [...QUERIES, ...filteredQueries(codes, encounterClass)]) {
    const expected = normalizedRows(memory.population(query, pseudonymOf, facility.code));
    if (expected.length === 0) throw new Error(`the test data gives no cells for ${JSON.stringify(query)}`);
    expect(normalizedRows(await adapter.population(query, pseudonymOf))).toEqual(expected);
  }
}

interface StoreUnderTest {
  readonly name: string;
  setUp(): Promise<Xml130IndexStore>;
  tearDown(): Promise<void>;
}

const stores: StoreUnderTest[] = [
  (() => {
    let dataDir = '';
    return {
      name: 'PGlite in a data directory',
      setUp: async () => {
        dataDir = await mkdtemp(join(tmpdir(), 'xml130-index-'));
        return { kind: 'pglite', dataDir } as const;
      },
      tearDown: () => rm(dataDir, { recursive: true, force: true }),
    };
  })(),
  (() => {
    const database = `xml130_index_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = runAsPostgresAdmin;
    return {
      name: 'PostgreSQL',
      setUp: async () => {
        await admin(`CREATE DATABASE ${database}`);
        return { kind: 'postgres', url: `postgres://postgres@127.0.0.1:5432/${database}` } as const;
      },
      tearDown: () => admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`),
    };
  })(),
];

describe.each(stores)('xml130 index on disk: $name', (store) => {
  let folder: string;
  let index: Xml130IndexStore;
  let adapter: Xml130Adapter | null = null;
  const [first, second, third] = [charts.slice(0, 8), charts.slice(8, 16), charts.slice(16, 24)];

  const start = async (): Promise<Xml130Adapter> => {
    adapter = await createXml130Adapter(
      { folder, watch: false, debounceMs: 0, rescanIntervalMs: 0, limits: DEFAULT_XML130_LIMITS, index },
      { logger: silentLogger, facility },
    );
    return adapter;
  };
  const stop = async (): Promise<void> => {
    await adapter?.close();
    adapter = null;
  };
  const found = async (running: Xml130Adapter, chart: PersonAtFacility): Promise<number> =>
    (await running.findPatients({ nationalIds: [chart.person.nationalId], socialInsuranceNumbers: [], birthDates: [] })).length;

  beforeAll(async () => {
    index = await store.setUp();
    folder = await mkdtemp(join(tmpdir(), 'xml130-disk-'));
    await writeClaimFile(join(folder, 'a.xml'), first.flatMap((c) => documentsOf(c)), 1_700_000_000);
    await writeClaimFile(join(folder, 'b.xml'), second.flatMap((c) => documentsOf(c)), 1_700_000_100);
    // c.xml resubmits the episodes of two charts of a.xml (same MA_LK), later: its copies win.
    await writeClaimFile(join(folder, 'c.xml'), [...third, ...first.slice(0, 2)].flatMap((c) => documentsOf(c, 'Gửi lại')), 1_700_000_200);
  }, 120_000);

  afterAll(async () => {
    await stop();
    await rm(folder, { recursive: true, force: true });
    await store.tearDown();
  }, 120_000);

  it('answers every question as the in-memory index did, resubmitted episodes included', async () => {
    const running = await start();
    expect(running.stats()).toMatchObject({ files: 3, filesRead: 3, problems: 0 });
    expect(running.stats().replacedMaLk).toBeGreaterThan(0);
    const replacedEpisode = first[0]?.person.nationalId ?? '';
    const [patient] = await running.findPatients({ nationalIds: [replacedEpisode], socialInsuranceNumbers: [], birthDates: [] });
    const encounters = await running.loadResources('encounters', [patient?.localId ?? '']);
    expect(encounters.length).toBeGreaterThan(0);
    expect(encounters.every((e) => e.resource.reasonText === 'Gửi lại')).toBe(true); // the newer file's copy
    await expectSameAnswers(running, folder);
  }, 120_000);

  it('re-reads nothing on a restart when nothing changed', async () => {
    const before = adapter?.stats();
    await stop();
    const running = await start();
    expect(running.stats()).toMatchObject({ files: 3, filesRead: 0, hoso: before?.hoso, patients: before?.patients, replacedMaLk: before?.replacedMaLk });
    await expectSameAnswers(running, folder);
  }, 120_000);

  it('re-reads only the changed file on a restart, drops a deleted file, and brings back the copies it had replaced', async () => {
    await stop();
    await writeClaimFile(join(folder, 'b.xml'), second.slice(0, 4).flatMap((c) => documentsOf(c, 'Đã sửa')), 1_700_000_300);
    await unlink(join(folder, 'c.xml'));
    const running = await start();
    expect(running.stats()).toMatchObject({ files: 2, filesRead: 1, replacedMaLk: 0 });
    expect(await found(running, third[0] as PersonAtFacility)).toBe(0); // only c.xml had it
    expect(await found(running, second[7] as PersonAtFacility)).toBe(0); // no longer in b.xml
    const [patient] = await running.findPatients({ nationalIds: [first[0]?.person.nationalId ?? ''], socialInsuranceNumbers: [], birthDates: [] });
    const encounters = await running.loadResources('encounters', [patient?.localId ?? '']);
    expect(encounters.every((e) => e.resource.reasonText !== 'Gửi lại')).toBe(true); // a.xml's copy is back
    await expectSameAnswers(running, folder);
  }, 120_000);

  it('does not re-read a file whose bytes are unchanged when only its time changed', async () => {
    await stop();
    await utimes(join(folder, 'a.xml'), 1_700_000_400, 1_700_000_400);
    const running = await start();
    expect(running.stats()).toMatchObject({ files: 2, filesRead: 0 });
    await expectSameAnswers(running, folder);
  }, 120_000);
});

describe('xml130 index on disk: what a stopped process leaves, and whose index it is', () => {
  let dataDir: string;
  let folder: string;
  const summary = { path: '', bytes: 0, facilityCode: facility.code, hoso: 0, rejected: 0, tables: {}, problems: [], problemCount: 0 };
  const lookup = (chart: PersonAtFacility): PatientLookup => ({ nationalIds: [chart.person.nationalId], socialInsuranceNumbers: [], birthDates: [] });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'xml130-index-'));
    folder = await mkdtemp(join(tmpdir(), 'xml130-disk-'));
    await writeClaimFile(join(folder, 'a.xml'), documentsOf(charts[0] as PersonAtFacility), 1_700_000_000);
  }, 120_000);

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
    await rm(folder, { recursive: true, force: true });
  });

  it('never serves a file being written, and drops it at the next start when the process stopped mid-file', async () => {
    const hoso: Xml130Hoso[] = [];
    await readXml130File(join(folder, 'a.xml'), { limits: DEFAULT_XML130_LIMITS, onHoso: (h) => hoso.push(h) });
    const identity = { folder, facilityCode: facility.code };
    const index = await Xml130SqlIndex.open(await openXml130Sql({ kind: 'pglite', dataDir }), identity);
    const writer = await index.beginFile({ path: join(folder, 'a.xml'), size: 1, mtimeMs: 1 });
    for (const item of hoso) writer.add(item);
    await writer.flush(); // written, not committed
    expect(await index.counts()).toEqual({ hoso: 0, patients: 0, replacedMaLk: 0 });
    expect(await index.findPatients(lookup(charts[0] as PersonAtFacility))).toEqual([]);
    expect(await index.resources('encounters', [hoso[0]?.patient.localId ?? ''])).toEqual([]);
    await index.close(); // the process "stops" here

    const reopened = await Xml130SqlIndex.open(await openXml130Sql({ kind: 'pglite', dataDir }), identity);
    expect((await reopened.files()).size).toBe(0);
    const again = await reopened.beginFile({ path: join(folder, 'a.xml'), size: 1, mtimeMs: 1 });
    for (const item of hoso) again.add(item);
    await reopened.commitFile(again, 'hash', summary, null);
    expect(await reopened.counts()).toMatchObject({ hoso: hoso.length, replacedMaLk: 0 }); // the first attempt's rows are gone
    expect(await reopened.findPatients(lookup(charts[0] as PersonAtFacility))).toHaveLength(1);
    await reopened.close();
    const sql = await openXml130Sql({ kind: 'pglite', dataDir });
    const rows = await sql.query('SELECT (SELECT count(*) FROM xml130_hoso)::integer AS hoso, (SELECT count(*) FROM xml130_resources)::integer AS resources');
    await sql.close();
    expect(rows[0]).toEqual({ hoso: hoso.length, resources: hoso.length }); // nothing left of the stopped attempt

    // The same data directory opened for another facility's folder starts empty.
    const other = await Xml130SqlIndex.open(await openXml130Sql({ kind: 'pglite', dataDir }), { folder: '/elsewhere', facilityCode: facility.code });
    expect((await other.files()).size).toBe(0);
    expect(await other.counts()).toEqual({ hoso: 0, patients: 0, replacedMaLk: 0 });
    await other.close();
  }, 120_000);
});
