import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { IsoDate } from '../../contracts/model/patient';
import { DEMO_AS_OF } from '../population/generatePopulation';
import { facilityRecordsOf } from '../population/facilityRecordsOf';
import type { DemoFacility, Population } from '../population/types';
import { GiamDinhHsFileWriter, type ContentEncoding } from './GiamDinhHsFileWriter';
import { hosoDocumentOf } from './hosoDocumentOf';
import type { HosoSource } from './HosoSource';

export interface Xml130FolderOptions {
  readonly population: Population;
  readonly facility: DemoFacility;
  readonly folder: string;
  /** HOSO per file (default 100). */
  readonly hosoPerFile?: number;
  readonly contentEncoding?: ContentEncoding;
  /** Put before every MA_LK and MA_BN, so several populations can share one folder (default none). */
  readonly idPrefix?: string;
  /** File names (default `<MA_CSKCB>_<n>.xml`, n from 1, five digits). */
  readonly fileName?: (index: number) => string;
  /** NGAYLAP (default the demo's reference date). */
  readonly createdOn?: IsoDate;
}

export interface WrittenXml130Folder {
  readonly files: readonly string[];
  readonly hoso: number;
}

/**
 * Writes one facility's charts of a synthetic population as the QĐ 130 claim files its software
 * would have sent VSS (one HOSO per encounter, `hosoPerFile` HOSO per file), streamed to disk.
 * The fixture of the xml130 adapter's tests, demo hospital and benchmark (docs/style.md §9).
 */
export async function writeXml130Folder(options: Xml130FolderOptions): Promise<WrittenXml130Folder> {
  const hosoPerFile = options.hosoPerFile ?? 100;
  if (!Number.isInteger(hosoPerFile) || hosoPerFile < 1) throw new RangeError('hosoPerFile must be a positive whole number');
  const sources: HosoSource[] = facilityRecordsOf(options.population, options.facility.code).flatMap(({ person, record }) =>
    record.resources.encounters.map((encounter) => ({ person, record, encounter })));
  await mkdir(options.folder, { recursive: true });
  const files: string[] = [];
  for (let first = 0; first < sources.length; first += hosoPerFile) {
    const batch = sources.slice(first, first + hosoPerFile);
    const name = options.fileName?.(files.length + 1) ?? `${options.facility.code}_${String(files.length + 1).padStart(5, '0')}.xml`;
    const path = join(options.folder, name);
    const writer = await GiamDinhHsFileWriter.open(path, {
      facilityCode: options.facility.code,
      hosoCount: batch.length,
      createdOn: options.createdOn ?? DEMO_AS_OF,
      ...(options.contentEncoding === undefined ? {} : { contentEncoding: options.contentEncoding }),
    });
    for (const [index, source] of batch.entries()) {
      await writer.add(hosoDocumentOf(source, { facilityCode: options.facility.code, idPrefix: options.idPrefix ?? '', stt: index + 1 }));
    }
    await writer.close();
    files.push(path);
  }
  return { files, hoso: sources.length };
}
