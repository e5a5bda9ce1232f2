import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsvExportAdapter } from '../../../adapters/sdk/examples/CsvExportAdapter';
import { serveClinicalSubgraph } from '../../../subgraphs/clinical/serveClinicalSubgraph';
import type { RunningSubgraph } from '../../../subgraphs/serveSubgraph';
import { generateSigningSecret } from '../../../core/security/generateSigningSecret';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import { runConformanceKit } from '../../../gateway/conformance/runConformanceKit';
import { captureLogger } from '../../helpers/captureLogger';

/** The worked custom adapter of adapters/sdk/README.md, over a CSV export of one demo hospital. */
describe('CsvExportAdapter (the worked example of adapters/sdk/README.md)', () => {
  const logs = captureLogger();
  const population = createDemoPopulation(120);
  const facility = population.facilities[1] ?? { code: '79001', name: 'x' };
  const secret = generateSigningSecret();
  let source: RunningSubgraph;
  let holds: string[];

  beforeAll(async () => {
    const folder = mkdtempSync(join(tmpdir(), 'registry-csv-'));
    const clean = (text: string | null | undefined): string => (text ?? '').replace(/[,\n]/g, ' ');
    const patients = ['local_id,national_id,insurance_number,full_name,birth_date,gender'];
    const encounters = ['id,patient_local_id,start,end,class,icd10,diagnosis'];
    for (const person of population.people) {
      for (const record of person.records.filter((r) => r.facilityCode === facility.code)) {
        patients.push([record.localPatientId, record.hasNationalId ? person.nationalId : '', record.hasInsuranceNumber ? person.insuranceNumber ?? '' : '', clean(person.name.full), person.birthDate, person.gender === 'MALE' ? 'M' : 'F'].join(','));
        for (const e of record.resources.encounters) {
          const primary = e.diagnoses.find((d) => d.role === 'PRIMARY')?.code;
          encounters.push([e.id.replace(/,/g, ''), record.localPatientId, e.period.start ?? '', e.period.end ?? '', e.class, primary?.code ?? '', clean(primary?.display)].join(','));
        }
      }
    }
    writeFileSync(join(folder, 'patients.csv'), `${patients.join('\n')}\n`);
    writeFileSync(join(folder, 'encounters.csv'), `${encounters.join('\n')}\n`);
    holds = population.people.filter((p) => p.records.some((r) => r.facilityCode === facility.code && r.hasNationalId)).slice(0, 4).map((p) => p.nationalId);
    source = await serveClinicalSubgraph({ facility, adapter: new CsvExportAdapter(folder), logger: logs.logger, signing: { secret, target: facility.code } });
  }, 60_000);

  afterAll(async () => {
    await source?.stop();
  });

  it('passes every check of the conformance kit', async () => {
    const checks = await runConformanceKit({ url: source.url, contract: 'clinical', code: facility.code, secret, deadlineMs: 5000, testPatients: holds });
    expect(holds.length).toBeGreaterThan(0);
    expect(checks.filter((c) => !c.passed)).toEqual([]);
  });
});
