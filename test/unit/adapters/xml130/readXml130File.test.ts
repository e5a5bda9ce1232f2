import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readXml130File, type Xml130FileSummary } from '../../../../adapters/xml130/readXml130File';
import type { Xml130Hoso } from '../../../../adapters/xml130/Xml130Hoso';
import { DEFAULT_XML130_LIMITS, type Xml130Limits } from '../../../../adapters/xml130/Xml130Limits';
import {
  base64,
  detailXml,
  envelopeXml,
  fileHoso,
  fullHosoXml,
  hosoXml,
  rawHosoXml,
  tongHopXml,
  xml1Fields,
} from './claimFixtures';

let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'xml130-read-'));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

let fileNumber = 0;

async function read(content: string | Buffer, options: { limits?: Partial<Xml130Limits>; facility?: string } = {}): Promise<{ summary: Xml130FileSummary; hoso: Xml130Hoso[] }> {
  fileNumber += 1;
  const path = join(folder, `claim-${fileNumber}.xml`);
  await writeFile(path, content);
  const hoso: Xml130Hoso[] = [];
  const summary = await readXml130File(path, {
    limits: { ...DEFAULT_XML130_LIMITS, ...options.limits },
    ...(options.facility === undefined ? {} : { expectedFacilityCode: options.facility }),
    onHoso: (item) => hoso.push(item),
  });
  return { summary, hoso };
}

