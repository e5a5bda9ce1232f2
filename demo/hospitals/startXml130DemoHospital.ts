import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Facility } from '../../adapters/sdk/ClinicalAdapter';
import { CountingAdapter } from '../../adapters/sdk/CountingAdapter';
import type { MatchOptions } from '../../adapters/sdk/matchPatients';
import { createXml130Adapter } from '../../adapters/xml130/createXml130Adapter';
import type { Xml130Config } from '../../adapters/xml130/parseXml130Config';
import type { Xml130Adapter } from '../../adapters/xml130/Xml130Adapter';
import { DEFAULT_XML130_LIMITS } from '../../adapters/xml130/Xml130Limits';
import type { Logger } from '../../core/logging/logger';
import type { SubgraphSigning } from '../../subgraphs/serveSubgraph';
import type { Population } from '../population/types';
import { writeXml130Folder, type WrittenXml130Folder } from '../xml130/writeXml130Folder';
import type { DemoHospital } from './DemoHospital';
import { serveClinicalSubgraph } from '../../adapters/sdk/serveClinicalSubgraph';

export interface Xml130DemoHospitalOptions {
  readonly facility: Facility;
  readonly population: Population;
  readonly logger: Logger;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Folder to write the claim files to; default a fresh temporary folder, removed on stop. */
  readonly folder?: string;
  /** HOSO per file (default 50). */
  readonly hosoPerFile?: number;
  /** Adapter settings other than the folder (default: watch on, default limits). */
  readonly config?: Partial<Omit<Xml130Config, 'folder'>>;
  readonly match?: MatchOptions;
  /** Request signing (target: the facility code); without it the hospital accepts unsigned requests. */
  readonly signing: SubgraphSigning;
}

export interface Xml130DemoHospital extends DemoHospital {
  /** The source behind it: stats, file summaries, `refresh()`. */
  readonly adapter: Xml130Adapter;
  /** The folder of claim files the adapter follows. */
  readonly folder: string;
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
  const cleanUp = async (): Promise<void> => {
    if (ownFolder) await rm(folder, { recursive: true, force: true });
  };
  try {
    const written = await writeXml130Folder({ population: options.population, facility, folder, hosoPerFile: options.hosoPerFile ?? 50 });
    const adapter = await createXml130Adapter(
      { watch: true, debounceMs: 200, rescanIntervalMs: 30_000, limits: DEFAULT_XML130_LIMITS, ...options.config, folder },
      { logger, facility },
    );
    const calls = new CountingAdapter(adapter);
    const running = await serveClinicalSubgraph({
      facility,
      adapter: calls,
      logger,
      ...(options.match ? { match: options.match } : {}),
      ...(options.host !== undefined ? { host: options.host } : {}),
      ...(options.port !== undefined ? { port: options.port } : {}),
      signing: options.signing,
    }).catch(async (error: unknown) => {
      await adapter.close();
      throw error;
    });
    return {
      facility,
      system: adapter.system,
      url: running.url,
      calls,
      adapter,
      folder,
      written,
      stop: async () => {
        await running.stop();
        await calls.close();
        await cleanUp();
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
