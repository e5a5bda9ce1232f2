import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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
