import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, mkdtemp, readdir, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createXml130Adapter } from '../../../adapters/xml130/createXml130Adapter';
import { openXml130Sql, type Xml130Sql } from '../../../adapters/xml130/index/Xml130Sql';
import { Xml130SqlIndex } from '../../../adapters/xml130/index/Xml130SqlIndex';
import { XML130_INDEX_BATCH } from '../../../adapters/xml130/index/Xml130RowBatch';
import { readXml130File } from '../../../adapters/xml130/readXml130File';
import { scanXml130Folder } from '../../../adapters/xml130/scanXml130Folder';
import { COMMIT_GROUP_FILES, type Xml130Adapter } from '../../../adapters/xml130/Xml130Adapter';
import type { Xml130Hoso } from '../../../adapters/xml130/Xml130Hoso';
import { Xml130Index } from '../../../adapters/xml130/Xml130Index';
import { DEFAULT_XML130_LIMITS } from '../../../adapters/xml130/Xml130Limits';
import { CLINICAL_RESOURCE_KINDS } from '../../../contracts/model/clinical';
import { silentLogger } from '../../../core/logging/logger';
import { facilityRecordsOf } from '../../../demo/population/facilityRecordsOf';
import { createDemoPopulation, DEMO_FACILITIES } from '../../../demo/population/generatePopulation';
import { GiamDinhHsFileWriter, type HosoDocument } from '../../../demo/xml130/GiamDinhHsFileWriter';
import { hosoDocumentOf } from '../../../demo/xml130/hosoDocumentOf';
import { runAsPostgresAdmin } from '../../helpers/postgresAdmin';

/**
 * Ingest in batches (Xml130RowBatch: rows of several files per INSERT, one write in flight while
 * parsing goes on; Xml130Adapter: files committed in groups): a folder of many one-HOSO files, a
 * file of more HOSO than a batch, and one truncated file among them. Nothing of a good file is
 * lost to the bad one or to batch and group boundaries; reading everything again changes nothing;
 * a failed write commits nothing. On a real PostgreSQL database (its pool runs the write in flight
 * and the next statement on two connections).
 */
const facility = DEMO_FACILITIES[0] as (typeof DEMO_FACILITIES)[number];
const charts = facilityRecordsOf(createDemoPopulation(), facility.code);
const ONE_HOSO_FILES = COMMIT_GROUP_FILES + 10; // more than one commit group
const database = `xml130_batching_${process.pid}_${randomBytes(4).toString('hex')}_xml_ingest`;
const url = `postgres://postgres@127.0.0.1:5432/${database}`;

/** Every HOSO of the demo facility, `copies` times over with other MA_LK and MA_BN. */
function documents(copies: number, prefix = 'R'): HosoDocument[] {
  const all: HosoDocument[] = [];
  for (let copy = 0; copy < copies; copy += 1) {
    for (const chart of charts) {
      chart.record.resources.encounters.forEach((encounter) =>
        all.push(hosoDocumentOf({ ...chart, encounter }, { facilityCode: facility.code, idPrefix: `${prefix}${copy}-`, stt: all.length + 1 })));
    }
  }
  return all;
}

async function writeClaimFile(path: string, hoso: readonly HosoDocument[]): Promise<void> {
  const writer = await GiamDinhHsFileWriter.open(path, { facilityCode: facility.code, hosoCount: hoso.length, createdOn: '2026-06-30' });
  for (const item of hoso) await writer.add(item);
  await writer.close();
}

/** The in-memory index of the folder: what every HOSO read whole gives. */
async function inMemoryIndexOf(folder: string): Promise<Xml130Index> {
  const files: { path: string; mtimeMs: number; hoso: Xml130Hoso[] }[] = [];
  for (const entry of await scanXml130Folder(folder)) {
    const hoso: Xml130Hoso[] = [];
    await readXml130File(entry.path, { limits: DEFAULT_XML130_LIMITS, expectedFacilityCode: facility.code, onHoso: (h) => hoso.push(h) });
    files.push({ path: entry.path, mtimeMs: entry.mtimeMs, hoso });
  }
  return Xml130Index.build(files);
}

