import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Xml130InspectReport } from '../../../adapters/xml130/inspectXml130';
import { facilityRecordsOf } from '../../../demo/population/facilityRecordsOf';
import { createDemoPopulation, DEMO_FACILITIES } from '../../../demo/population/generatePopulation';
import { writeXml130Folder, type WrittenXml130Folder } from '../../../demo/xml130/writeXml130Folder';
import { runCli } from '../../helpers/runCli';
import { base64, envelopeXml, fileHoso, fullHosoXml, rawHosoXml, tongHopXml, xml1Fields } from '../../unit/adapters/xml130/claimFixtures';

const population = createDemoPopulation();
const facility = DEMO_FACILITIES[2] as (typeof DEMO_FACILITIES)[number];

describe('patient-graph xml130 inspect (run as a real process)', () => {
  let folder: string;
  let written: WrittenXml130Folder;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'xml130-inspect-'));
    written = await writeXml130Folder({ population, facility, folder: join(folder, 'claims'), hosoPerFile: 60 });
    // Two good HOSO of one person (same CCCD) around a broken one, and a file that is not XML.
    await writeFile(join(folder, 'claims', 'mixed.xml'), envelopeXml([
      fullHosoXml('GOOD1'),
      rawHosoXml([fileHoso('XML1', base64(tongHopXml(xml1Fields('BAD1', { NGAY_VAO: '20240230' }))))]),
      fullHosoXml('GOOD2'),
    ], { facilityCode: facility.code }));
    await writeFile(join(folder, 'claims', 'notes.xml'), 'this is not XML');
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('prints one JSON report with per-file problems and correct totals, and exits 0 although files have problems', async () => {
    const { code, stdout, stderr } = await runCli(['xml130', 'inspect', join(folder, 'claims')]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as Xml130InspectReport;

    const people = new Set(facilityRecordsOf(population, facility.code).map(({ person, record }) =>
      record.hasNationalId ? person.nationalId : record.hasInsuranceNumber ? person.insuranceNumber?.slice(5) : record.localPatientId));
    expect(report.totals).toEqual({ files: written.files.length + 2, hoso: written.hoso + 2, patients: people.size + 1, problems: 2 });

    const mixed = report.files.find((f) => f.path.endsWith('mixed.xml'));
    expect(mixed).toEqual({
      path: join(folder, 'claims', 'mixed.xml'),
      hoso: 2,
      tables: { XML1: 2, XML2: 2, XML3: 2, XML4: 2, XML5: 2 },
      problems: [{ maLk: 'BAD1', table: 'XML1', reason: 'XML1 field 35 NGAY_VAO is not a valid yyyyMMddHHmm time' }],
    });
    expect(report.files.find((f) => f.path.endsWith('notes.xml'))).toMatchObject({ hoso: 0, tables: {}, problems: [{ reason: expect.stringMatching(/^not well-formed XML/) }] });
    for (const path of written.files) expect(report.files.find((f) => f.path === path)?.problems).toEqual([]);
    expect(stderr).toContain(`[1/${written.files.length + 2}]`); // progress goes to stderr, not into the JSON
  });

  it('inspects a single file', async () => {
    const { code, stdout } = await runCli(['xml130', 'inspect', join(folder, 'claims', 'mixed.xml')]);
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as Xml130InspectReport).totals).toEqual({ files: 1, hoso: 2, patients: 1, problems: 1 });
  });

  it('exits 1 with a clear message when the path does not exist, and 2 on wrong usage', async () => {
    const missing = await runCli(['xml130', 'inspect', join(folder, 'nowhere')]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toContain(`${join(folder, 'nowhere')} does not exist`);

    const usage = await runCli(['xml130', 'inspect']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Usage: patient-graph xml130 inspect <file-or-folder>');
  });
});

describe('patient-graph xml130 inspect: files that are not claims, duplicate episodes, --fail-on-problems', () => {
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'xml130-trust-audit-'));
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  async function inspect(name: string, files: Readonly<Record<string, string>>, extra: readonly string[] = []): Promise<{ code: number | null; report: Xml130InspectReport; stderr: string }> {
    const dir = join(folder, name);
    await mkdir(dir, { recursive: true });
    let mtime = 1_700_000_000;
    for (const [file, text] of Object.entries(files)) {
      await writeFile(join(dir, file), text);
      await utimes(join(dir, file), mtime, mtime); // in the order given: later files are newer
      mtime += 60;
    }
    const { code, stdout, stderr } = await runCli(['xml130', 'inspect', dir, ...extra]);
    return { code, report: JSON.parse(stdout) as Xml130InspectReport, stderr };
  }

  it('reports a well-formed file whose root is not GIAMDINHHS, and a GIAMDINHHS that holds no HOSO', async () => {
    const elements = `<?xml version="1.0" encoding="UTF-8"?><BAOCAO>${'<DONG><COT>1</COT></DONG>'.repeat(2000)}</BAOCAO>`;
    const empty = `<?xml version="1.0" encoding="UTF-8"?><GIAMDINHHS><THONGTINDONVI><MACSKCB>${facility.code}</MACSKCB></THONGTINDONVI>${'<GHICHU>x</GHICHU>'.repeat(2000)}</GIAMDINHHS>`;
    const { code, report } = await inspect('not-claims', { 'report.xml': elements, 'empty.xml': empty });
    expect(code).toBe(0);
    expect(report.totals).toMatchObject({ files: 2, hoso: 0, problems: 2 });
    expect(report.files.find((f) => f.path.endsWith('report.xml'))?.problems).toEqual([{ reason: 'the root element is <BAOCAO>, expected <GIAMDINHHS>' }]);
    expect(report.files.find((f) => f.path.endsWith('empty.xml'))?.problems).toEqual([{ reason: expect.stringContaining('holds no HOSO') }]);
  });

  it('reports a MA_LK held by two files on the copy that is ignored, naming the newer file whose copy is used', async () => {
    const older = envelopeXml([fullHosoXml('LK-DUP'), fullHosoXml('LK-ONLY-A')], { facilityCode: facility.code });
    const newer = envelopeXml([fullHosoXml('LK-DUP')], { facilityCode: facility.code });
    const { report } = await inspect('duplicates', { 'z-sent-first.xml': older, 'a-resubmitted.xml': newer });
    expect(report.totals).toMatchObject({ files: 2, hoso: 3, problems: 1 });
    expect(report.files.find((f) => f.path.endsWith('a-resubmitted.xml'))?.problems).toEqual([]);
    expect(report.files.find((f) => f.path.endsWith('z-sent-first.xml'))?.problems).toEqual([
      { maLk: 'LK-DUP', reason: expect.stringMatching(/appears again in .*a-resubmitted\.xml; that copy is used/) },
    ]);
  });

  it('exits 1 with --fail-on-problems when any problem is found, and 0 for a clean folder', async () => {
    const failing = await inspect('fail', { 'empty.xml': '<GIAMDINHHS></GIAMDINHHS>' }, ['--fail-on-problems']);
    expect(failing.code).toBe(1);
    expect(failing.report.totals.problems).toBe(1);
    expect(failing.stderr).toContain('1 problem found');

    const clean = await inspect('clean', { 'good.xml': envelopeXml([fullHosoXml('LK-CLEAN')], { facilityCode: facility.code }) }, ['--fail-on-problems']);
    expect(clean.code).toBe(0);
    expect(clean.report.totals.problems).toBe(0);
  });
});
