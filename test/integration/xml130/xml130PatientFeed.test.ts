import { mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createXml130Adapter } from '../../../adapters/xml130/createXml130Adapter';
import { DEFAULT_XML130_LIMITS } from '../../../adapters/xml130/Xml130Limits';
import { facilityRecordsOf, type PersonAtFacility } from '../../../demo/population/facilityRecordsOf';
import { createDemoPopulation, DEMO_FACILITIES } from '../../../demo/population/generatePopulation';
import { GiamDinhHsFileWriter } from '../../../demo/xml130/GiamDinhHsFileWriter';
import { hosoDocumentOf } from '../../../demo/xml130/hosoDocumentOf';
import { captureLogger } from '../../helpers/captureLogger';

const population = createDemoPopulation();
const facility = DEMO_FACILITIES[0] as (typeof DEMO_FACILITIES)[number];
const [first, second] = facilityRecordsOf(population, facility.code).filter(({ record }) => record.resources.encounters.length > 0) as [PersonAtFacility, PersonAtFacility];

/** A claim file of one chart's episodes, dated (modification time) as the facility's export left it. */
async function writeClaimFile(path: string, chart: PersonAtFacility, modified: string): Promise<void> {
  const hoso = chart.record.resources.encounters.map((encounter, i) => hosoDocumentOf({ ...chart, encounter }, { facilityCode: facility.code, idPrefix: '', stt: i + 1 }));
  const writer = await GiamDinhHsFileWriter.open(path, { facilityCode: facility.code, hosoCount: hoso.length, createdOn: '2026-06-30' });
  for (const item of hoso) await writer.add(item);
  await writer.close();
  await utimes(path, new Date(modified), new Date(modified));
}

describe('Xml130Adapter registration feed (claim files’ modification times)', () => {
  const { logger } = captureLogger();
  let folder: string;

  const open = () => createXml130Adapter({ folder, watch: false, debounceMs: 50, rescanIntervalMs: 0, limits: DEFAULT_XML130_LIMITS, index: { kind: 'pglite', dataDir: null } }, { logger, facility });

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'xml130-feed-'));
    await writeClaimFile(join(folder, 'a.xml'), first, '2026-01-01T00:00:00Z');
    await writeClaimFile(join(folder, 'b.xml'), second, '2026-02-01T00:00:00Z');
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('lists each patient at the time of the newest claim file holding them, and only those changed since', async () => {
    const adapter = await open();
    try {
      const all = await adapter.patientsChangedSince('1970-01-01T00:00:00Z', 10, null);
      expect(all.patients.map((p) => [p.localId, p.updatedAt])).toEqual([
        [first.record.localPatientId, '2026-01-01T00:00:00.000Z'],
        [second.record.localPatientId, '2026-02-01T00:00:00.000Z'],
      ]);
      const since = await adapter.patientsChangedSince('2026-01-15T00:00:00+07:00', 10, null);
      expect(since.patients.map((p) => p.localId)).toEqual([second.record.localPatientId]);
    } finally {
      await adapter.close();
    }
  });

  it('lists a patient again, with the new demographics, when a resubmitted claim corrects them', async () => {
    const corrected: PersonAtFacility = { ...first, person: { ...first.person, birthDate: '1931-01-31' } };
    await writeClaimFile(join(folder, 'c.xml'), corrected, '2026-03-01T00:00:00Z');
    const adapter = await open();
    try {
      const changed = await adapter.patientsChangedSince('2026-02-15T00:00:00Z', 10, null);
      expect(changed.patients.map((p) => [p.localId, p.birthDate, p.updatedAt])).toEqual([[first.record.localPatientId, '1931-01-31', '2026-03-01T00:00:00.000Z']]);
    } finally {
      await adapter.close();
    }
  });
});
