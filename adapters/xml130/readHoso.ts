import type { Observation } from '../../contracts/model/clinical';
import { decodeNoiDungFile } from './decodeNoiDungFile';
import type { RawHoso } from './EnvelopeParser';
import type { Xml130Row } from './InnerDocument';
import type { Mapping } from './Mapping';
import { mapChiTietCls } from './mapChiTietCls';
import { mapChiTietDvkt } from './mapChiTietDvkt';
import { mapChiTietThuoc } from './mapChiTietThuoc';
import { mapDienBienBenh } from './mapDienBienBenh';
import { mapTongHop } from './mapTongHop';
import type { HosoOutcome } from './Xml130Hoso';
import type { Xml130Limits } from './Xml130Limits';
import type { Xml130Problem } from './Xml130Problem';
import { isMappedTable, isXml130TableName, TABLE_SHAPES, type MappedTable } from './xml130Tables';

export interface ReadHosoOptions {
  readonly limits: Xml130Limits;
  readonly expectedFacilityCode?: string;
}

/**
 * Decodes and maps one HOSO, all or nothing: every inner document of XML1–XML5 is decoded and
 * mapped, and any problem in any of them rejects the whole HOSO (a claim is never half-merged).
 * XML0 and XML6–XML15 are counted only. Problems carry the HOSO's MA_LK when XML1 gave one.
 */
export function readHoso(raw: RawHoso, options: ReadHosoOptions): HosoOutcome {
  if (raw.problems.length > 0) {
    // Over its budget in the envelope: the contents were dropped unread.
    return { kind: 'rejected', ordinal: raw.ordinal, maLk: null, problems: raw.problems.map((reason) => ({ reason: `HOSO #${raw.ordinal}: ${reason}` })) };
  }
  const problems: { table?: string; reason: string }[] = [];
  const tables: Record<string, number> = {};
  const rows = new Map<MappedTable, Xml130Row[]>();
  for (const file of raw.files) {
    if (!isXml130TableName(file.table)) {
      problems.push({ reason: `LOAIHOSO "${file.table.slice(0, 12)}" is not one of XML0–XML15` });
      continue;
    }
    tables[file.table] = (tables[file.table] ?? 0) + 1;
    if (!isMappedTable(file.table)) continue;
    const table = file.table;
    if (file.problem !== null || file.content === null) {
      problems.push({ table, reason: file.problem ?? 'NOIDUNGFILE is missing' });
      continue;
    }
    const decoded = decodeNoiDungFile(file.content, TABLE_SHAPES[table], options.limits);
    if (decoded.kind === 'invalid') problems.push({ table, reason: decoded.reason });
    else rows.set(table, [...(rows.get(table) ?? []), ...decoded.document.rows]);
  }
  const xml1 = rows.get('XML1') ?? [];
  if (xml1.length !== 1 && !problems.some((p) => p.table === 'XML1')) {
    problems.push({ table: 'XML1', reason: xml1.length === 0 ? 'the HOSO has no XML1 (TONG_HOP) record' : 'the HOSO has more than one XML1 (TONG_HOP) record' });
  }
  const record = xml1[0];
  const tongHop = record === undefined ? undefined : mapTongHop(record, options.expectedFacilityCode);
  // When XML1 is unreadable, the detail tables still name the episode in their field 1 MA_LK.
  const maLk = tongHop?.kind === 'mapped' ? tongHop.value.maLk : nonEmpty(record?.get('MA_LK')) ?? detailMaLk(rows);
  if (tongHop?.kind === 'invalid') problems.push(...tongHop.reasons.map((reason) => ({ table: 'XML1', reason })));

  const key = maLk ?? `#${raw.ordinal}`;
  const medications = collect(problems, 'XML2', mapChiTietThuoc(rows.get('XML2') ?? [], key));
  const services = collect(problems, 'XML3', mapChiTietDvkt(rows.get('XML3') ?? [], key));
  const results = collect(problems, 'XML4', mapChiTietCls(rows.get('XML4') ?? [], key));
  const notes = collect(problems, 'XML5', mapDienBienBenh(rows.get('XML5') ?? [], key));

  if (problems.length > 0 || tongHop?.kind !== 'mapped' || !medications || !services || !results || !notes) {
    const withKey = problems.map((p): Xml130Problem =>
      maLk === null ? { ...p, reason: `HOSO #${raw.ordinal}: ${p.reason}` } : { maLk, ...p });
    return { kind: 'rejected', ordinal: raw.ordinal, maLk, problems: withKey };
  }
  const { patient, encounter, conditions } = tongHop.value;
  const observations: Observation[] = [...results, ...notes];
  return {
    kind: 'loaded',
    hoso: {
      maLk: tongHop.value.maLk,
      patient,
      encounter,
      conditions,
      medications,
      procedures: services.procedures,
      observations,
      tables,
      supplyRows: services.supplyRows,
    },
  };
}

function collect<T>(problems: { table?: string; reason: string }[], table: MappedTable, mapping: Mapping<T>): T | undefined {
  if (mapping.kind === 'mapped') return mapping.value;
  problems.push(...mapping.reasons.map((reason) => ({ table, reason })));
  return undefined;
}

function detailMaLk(rows: ReadonlyMap<MappedTable, readonly Xml130Row[]>): string | null {
  for (const table of ['XML2', 'XML3', 'XML4', 'XML5'] as const) {
    for (const row of rows.get(table) ?? []) {
      const maLk = nonEmpty(row.get('MA_LK'));
      if (maLk !== null) return maLk;
    }
  }
  return null;
}

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value.trim();
}
