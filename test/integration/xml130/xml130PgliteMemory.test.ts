import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgliteDataDir } from '../../../adapters/sql-his/createPgliteDataDir';
import { PgliteDatabase } from '../../../adapters/sql-his/PgliteDatabase';
import { openXml130Sql, PGLITE_INDEX_BATCH, PGLITE_INDEX_SETTINGS, PGLITE_INDEX_YOUNG_GENERATION_MB, type Xml130Sql } from '../../../adapters/xml130/index/Xml130Sql';
import { Xml130SqlIndex } from '../../../adapters/xml130/index/Xml130SqlIndex';
import { XML130_INDEX_BATCH } from '../../../adapters/xml130/index/Xml130RowBatch';
import { readXml130File } from '../../../adapters/xml130/readXml130File';
import type { Xml130Hoso } from '../../../adapters/xml130/Xml130Hoso';
import { DEFAULT_XML130_LIMITS } from '../../../adapters/xml130/Xml130Limits';
import { facilityRecordsOf } from '../../../demo/population/facilityRecordsOf';
import { createDemoPopulation, DEMO_FACILITIES } from '../../../demo/population/generatePopulation';
import { GiamDinhHsFileWriter, type HosoDocument } from '../../../demo/xml130/GiamDinhHsFileWriter';
import { hosoDocumentOf } from '../../../demo/xml130/hosoDocumentOf';

/**
 * What keeps the QĐ 130 index on PGlite small while it ingests (issue 9: 1,000,000 HOSO under
 * 300 MB): statements of PGLITE_INDEX_BATCH HOSO, not the 500 of PostgreSQL, and a capped young
 * generation for the worker thread PGlite runs on. Both are measured in bench/RESULTS.md ("xml130
 * on PGlite under 300 MB"); here they are pinned where a change would undo them.
 */
const facility = DEMO_FACILITIES[0] as (typeof DEMO_FACILITIES)[number];
const MB = 1024 * 1024;

describe('xml130 index on PGlite: bounded statements and worker heap', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xml130-pglite-memory-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes HOSO to PGlite in statements of PGLITE_INDEX_BATCH rows, smaller than PostgreSQL\'s', async () => {
    expect(PGLITE_INDEX_BATCH).toBeLessThan(XML130_INDEX_BATCH);
    const charts = facilityRecordsOf(createDemoPopulation(), facility.code);
    const documents: HosoDocument[] = [];
    for (let copy = 0; documents.length < 2 * PGLITE_INDEX_BATCH + 10; copy += 1) {
      for (const chart of charts) {
        for (const encounter of chart.record.resources.encounters) {
          documents.push(hosoDocumentOf({ ...chart, encounter }, { facilityCode: facility.code, idPrefix: `M${copy}-`, stt: documents.length + 1 }));
        }
      }
    }
    const path = join(dir, 'claims.xml');
    const file = await GiamDinhHsFileWriter.open(path, { facilityCode: facility.code, hosoCount: documents.length, createdOn: '2026-06-30' });
    for (const document of documents) await file.add(document);
    await file.close();
    const hoso: Xml130Hoso[] = [];
    await readXml130File(path, { limits: DEFAULT_XML130_LIMITS, onHoso: (h) => hoso.push(h) });

    const real = await openXml130Sql({ kind: 'pglite', dataDir: join(dir, 'index') });
    const rowsPerInsert: number[] = [];
    const counting: Xml130Sql = {
      ...real,
      query: (sql, params) => {
        if (sql.includes('INSERT INTO xml130_hoso')) rowsPerInsert.push((params?.[0] as unknown[]).length);
        return real.query(sql, params);
      },
    };
    const index = await Xml130SqlIndex.open(counting, { folder: dir, facilityCode: facility.code });
    try {
      const writer = await index.beginFile({ path, size: 1, mtimeMs: 1 });
      for (const item of hoso) {
        writer.add(item);
        await writer.flushIfFull();
      }
      await index.commitFile(writer, 'hash', { path, bytes: 0, facilityCode: null, hoso: hoso.length, rejected: 0, tables: {}, problems: [], problemCount: 0 }, null);
      expect(await index.counts()).toMatchObject({ hoso: hoso.length });
      expect(Math.max(...rowsPerInsert)).toBe(PGLITE_INDEX_BATCH);
      expect(rowsPerInsert.reduce((sum, n) => sum + n, 0)).toBe(hoso.length);
    } finally {
      await index.close();
    }
  }, 180_000);

  it('keeps the worker thread\'s young generation small under a stream of large statements', async () => {
    const dataDir = join(dir, 'heap');
    await createPgliteDataDir(dataDir);
    const db = PgliteDatabase.open({ dataDir, settings: PGLITE_INDEX_SETTINGS, youngGenerationMb: PGLITE_INDEX_YOUNG_GENERATION_MB });
    try {
      await db.ready();
      await db.query('CREATE TABLE blobs (id integer, payload bytea)');
      // 40 statements of 300 payloads of 2 KB (~1.2 MB of hex text each), as ingest sends them.
      for (let i = 0; i < 40; i += 1) {
        const payloads = Array.from({ length: 300 }, () => randomBytes(2048));
        await db.query('INSERT INTO blobs SELECT * FROM unnest($1::integer[], $2::bytea[])', [payloads.map((_, n) => n), payloads]);
      }
      const memory = await db.memory();
      expect(memory.wasmBytes).toBeGreaterThan(0);
      // V8's default lets the young generation grow to ~48 MB here (worker heap ~50–56 MB in total);
      // capped, the worker's heap stays near its ~20 MB of PGlite glue plus an old space whose size
      // depends on when V8 last collected (up to ~40 MB seen in CI): 45 MB still tells them apart.
      expect(memory.workerHeapTotalBytes).toBeLessThan(45 * MB);
    } finally {
      await db.close();
    }
  }, 180_000);
});
