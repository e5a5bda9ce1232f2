import { mkdtemp, rename, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SourcePatient } from '../../../adapters/sdk/ClinicalAdapter';
import { createXml130Adapter } from '../../../adapters/xml130/createXml130Adapter';
import type { Xml130Adapter } from '../../../adapters/xml130/Xml130Adapter';
import { DEFAULT_XML130_LIMITS } from '../../../adapters/xml130/Xml130Limits';
import type { Encounter } from '../../../contracts/model/clinical';
import { facilityRecordsOf, type PersonAtFacility } from '../../../demo/population/facilityRecordsOf';
import { createDemoPopulation, DEMO_FACILITIES } from '../../../demo/population/generatePopulation';
import { GiamDinhHsFileWriter, type HosoDocument } from '../../../demo/xml130/GiamDinhHsFileWriter';
import { hosoDocumentOf } from '../../../demo/xml130/hosoDocumentOf';
import { captureLogger } from '../../helpers/captureLogger';

const population = createDemoPopulation();
const facility = DEMO_FACILITIES[0] as (typeof DEMO_FACILITIES)[number];
const withNationalId = facilityRecordsOf(population, facility.code).filter(({ record }) => record.hasNationalId);
const [first, second] = withNationalId as [PersonAtFacility, PersonAtFacility];

function hosoOf(chart: PersonAtFacility, change: (encounter: Encounter) => Encounter = (e) => e): HosoDocument[] {
  return chart.record.resources.encounters.map((encounter, i) =>
    hosoDocumentOf({ ...chart, encounter: change(encounter) }, { facilityCode: facility.code, idPrefix: '', stt: i + 1 }));
}

async function writeClaimFile(path: string, hoso: readonly HosoDocument[]): Promise<void> {
  const writer = await GiamDinhHsFileWriter.open(path, { facilityCode: facility.code, hosoCount: hoso.length, createdOn: '2026-06-30' });
  for (const item of hoso) await writer.add(item);
  await writer.close();
}

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting until ${what}`);
}

describe('Xml130Adapter following its folder', () => {
  let folder: string;
  let adapter: Xml130Adapter;
  const { logger, lines } = captureLogger();

  const patientsById = async (nationalId: string): Promise<readonly SourcePatient[]> =>
    adapter.findPatients({ nationalIds: [nationalId], socialInsuranceNumbers: [], birthDates: [] });
  const present = async (nationalId: string): Promise<boolean> => (await patientsById(nationalId)).length > 0;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'xml130-watch-'));
    await writeClaimFile(join(folder, 'a.xml'), hosoOf(first));
    adapter = await createXml130Adapter(
      { folder, watch: true, debounceMs: 50, rescanIntervalMs: 0, limits: DEFAULT_XML130_LIMITS, index: { kind: 'pglite', dataDir: null } },
      { logger, facility },
    );
  });

  afterAll(async () => {
    await adapter.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('serves the files present at start', async () => {
    expect(await present(first.person.nationalId)).toBe(true);
    expect(await present(second.person.nationalId)).toBe(false);
  });

  it('picks up a new file without a restart', async () => {
    await writeClaimFile(join(folder, 'b.xml'), hosoOf(second));
    await eventually(() => present(second.person.nationalId), 'the new file is indexed');
    expect(adapter.stats()).toMatchObject({ files: 2, problems: 0 });
  });

  it('replaces the contribution of a changed file instead of adding to it', async () => {
    await writeClaimFile(join(folder, 'b.xml'), hosoOf(second, (e) => ({ ...e, reasonText: 'Tái khám theo hẹn' })));
    const [patient] = await patientsById(second.person.nationalId);
    await eventually(async () => {
      const encounters = await adapter.loadResources('encounters', [patient?.localId ?? '']);
      return encounters.length > 0 && encounters.every((e) => e.resource.reasonText === 'Tái khám theo hẹn');
    }, 'the changed file is re-read');
    const encounters = await adapter.loadResources('encounters', [patient?.localId ?? '']);
    expect(encounters).toHaveLength(second.record.resources.encounters.length);
  });

  it('forgets a deleted file', async () => {
    await unlink(join(folder, 'b.xml'));
    await eventually(async () => !(await present(second.person.nationalId)), 'the deleted file is dropped');
    expect(await present(first.person.nationalId)).toBe(true);
    expect(adapter.stats().files).toBe(1);
  });

  it('ignores a file while it is staged under a hidden name and reads it once renamed', async () => {
    await writeClaimFile(join(folder, '.c.xml.partial'), hosoOf(second));
    await adapter.refresh();
    expect(await present(second.person.nationalId)).toBe(false);
    await rename(join(folder, '.c.xml.partial'), join(folder, 'c.xml'));
    await eventually(() => present(second.person.nationalId), 'the renamed file is indexed');
  });

  it('drops a HOSO that became broken with the rest of its file still served', async () => {
    const good = hosoOf(first);
    const broken: HosoDocument = { tables: [{ table: 'XML1', xml: '<?xml version="1.0"?><TONG_HOP><MA_LK>X</MA_LK>' }] };
    await writeClaimFile(join(folder, 'a.xml'), [...good, broken]);
    await eventually(async () => adapter.stats().problems === 1, 'the changed file is re-read');
    expect(await present(first.person.nationalId)).toBe(true);
    expect(adapter.fileSummaries().find((s) => s.path.endsWith('a.xml'))).toMatchObject({ hoso: good.length, rejected: 1 });
  });

  it('logs counts and file names, never a name or an identifier of a patient', () => {
    expect(lines.some((line) => line.includes('"event":"xml130.indexed"'))).toBe(true);
    const everything = lines.join('\n');
    for (const { person, record } of [first, second]) {
      expect(everything).not.toContain(person.nationalId);
      expect(everything).not.toContain(person.name.full);
      expect(everything).not.toContain(record.localPatientId);
    }
  });
});
