import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { facilityRecordsOf } from '../../../../demo/population/facilityRecordsOf';
import { createDemoPopulation, DEMO_FACILITIES } from '../../../../demo/population/generatePopulation';
import { writeXml130Folder } from '../../../../demo/xml130/writeXml130Folder';

/** XML1 of QĐ 130 as amended by QĐ 4750, in order (docs/standards.md §3.1), written out independently. */
const XML1_FIELDS_QD4750 = `MA_LK STT MA_BN HO_TEN SO_CCCD NGAY_SINH GIOI_TINH NHOM_MAU MA_QUOCTICH MA_DANTOC MA_NGHE_NGHIEP
  DIA_CHI MATINH_CU_TRU MAHUYEN_CU_TRU MAXA_CU_TRU DIEN_THOAI MA_THE_BHYT MA_DKBD GT_THE_TU GT_THE_DEN NGAY_MIEN_CCT LY_DO_VV
  LY_DO_VNT MA_LY_DO_VNT CHAN_DOAN_VAO CHAN_DOAN_RV MA_BENH_CHINH MA_BENH_KT MA_BENH_YHCT MA_PTTT_QT MA_DOITUONG_KCB MA_NOI_DI
  MA_NOI_DEN MA_TAI_NAN NGAY_VAO NGAY_VAO_NOI_TRU NGAY_RA GIAY_CHUYEN_TUYEN SO_NGAY_DTRI PP_DIEU_TRI KET_QUA_DTRI MA_LOAI_RV
  GHI_CHU NGAY_TTOAN T_THUOC T_VTYT T_TONGCHI_BV T_TONGCHI_BH T_BNTT T_BNCCT T_BHTT T_NGUONKHAC T_BHTT_GDV NAM_QT THANG_QT
  MA_LOAI_KCB MA_KHOA MA_CSKCB MA_KHUVUC CAN_NANG CAN_NANG_CON NAM_NAM_LIEN_TUC NGAY_TAI_KHAM MA_HSBA MA_TTDV DU_PHONG`.split(/\s+/);

const population = createDemoPopulation();
const facility = DEMO_FACILITIES[0] as (typeof DEMO_FACILITIES)[number];

interface WrittenHoso {
  readonly tables: Map<string, string>;
}

/** The HOSO of a written file, inner documents decoded (by regex: independent of the reader). */
async function hosoOf(path: string): Promise<WrittenHoso[]> {
  const text = await readFile(path, 'utf8');
  return [...text.matchAll(/<HOSO>(.*?)<\/HOSO>/gs)].map(([, body]) => ({
    tables: new Map([...(body ?? '').matchAll(/<LOAIHOSO>(XML\d+)<\/LOAIHOSO><NOIDUNGFILE>([^<]*)<\/NOIDUNGFILE>/g)]
      .map(([, table, content]) => [table ?? '', Buffer.from(content ?? '', 'base64').toString('utf8')])),
  }));
}

function field(xml: string, name: string): string | undefined {
  const match = new RegExp(`<${name}>(?:<!\\[CDATA\\[)?(.*?)(?:\\]\\]>)?</${name}>|<${name} />`).exec(xml);
  return match === null ? undefined : match[1] ?? '';
}

describe('writeXml130Folder', () => {
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'xml130-writer-'));
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('writes one HOSO per encounter of the facility, hosoPerFile per file, with SOLUONGHOSO and MACSKCB', async () => {
    const written = await writeXml130Folder({ population, facility, folder: join(folder, 'split'), hosoPerFile: 40 });
    const encounters = facilityRecordsOf(population, facility.code).reduce((n, { record }) => n + record.resources.encounters.length, 0);
    expect(written.hoso).toBe(encounters);
    expect(written.files).toHaveLength(Math.ceil(encounters / 40));
    const first = await readFile(written.files[0] ?? '', 'utf8');
    expect(first.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<GIAMDINHHS')).toBe(true);
    expect(first).toContain(`<MACSKCB>${facility.code}</MACSKCB>`);
    expect(first).toContain('<SOLUONGHOSO>40</SOLUONGHOSO>');
    expect(await hosoOf(written.files[0] ?? '')).toHaveLength(40);
  });

  it('writes Base64 inner documents with the XML declaration, XML1 with all 66 QĐ 4750 fields in order and free text in CDATA', async () => {
    const written = await writeXml130Folder({ population, facility, folder: join(folder, 'fields'), hosoPerFile: 500 });
    const all = await hosoOf(written.files[0] ?? '');
    for (const hoso of all) {
      for (const xml of hoso.tables.values()) expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
      const xml1 = hoso.tables.get('XML1') ?? '';
      const names = [...xml1.matchAll(/<([A-Z][A-Z0-9_]*)\s*\/?>/g)].map(([, name]) => name).filter((name) => name !== 'TONG_HOP');
      expect(names).toEqual(XML1_FIELDS_QD4750);
      expect(xml1).toMatch(/<HO_TEN><!\[CDATA\[[^\]]+\]\]><\/HO_TEN>/);
      expect(xml1).toMatch(/<CHAN_DOAN_RV><!\[CDATA\[/);
    }
    const xml2 = all.map((h) => h.tables.get('XML2')).find((x) => x !== undefined) ?? '';
    expect(xml2).toMatch(/^<\?xml[^>]*\?>\n<CHITIEU_CHITIET_THUOC><DSACH_CHI_TIET_THUOC><CHI_TIET_THUOC><MA_LK>/);
    expect(xml2).toMatch(/<LIEU_DUNG><!\[CDATA\[/);
  });

  it('leaves SO_CCCD empty for charts registered without the national ID, and the card fields without the insurance number', async () => {
    const written = await writeXml130Folder({ population, facility, folder: join(folder, 'ids'), hosoPerFile: 1000 });
    const byMaBn = new Map<string, string>();
    for (const path of written.files) for (const hoso of await hosoOf(path)) {
      const xml1 = hoso.tables.get('XML1') ?? '';
      byMaBn.set(field(xml1, 'MA_BN') ?? '', xml1);
    }
    const charts = facilityRecordsOf(population, facility.code);
    expect(charts.some(({ record }) => !record.hasNationalId)).toBe(true);
    expect(charts.some(({ record }) => !record.hasInsuranceNumber)).toBe(true);
    for (const { person, record } of charts) {
      const xml1 = byMaBn.get(record.localPatientId) ?? '';
      expect(field(xml1, 'SO_CCCD')).toBe(record.hasNationalId ? person.nationalId : '');
      expect(field(xml1, 'MA_THE_BHYT')).toBe(record.hasInsuranceNumber ? person.insuranceNumber : '');
      expect(field(xml1, 'GT_THE_DEN')).toBe(record.hasInsuranceNumber ? person.card?.validTo.replace(/-/g, '') : '');
      expect(field(xml1, 'NGAY_SINH')).toBe(`${person.birthDate.replace(/-/g, '')}0000`);
    }
  });

  it('nests the inner documents as plain XML when asked', async () => {
    const written = await writeXml130Folder({ population, facility, folder: join(folder, 'nested'), hosoPerFile: 1000, contentEncoding: 'nested' });
    const text = await readFile(written.files[0] ?? '', 'utf8');
    expect(text).toMatch(/<NOIDUNGFILE><TONG_HOP><MA_LK>/);
    expect(text).not.toMatch(/<NOIDUNGFILE><\?xml/);
  });
});