describe('readXml130File', () => {
  it('maps a QĐ 130 HOSO with XML1–XML5 to an encounter, conditions, medications, procedures, results and notes', async () => {
    const { summary, hoso } = await read(envelopeXml([fullHosoXml('LK001')]));

    expect(summary).toMatchObject({ hoso: 1, rejected: 0, problems: [], problemCount: 0, facilityCode: '01901' });
    expect(summary.tables).toEqual({ XML1: 1, XML2: 1, XML3: 1, XML4: 1, XML5: 1 });
    const [episode] = hoso;
    expect(episode?.patient).toEqual({
      localId: 'BN-LK001', nationalId: '001190012345', insuranceNumber: 'DN4010123456789',
      fullName: 'Trần Thị Mai', birthDate: '1990-03-15', gender: 'FEMALE',
      identifiers: [
        { system: 'urn:oid:vn:facility-mrn', value: 'BN-LK001' },
        { system: 'urn:oid:vn:national-id', value: '001190012345' },
        { system: 'http://fhir.ehealth.gov.vn/core/sid/insurance_number', value: 'DN4010123456789' },
      ],
    });
    expect(episode?.encounter).toEqual({
      id: 'LK001',
      status: 'FINISHED',
      class: 'INPATIENT',
      period: { start: '2024-03-01T08:30:00+07:00', end: '2024-03-05T10:00:00+07:00' },
      reasonText: 'Sốt, ho 3 ngày',
      diagnoses: [
        { code: { system: 'http://hl7.org/fhir/sid/icd-10', code: 'J18.9', display: 'Viêm phổi, không đặc hiệu' }, role: 'PRIMARY', rank: 1 },
        { code: { system: 'http://hl7.org/fhir/sid/icd-10', code: 'I10', display: 'Tăng huyết áp vô căn' }, role: 'SECONDARY', rank: 2 },
      ],
      departmentCodes: ['K01', 'K03'],
      cost: { total: 1250000.5, insurancePaid: 1000000.4, patientCoPay: 250000.1, patientSelfPay: 0, insuranceCardUsed: 'DN4010123456789' },
    });
    expect(episode?.conditions.map((c) => [c.id, c.code.code, c.recordedDate, c.encounterId])).toEqual([
      ['LK001:XML1:1', 'J18.9', '2024-03-05T10:00:00+07:00', 'LK001'],
      ['LK001:XML1:2', 'I10', '2024-03-05T10:00:00+07:00', 'LK001'],
    ]);
    expect(episode?.medications).toEqual([{
      id: 'LK001:XML2:1', status: 'UNKNOWN',
      medication: { system: 'urn:oid:vn:moh:dmdc:thuoc', code: '40.48', display: 'Paracetamol 500mg' },
      dosageText: '1 viên/lần * 3 lần/ngày * 5 ngày', quantity: { value: 15, unit: 'viên', code: null },
      route: '1.01', authoredOn: '2024-03-01T09:00:00+07:00', encounterId: 'LK001',
    }]);
    expect(episode?.procedures).toEqual([{
      id: 'LK001:XML3:1', status: 'COMPLETED',
      code: { system: 'http://hl7.org/fhir/sid/icd-9-cm', code: '87.44', display: 'Chụp X-quang ngực thẳng' },
      performedDateTime: '2024-03-01T09:10:00+07:00', encounterId: 'LK001',
    }]);
    expect(episode?.supplyRows).toBe(1);
    const [hb, xray, note] = episode?.observations ?? [];
    expect(hb).toMatchObject({ id: 'LK001:XML4:1', status: 'FINAL', code: { system: 'urn:oid:vn:moh:dmdc:chi-so', code: 'H02', display: 'Huyết sắc tố' }, valueQuantity: { value: 13.5, unit: 'g/dL', code: null }, valueString: null, interpretation: 'Bình thường', effectiveDateTime: '2024-03-01T10:00:00+07:00' });
    expect(xray).toMatchObject({ code: { system: 'urn:oid:vn:moh:dmdc:dvkt', code: '18.0066.0028' }, valueQuantity: null, valueString: 'Đám mờ thùy dưới phổi phải', interpretation: 'Viêm phổi' });
    expect(note).toMatchObject({
      id: 'LK001:XML5:1', code: { system: 'http://loinc.org', code: '11506-3', display: 'Progress note' },
      valueString: 'Sốt 38.5 độ, ho khạc đờm. CSST<M90_T38.5_HA120/80>', effectiveDateTime: '2024-03-01T08:40:00+07:00', encounterId: 'LK001',
    });
  });

  it('reads inner documents nested as plain XML in NOIDUNGFILE, as some software writes them', async () => {
    const nested = (xml: string): string => xml.replace(/^<\?xml[^>]*\?>\s*/, '');
    const file = envelopeXml([rawHosoXml([
      fileHoso('XML1', nested(tongHopXml(xml1Fields('LK-N', { HO_TEN: '<![CDATA[Lê Văn An & con]]>' })))),
      fileHoso('XML4', nested(detailXml('XML4', [{ MA_LK: 'LK-N', STT: '1', MA_CHI_SO: 'H02', GIA_TRI: '<5', NGAY_KQ: '202403011000' }]))),
    ])]);
    const { summary, hoso } = await read(file);

    expect(summary.problems).toEqual([]);
    expect(hoso[0]?.patient.fullName).toBe('Lê Văn An & con');
    expect(hoso[0]?.observations[0]).toMatchObject({ valueQuantity: null, valueString: '<5' });
  });

  it('reads an inner document written as CDATA text instead of Base64', async () => {
    const file = envelopeXml([rawHosoXml([fileHoso('XML1', `<![CDATA[${tongHopXml(xml1Fields('LK-C'))}]]>`)])]);
    const { summary, hoso } = await read(file);
    expect(summary.problems).toEqual([]);
    expect(hoso.map((h) => h.maLk)).toEqual(['LK-C']);
  });

  it('reads a QĐ 4210 file: inner roots without the CHITIEU_ wrapper and the 4210 field names', async () => {
    const xml1 = tongHopXml({
      MA_LK: 'OLD1', STT: '1', MA_BN: 'BN77', HO_TEN: 'Phạm Văn Bình', NGAY_SINH: '19750704', GIOI_TINH: '1',
      MA_THE: 'HT2790123456789', MA_DKBD: '79001', TEN_BENH: 'Đái tháo đường type 2', MA_BENH: 'E11.9', MA_BENHKHAC: 'I10;E78.5',
      MA_LYDO_VVIEN: '2', NGAY_VAO: '201905061420', NGAY_RA: '201905061700', T_TONGCHI: '350000', T_BNTT: '0', T_BNCCT: '70000',
      T_BHTT: '280000', MA_LOAI_KCB: '1', MA_KHOA: 'K02', MA_CSKCB: '79902',
    });
    const file = envelopeXml([hosoXml([
      ['XML1', xml1],
      ['XML2', detailXml('XML2', [{ MA_LK: 'OLD1', STT: '1', MA_THUOC: '40.807', TEN_THUOC: 'Metformin', HAM_LUONG: '850mg', DON_VI_TINH: 'viên', DUONG_DUNG: 'Uống', LIEU_DUNG: '1 viên x 2 lần/ngày', SO_LUONG: '60', THANH_TIEN: '42000', TYLE_TT: '100', NGAY_YL: '201905061500' }], '4210')],
      ['XML3', detailXml('XML3', [{ MA_LK: 'OLD1', STT: '1', MA_DICH_VU: '02.0085.1778', TEN_DICH_VU: 'Điện tim thường', DON_GIA: '32000', NGAY_YL: '201905061440', NGAY_KQ: '201905061450' }], '4210')],
      ['XML4', detailXml('XML4', [{ MA_LK: 'OLD1', STT: '1', MA_DICH_VU: '23.0075.1494', MA_CHI_SO: 'GLU', TEN_CHI_SO: 'Glucose', GIA_TRI: '9.8', KET_LUAN: 'Tăng', NGAY_KQ: '201905061530' }], '4210')],
      ['XML5', detailXml('XML5', [{ MA_LK: 'OLD1', STT: '1', DIEN_BIEN: 'Đường huyết cao, chỉnh liều.', NGAY_YL: '201905061600' }], '4210')],
    ])], { facilityCode: '79902' });
    const { summary, hoso } = await read(file);

    expect(summary.problems).toEqual([]);
    const [episode] = hoso;
    expect(episode?.patient).toMatchObject({ localId: 'BN77', nationalId: null, insuranceNumber: 'HT2790123456789', birthDate: '1975-07-04', gender: 'MALE' });
    expect(episode?.encounter).toMatchObject({
      class: 'EMERGENCY', // MA_LYDO_VVIEN 2 = cấp cứu
      reasonText: null,
      period: { start: '2019-05-06T14:20:00+07:00', end: '2019-05-06T17:00:00+07:00' },
      cost: { total: 350000, insurancePaid: 280000, patientCoPay: 70000, patientSelfPay: 0, insuranceCardUsed: 'HT2790123456789' },
    });
    expect(episode?.encounter.diagnoses.map((d) => [d.code.code, d.role, d.code.display])).toEqual([
      ['E11.9', 'PRIMARY', 'Đái tháo đường type 2'], ['I10', 'SECONDARY', null], ['E78.5', 'SECONDARY', null],
    ]);
    expect(episode?.medications[0]).toMatchObject({ medication: { code: '40.807', display: 'Metformin 850mg' }, authoredOn: '2019-05-06T15:00:00+07:00' });
    expect(episode?.procedures[0]).toMatchObject({ code: { system: 'urn:oid:vn:moh:dmdc:dvkt', code: '02.0085.1778' }, performedDateTime: '2019-05-06T14:40:00+07:00' });
    expect(episode?.observations.map((o) => o.valueQuantity?.value ?? o.valueString)).toEqual([9.8, 'Đường huyết cao, chỉnh liều.']);
    expect(episode?.observations[1]?.effectiveDateTime).toBe('2019-05-06T16:00:00+07:00');
  });

  it('counts XML0 and XML6–XML15 without mapping them', async () => {
    const file = envelopeXml([rawHosoXml([
      fileHoso('XML1', base64(tongHopXml(xml1Fields('LK-T')))),
      fileHoso('XML7', base64('<?xml version="1.0"?><CHI_TIEU_DU_LIEU_GIAY_RA_VIEN><MA_LK>LK-T</MA_LK></CHI_TIEU_DU_LIEU_GIAY_RA_VIEN>')),
      fileHoso('XML13', 'bm90IGNoZWNrZWQ='),
    ])]);
    const { summary } = await read(file);
    expect(summary.problems).toEqual([]);
    expect(summary.tables).toEqual({ XML1: 1, XML7: 1, XML13: 1 });
  });

  it('treats an unknown birth day and month (0000) as an unknown birth date, not an error', async () => {
    const { summary, hoso } = await read(envelopeXml([hosoXml([['XML1', tongHopXml(xml1Fields('LK-B', { NGAY_SINH: '196500000000' }))]])]));
    expect(summary.problems).toEqual([]);
    expect(hoso[0]?.patient.birthDate).toBeNull();
  });

  it('keeps only a 12-digit SO_CCCD as the national ID (not an old CMND or a passport)', async () => {
    const { hoso } = await read(envelopeXml([
      hosoXml([['XML1', tongHopXml(xml1Fields('LK-P1', { SO_CCCD: '012345678' }))]]),
      hosoXml([['XML1', tongHopXml(xml1Fields('LK-P2', { SO_CCCD: 'B1234567' }))]]),
    ]));
    expect(hoso.map((h) => h.patient.nationalId)).toEqual([null, null]);
  });
});

