import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createXml130Adapter } from '../../adapters/xml130/createXml130Adapter';
import type { Xml130Config } from '../../adapters/xml130/parseXml130Config';
import type { Xml130Adapter } from '../../adapters/xml130/Xml130Adapter';
import { DEFAULT_XML130_LIMITS } from '../../adapters/xml130/Xml130Limits';
import type { PgliteDatabase } from '../../adapters/sql-his/PgliteDatabase';
import { writeXml130Folder, type WrittenXml130Folder } from '../xml130/writeXml130Folder';
import { serveDemoHospital, type DemoHospital, type DemoHospitalOptions } from './DemoHospital';

export interface Xml130DemoHospitalOptions extends DemoHospitalOptions {
  /** Folder to write the claim files to; default a fresh temporary folder, removed on stop. */
  readonly folder?: string;
  /** HOSO per file (default 50). */
  readonly hosoPerFile?: number;
  /**
   * Adapter settings other than the folder (default: watch on, default limits, the index in PGlite
   * in a fresh temporary data directory, removed on stop; the adapter logs where).
   */
  readonly config?: Partial<Omit<Xml130Config, 'folder'>>;
  /** Keep the index in this open database (the demo's shared one; the caller closes it) instead of a data directory of its own. */
  readonly pglite?: PgliteDatabase;
}

export interface Xml130DemoHospital extends DemoHospital {
  /** The source behind it: stats, file summaries, `refresh()`. */
  readonly adapter: Xml130Adapter;
  /** The folder of claim files the adapter follows. */
  readonly folder: string;
  /** Where the adapter's index lives (a PGlite data directory), or a description of its store. */
  readonly index: string;
  readonly written: WrittenXml130Folder;
}

/**
 * Serves one demo hospital whose clinical source is a folder of QĐ 130 claim files: the facility's
 * charts of the population are written as GIAMDINHHS files, the xml130 adapter indexes (and
 * follows) the folder, and the clinical subgraph serves it over HTTP.
 */
export async function startXml130DemoHospital(options: Xml130DemoHospitalOptions): Promise<Xml130DemoHospital> {
  const { facility } = options;
  const logger = options.logger.child({ facilityCode: facility.code });
  const ownFolder = options.folder === undefined;
  const folder = options.folder ?? (await mkdtemp(join(tmpdir(), `patient-graph-xml130-${facility.code}-`)));
  const ownIndex = options.config?.index === undefined && options.pglite === undefined;
  const indexDir = ownIndex ? await mkdtemp(join(tmpdir(), `patient-graph-xml130-index-${facility.code}-`)) : null;
  const cleanUp = async (): Promise<void> => {
    if (ownFolder) await rm(folder, { recursive: true, force: true });
    if (indexDir !== null) await rm(indexDir, { recursive: true, force: true });
  };
  try {
    const written = await writeXml130Folder({ population: options.population, facility, folder, hosoPerFile: options.hosoPerFile ?? 50 });
    const adapter = await createXml130Adapter(
      { watch: true, debounceMs: 200, rescanIntervalMs: 30_000, limits: DEFAULT_XML130_LIMITS, index: { kind: 'pglite', dataDir: indexDir }, ...options.config, folder },
      { logger, facility, ...(options.pglite ? { pglite: options.pglite } : {}) },
    );
    const hospital = await serveDemoHospital(options, adapter, async () => {
      await adapter.close();
      await cleanUp();
    }).catch(async (error: unknown) => {
      await adapter.close();
      throw error;
    });
    const store = options.config?.index ?? { kind: 'pglite', dataDir: indexDir };
    const index = store.kind === 'postgres' ? 'PostgreSQL' : `${(options.pglite ? options.pglite.dataDir : store.dataDir) ?? 'memory'} (PGlite)`;
    return { ...hospital, adapter, folder, index, written };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