/** Rows of each table of the index, whatever their state: duplicates or leftovers would show here. */
async function rowCounts(): Promise<Record<string, number>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<Record<string, number>>(`SELECT
      (SELECT count(*) FROM xml130_file)::integer AS files,
      (SELECT count(*) FROM xml130_file WHERE state <> 'active')::integer AS not_active,
      (SELECT count(*) FROM xml130_hoso)::integer AS hoso,
      (SELECT count(*) FROM xml130_resources)::integer AS resources,
      (SELECT count(*) FROM xml130_diagnosis)::integer AS diagnoses,
      (SELECT count(*) FROM xml130_patient)::integer AS patients`);
    return rows[0] ?? {};
  } finally {
    await client.end();
  }
}

describe('xml130 ingest in batches and commit groups (PostgreSQL)', () => {
  let folder: string;
  let adapter: Xml130Adapter | null = null;
  const bad = join('one', '00100.xml');

  const start = async (): Promise<Xml130Adapter> => {
    adapter = await createXml130Adapter(
      { folder, watch: false, debounceMs: 0, rescanIntervalMs: 0, limits: DEFAULT_XML130_LIMITS, index: { kind: 'postgres', url } },
      { logger: silentLogger, facility },
    );
    return adapter;
  };
  const stop = async (): Promise<void> => {
    await adapter?.close();
    adapter = null;
  };

  /** Same counts and same answers as the in-memory index over the folder as it is now. */
  const expectEveryHoso = async (running: Xml130Adapter): Promise<void> => {
    const memory = await inMemoryIndexOf(folder);
    expect(running.stats()).toMatchObject({ hoso: memory.hosoCount, patients: memory.patientCount });
    const lookup = { nationalIds: [], socialInsuranceNumbers: [], birthDates: charts.map((c) => c.person.birthDate) };
    const patients = await running.findPatients(lookup);
    expect(patients).toEqual(memory.findPatients(lookup));
    const ids = patients.map((p) => p.localId);
    expect(ids.length).toBeGreaterThan(charts.length); // the copies under other MA_BN too
    for (const kind of CLINICAL_RESOURCE_KINDS) expect(await running.loadResources(kind, ids)).toEqual(memory.resources(kind, ids));
  };

  beforeAll(async () => {
    await runAsPostgresAdmin(`CREATE DATABASE ${database}`);
    folder = await mkdtemp(join(tmpdir(), 'xml130-batching-'));
    const all = documents(8);
    expect(all.length).toBeGreaterThan(2 * XML130_INDEX_BATCH + ONE_HOSO_FILES);
    // One file of more HOSO than two batches, then one-HOSO files (several per batch, two commit groups).
    const big = all.slice(0, all.length - ONE_HOSO_FILES);
    await writeClaimFile(join(folder, 'big.xml'), big);
    await mkdir(join(folder, 'one'));
    for (let i = 0; i < ONE_HOSO_FILES; i += 1) {
      await writeClaimFile(join(folder, 'one', `${String(i).padStart(5, '0')}.xml`), all.slice(big.length + i, big.length + i + 1));
    }
    // The bad one: a multi-HOSO file cut in the middle of its third HOSO (an interrupted copy).
    await writeClaimFile(join(folder, bad), documents(1, 'CUT').slice(0, 5));
    await truncate(join(folder, bad), Math.floor((await stat(join(folder, bad))).size / 2));
  }, 180_000);

  afterAll(async () => {
    await stop();
    await rm(folder, { recursive: true, force: true });
    await runAsPostgresAdmin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }, 120_000);

  it('indexes every HOSO of every good file across batches and commit groups, and reports the bad file alone', async () => {
    const running = await start();
    const files = ONE_HOSO_FILES + 1;
    expect(running.stats()).toMatchObject({ files, filesRead: files });
    const summaries = running.fileSummaries();
    const withProblems = summaries.filter((s) => s.problemCount > 0).map((s) => s.path);
    expect(withProblems).toEqual([join(folder, bad)]);
    const cut = summaries.find((s) => s.path === join(folder, bad));
    expect(cut?.hoso).toBeLessThan(5); // what was whole before the cut is read, the rest reported
    expect(running.stats().problems).toBe(cut?.problemCount);
    await expectEveryHoso(running);
    const rows = await rowCounts();
    expect(rows).toMatchObject({ files, not_active: 0, hoso: summaries.reduce((n, s) => n + s.hoso, 0) });
    expect(rows.resources).toBe(rows.hoso);
  }, 180_000);

  it('is idempotent: reading every file again (other bytes, same claims) leaves the same index, no row twice', async () => {
    const before = { stats: adapter?.stats(), rows: await rowCounts() };
    await stop();
    for (const entry of await scanXml130Folder(folder)) await appendFile(entry.path, '\n<!-- re-exported -->\n');
    const running = await start();
    expect(running.stats()).toEqual({ ...before.stats, filesRead: ONE_HOSO_FILES + 1, scans: 1 });
    expect(await rowCounts()).toEqual(before.rows);
    await expectEveryHoso(running);
  }, 180_000);

  it('re-reads only the one file changed among many on a restart', async () => {
    const before = adapter?.stats();
    await stop();
    const [name] = (await readdir(join(folder, 'one'))).sort();
    await appendFile(join(folder, 'one', name ?? ''), '\n<!-- re-exported again -->\n');
    const running = await start();
    expect(running.stats()).toEqual({ ...before, filesRead: 1 });
    await expectEveryHoso(running);
  }, 180_000);

  it('commits nothing of a group whose batch write failed, and leaves none of its rows', async () => {
    await stop();
    const rowsBefore = await rowCounts();
    const real = await openXml130Sql({ kind: 'postgres', url });
    let hosoInserts = 0;
    // The second INSERT of HOSO rows fails, as a lost connection or a full disk would.
    const failing: Xml130Sql = {
      ...real,
      query: (sql, params) => {
        if (sql.includes('INSERT INTO xml130_hoso') && ++hosoInserts === 2) return Promise.reject(new Error('disk full'));
        return real.query(sql, params);
      },
    };
    const index = await Xml130SqlIndex.open(failing, { folder, facilityCode: facility.code });
    const countsBefore = await index.counts();
    const hoso: Xml130Hoso[] = [];
    await readXml130File(join(folder, 'big.xml'), { limits: DEFAULT_XML130_LIMITS, onHoso: (h) => hoso.push(h) });
    const batch = index.newBatch();
    const small = await index.beginFile({ path: join(folder, 'new-small.xml'), size: 1, mtimeMs: 1 }, batch);
    small.add(hoso[0] as Xml130Hoso);
    const large = await index.beginFile({ path: join(folder, 'new-large.xml'), size: 1, mtimeMs: 1 }, batch);
    let failure: unknown = null;
    try {
      for (const item of hoso) {
        large.add(item);
        await large.flushIfFull();
      }
      await index.commitFiles([small, large].map((writer) => ({ writer, sha256: 'x', summary: { path: '', bytes: 0, facilityCode: null, hoso: 0, rejected: 0, tables: {}, problems: [], problemCount: 0 }, replacing: null })));
    } catch (error) {
      failure = error;
    }
    expect(failure).toEqual(new Error('disk full'));
    expect(hosoInserts).toBeGreaterThanOrEqual(2);
    await index.abandonFiles([small, large]);
    expect(await index.counts()).toEqual(countsBefore);
    await index.close();
    expect(await rowCounts()).toEqual(rowsBefore);
  }, 180_000);
});