describe('readXml130File with hostile or broken files', () => {
  const XXE_PROLOG = '<!DOCTYPE GIAMDINHHS [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>';
  const LAUGHS = [
    '<!DOCTYPE lolz [<!ENTITY lol "lol">',
    ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`),
    ']>',
  ].join('');

  it('refuses a DOCTYPE with an external entity before any element is read', async () => {
    const file = envelopeXml([fullHosoXml('LK1')], { prolog: XXE_PROLOG }).replace('<MACSKCB>01901</MACSKCB>', '<MACSKCB>&xxe;</MACSKCB>');
    const { summary, hoso } = await read(file);
    expect(hoso).toEqual([]);
    expect(summary).toMatchObject({ hoso: 0, problemCount: 1, facilityCode: null });
    expect(summary.problems[0]?.reason).toMatch(/DOCTYPE declaration is not accepted/);
    expect(JSON.stringify(summary)).not.toMatch(/root:.*:0:0:/); // nothing of /etc/passwd
  });

  it('refuses a billion-laughs document at once, without expanding it', async () => {
    const file = envelopeXml([fullHosoXml('LK1')], { prolog: LAUGHS }).replace('<NGAYLAP>', '<NGAYLAP>&lol9;');
    // Expanded, &lol9; is 10⁹ copies of a word: the read would not finish within the test's timeout.
    const { summary } = await read(file);
    expect(summary.hoso).toBe(0);
    expect(summary.problems.map((p) => p.reason)).toEqual([expect.stringMatching(/DOCTYPE/)]);
  });

  it('rejects only the HOSO whose inner document carries a DOCTYPE, naming it, and loads the others', async () => {
    const xxeXml1 = tongHopXml(xml1Fields('LK2')).replace('<TONG_HOP>', `${XXE_PROLOG.replace('GIAMDINHHS', 'TONG_HOP')}<TONG_HOP>`).replace('Trần Thị Mai', '&xxe;');
    const laughsXml3 = detailXml('XML3', [{ MA_LK: 'LK3', STT: '1', MA_DICH_VU: '&lol9;' }]).replace('<CHITIEU', `${LAUGHS}<CHITIEU`);
    const file = envelopeXml([
      fullHosoXml('LK1'),
      hosoXml([['XML1', xxeXml1], ['XML2', detailXml('XML2', [{ MA_LK: 'LK2', STT: '1', MA_THUOC: '40.48' }])]]),
      hosoXml([['XML1', tongHopXml(xml1Fields('LK3'))], ['XML3', laughsXml3]]),
      fullHosoXml('LK4'),
    ]);
    const { summary, hoso } = await read(file);

    expect(hoso.map((h) => h.maLk)).toEqual(['LK1', 'LK4']);
    expect(summary).toMatchObject({ hoso: 2, rejected: 2, problemCount: 2 });
    expect(summary.problems).toEqual([
      { maLk: 'LK2', table: 'XML1', reason: expect.stringMatching(/DOCTYPE/) },
      { maLk: 'LK3', table: 'XML3', reason: expect.stringMatching(/DOCTYPE/) },
    ]);
  });

  it('refuses a file larger than maxFileBytes without parsing it', async () => {
    const { summary } = await read(envelopeXml([fullHosoXml('LK1')]), { limits: { maxFileBytes: 1024 } });
    expect(summary.hoso).toBe(0);
    expect(summary.problems).toEqual([{ reason: 'the file is larger than the limit of 1024 bytes' }]);
  });

  it('rejects a HOSO whose inner document is over maxInnerDocumentBytes and loads the rest of the file', async () => {
    const big = tongHopXml(xml1Fields('LK2', { GHI_CHU: 'x'.repeat(6000) }));
    const file = envelopeXml([fullHosoXml('LK1'), hosoXml([['XML1', big]]), fullHosoXml('LK3')]);
    const { summary, hoso } = await read(file, { limits: { maxInnerDocumentBytes: 4096 } });
    expect(hoso.map((h) => h.maLk)).toEqual(['LK1', 'LK3']);
    expect(summary.problems).toEqual([{ table: 'XML1', reason: 'HOSO #2: the inner document is larger than the limit of 4096 bytes' }]);
  });

  it('rejects a HOSO with a text node over maxTextBytes', async () => {
    const file = envelopeXml([hosoXml([['XML1', tongHopXml(xml1Fields('LK1', { HO_TEN: 'A'.repeat(300) }))]]), fullHosoXml('LK2')]);
    const { summary, hoso } = await read(file, { limits: { maxTextBytes: 256 } });
    expect(hoso.map((h) => h.maLk)).toEqual(['LK2']);
    expect(summary.problems).toEqual([{ table: 'XML1', reason: 'HOSO #1: XML1 field HO_TEN is longer than 256 characters' }]);
  });

  it('rejects a HOSO over maxHosoBytes, even one huge Base64 text, and reads the rest of the file', async () => {
    const huge = rawHosoXml([fileHoso('XML1', 'QUJD'.repeat(75_000))]);
    const file = envelopeXml([fullHosoXml('LK1'), huge, fullHosoXml('LK3')]);
    const { summary, hoso } = await read(file, { limits: { maxHosoBytes: 100_000 } });
    expect(hoso.map((h) => h.maLk)).toEqual(['LK1', 'LK3']);
    expect(summary.problems).toEqual([{ reason: 'HOSO #2: the HOSO is larger than the limit of 100000 characters' }]);
  });

  it('stops the file at anything longer than maxHosoBytes it cannot skip (a comment), keeping the HOSO read before it', async () => {
    const huge = `<HOSO><!-- ${'x'.repeat(300_000)} --></HOSO>`;
    const file = envelopeXml([fullHosoXml('LK1'), huge, fullHosoXml('LK3')]);
    const { summary, hoso } = await read(file, { limits: { maxHosoBytes: 100_000 } });
    expect(hoso.map((h) => h.maLk)).toEqual(['LK1']);
    expect(summary.problems).toEqual([{ reason: expect.stringMatching(/longer than the HOSO limit of 100000 characters, in HOSO #2; it and the rest of the file were not read/) }]);
  });

  it('rejects a HOSO with invalid Base64, naming its MA_LK and table, and loads the others', async () => {
    const file = envelopeXml([
      rawHosoXml([fileHoso('XML1', base64(tongHopXml(xml1Fields('LK1')))), fileHoso('XML2', 'PD94bWwg!!!not*base64')]),
      fullHosoXml('LK2'),
    ]);
    const { summary, hoso } = await read(file);
    expect(hoso.map((h) => h.maLk)).toEqual(['LK2']);
    expect(summary.problems).toEqual([{ maLk: 'LK1', table: 'XML2', reason: 'NOIDUNGFILE is not valid Base64' }]);
  });

  it('rejects a HOSO whose Base64 content is not UTF-8', async () => {
    const latin1 = Buffer.from('<?xml version="1.0"?><TONG_HOP><HO_TEN>Tr\xe2n</HO_TEN></TONG_HOP>', 'latin1').toString('base64');
    const { summary } = await read(envelopeXml([rawHosoXml([fileHoso('XML1', latin1)])]));
    expect(summary.problems).toEqual([{ table: 'XML1', reason: 'HOSO #1: the Base64 content of NOIDUNGFILE is not UTF-8 text' }]);
  });

  it('keeps the HOSO before the cut of a truncated file and reports the truncation', async () => {
    const whole = envelopeXml([fullHosoXml('LK1'), fullHosoXml('LK2'), fullHosoXml('LK3')]);
    const cut = whole.slice(0, whole.indexOf('<HOSO>', whole.indexOf('<HOSO>', whole.indexOf('<HOSO>') + 1) + 1) + 200);
    const { summary, hoso } = await read(cut);
    expect(hoso.map((h) => h.maLk)).toEqual(['LK1', 'LK2']);
    expect(summary.problems).toEqual([{ reason: expect.stringMatching(/^the file ends inside <[A-Z]+> \(truncated\?\), in HOSO #3/) }]);
  });

  it('reports a file that is not XML, or not text, as one problem of the file', async () => {
    const text = await read('MA_LK;HO_TEN\nLK1;Nguyễn Văn A\n');
    expect(text.summary).toMatchObject({ hoso: 0, problemCount: 1 });
    expect(text.summary.problems[0]?.reason).toMatch(/^not well-formed XML/);

    const binary = await read(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0xff, 0xfe, 0x00, 0x81, 0x92]));
    expect(binary.summary.problems).toEqual([{ reason: 'the file is not UTF-8 text (QĐ 130 files are UTF-8)' }]);

    const empty = await read('');
    expect(empty.summary.problems).toEqual([{ reason: 'the file contains no XML element' }]);
  });

  it('rejects a HOSO with a wrong date, naming MA_LK, table and field', async () => {
    const file = envelopeXml([
      hosoXml([['XML1', tongHopXml(xml1Fields('LK1', { NGAY_VAO: '202413011200' }))]]),
      hosoXml([['XML1', tongHopXml(xml1Fields('LK2', { NGAY_RA: '202402281200' }))]]),
      hosoXml([['XML1', tongHopXml(xml1Fields('LK3'))], ['XML2', detailXml('XML2', [{ MA_LK: 'LK3', STT: '4', MA_THUOC: '40.48', NGAY_YL: '2024-03-01 09:00' }])]]),
      hosoXml([['XML1', tongHopXml(xml1Fields('LK4', { NGAY_SINH: '19900231' }))]]),
      fullHosoXml('LK5'),
    ]);
    const { summary, hoso } = await read(file);
    expect(hoso.map((h) => h.maLk)).toEqual(['LK5']);
    expect(summary.problems).toEqual([
      { maLk: 'LK1', table: 'XML1', reason: 'XML1 field 35 NGAY_VAO is not a valid yyyyMMddHHmm time' },
      { maLk: 'LK2', table: 'XML1', reason: 'XML1 field 37 NGAY_RA is before NGAY_VAO' },
      { maLk: 'LK3', table: 'XML2', reason: 'XML2 field 34 NGAY_YL (row STT 4) is not a valid yyyyMMddHHmm time' },
      { maLk: 'LK4', table: 'XML1', reason: 'XML1 field 6 NGAY_SINH is not a valid yyyyMMddHHmm (or QĐ 4210 yyyyMMdd) date' },
    ]);
  });

  it('rejects a HOSO missing a mandatory field, or without XML1, and never half-merges it', async () => {
    const { HO_TEN: _name, ...withoutName } = xml1Fields('LK1');
    const file = envelopeXml([
      hosoXml([['XML1', tongHopXml(withoutName)], ['XML2', detailXml('XML2', [{ MA_LK: 'LK1', STT: '1', MA_THUOC: '40.48' }])]]),
      hosoXml([['XML2', detailXml('XML2', [{ MA_LK: 'LK2', STT: '1', MA_THUOC: '40.48' }])]]),
      hosoXml([['XML1', tongHopXml(xml1Fields('LK3'))], ['XML3', detailXml('XML3', [{ MA_LK: 'LK-OTHER', STT: '1', MA_DICH_VU: '18.0066.0028' }])]]),
      fullHosoXml('LK4'),
    ]);
    const { summary, hoso } = await read(file);
    expect(hoso.map((h) => h.maLk)).toEqual(['LK4']);
    expect(summary.problems).toEqual([
      { maLk: 'LK1', table: 'XML1', reason: 'XML1 field 4 HO_TEN is missing (mandatory)' },
      { maLk: 'LK2', table: 'XML1', reason: 'the HOSO has no XML1 (TONG_HOP) record' },
      { maLk: 'LK3', table: 'XML3', reason: 'XML3 field 1 MA_LK (row STT 1) differs from the MA_LK of XML1' },
    ]);
  });

  it('refuses a file whose MACSKCB is another facility, when the facility is known', async () => {
    const { summary } = await read(envelopeXml([fullHosoXml('LK1')], { facilityCode: '79902' }), { facility: '01901' });
    expect(summary.hoso).toBe(0);
    expect(summary.problems).toEqual([{ reason: 'THONGTINDONVI/MACSKCB is 79902, not this facility (01901)' }]);
  });

  it('reports a SOLUONGHOSO that disagrees with the HOSO in the file', async () => {
    const { summary } = await read(envelopeXml([fullHosoXml('LK1')], { declaredCount: 3 }));
    expect(summary.hoso).toBe(1);
    expect(summary.problems).toEqual([{ reason: 'THONGTINHOSO/SOLUONGHOSO declares 3 HOSO, the file has 1' }]);
  });

  it('rejects a FILEHOSO whose LOAIHOSO is not a QĐ 130 table', async () => {
    const { summary } = await read(envelopeXml([rawHosoXml([fileHoso('XML1', base64(tongHopXml(xml1Fields('LK1')))), fileHoso('BANG9', 'eA==')])]));
    expect(summary.problems).toEqual([{ maLk: 'LK1', reason: 'LOAIHOSO "BANG9" is not one of XML0–XML15' }]);
  });
});
