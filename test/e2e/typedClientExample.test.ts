import { join } from 'node:path';
import { createDemoPopulation } from '../../demo/population/generatePopulation';
import { startDemoNetwork, type DemoNetwork } from '../../demo/startDemoNetwork';
import { formatTimeline } from '../../examples/printPatientTimeline';
import { captureLogger } from '../helpers/captureLogger';
import { runProcess, type ProcessResult } from '../helpers/runCli';
import { tokenFor } from '../helpers/tokens';

const EXAMPLE = join(__dirname, '..', '..', 'examples', 'printPatientTimeline.ts');
const population = createDemoPopulation(40);
const running = population.facilities.slice(0, 2);
const runningCodes = new Set(running.map((f) => f.code));
const person = population.people.find((p) => p.records.some((r) => runningCodes.has(r.facilityCode) && r.resources.encounters.length > 0));

/** Runs the example as its README line says (`npx tsx examples/printPatientTimeline.ts …`), through tsx. */
async function runExample(args: readonly string[], token: string): Promise<ProcessResult> {
  return runProcess(process.execPath, ['--import', 'tsx', EXAMPLE, ...args], { env: { PATIENT_GRAPH_TOKEN: token } });
}

describe('examples/printPatientTimeline.ts: the typed client prints one patient’s timeline from the demo network', () => {
  let network: DemoNetwork;

  beforeAll(async () => {
    network = await startDemoNetwork({ logger: captureLogger().logger, population, hospitalKinds: 'synthetic', facilities: running });
  }, 120_000);

  afterAll(async () => {
    await network.stop();
  });

  it('prints the patient, then their encounters from each hospital, newest first', async () => {
    expect(person).toBeDefined();
    const facilityCode = person?.records.find((r) => runningCodes.has(r.facilityCode))?.facilityCode ?? '';
    const { code, stdout, stderr } = await runExample([network.gateway.url, person?.nationalId ?? ''], await tokenFor('clinician', { facilityCode }));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const [header, ...lines] = stdout.trimEnd().split('\n');
    expect(header).toBe(`${person?.name.full ?? ''} (${person?.nationalId ?? ''})`);
    const encounters = person?.records.filter((r) => runningCodes.has(r.facilityCode)).flatMap((r) => r.resources.encounters) ?? [];
    expect(lines.filter((line) => / (ambulatory|inpatient|emergency|short_stay|other) encounter/.test(line))).toHaveLength(encounters.length);
    const instants = lines.map((line) => Date.parse(line.split('  ')[0] ?? ''));
    expect(instants.every((t, i) => i === 0 || t <= (instants[i - 1] ?? t))).toBe(true);
  }, 120_000);

  it('says why when the token may not read the patient (exit 1)', async () => {
    const { code, stderr } = await runExample([network.gateway.url, person?.nationalId ?? ''], await tokenFor('analyst'));
    expect(code).toBe(1);
    expect(stderr).toMatch(/FORBIDDEN|POLICY/);
  }, 120_000);
});

describe('formatTimeline', () => {
  it('shows dates as the hospital recorded them, orders them by the instant they start, and tells a recorded death', () => {
    const source = { facilityCode: '01001' };
    const lines = formatTimeline({
      nationalId: '001080000777',
      name: { full: 'Lê Văn Tư' },
      deceased: [{ deceased: true, deceasedAt: '2024-11' }],
      encounters: [{ id: 'e', class: 'INPATIENT', period: { start: '2024-10-02T00:00:00+07:00', startAsRecorded: '2024-10-02', end: null }, diagnoses: [{ role: 'PRIMARY', code: { code: 'I10', display: 'Tăng huyết áp' } }], source: { ...source, facilityName: 'BV' } }],
      conditions: [{ id: 'c', code: { code: 'I10', display: null }, onsetAsRecorded: '2012-05', recordedDate: null, source }],
      observations: [{ id: 'o', code: { code: '2345-7', display: 'Glucose' }, effectiveAsRecorded: '2024-10-02T08:30:00+07:00', valueQuantity: { value: 6.1, unit: 'mmol/L' }, valueString: null, source }],
      procedures: [],
      medications: [],
    });
    expect(lines).toEqual([
      'Lê Văn Tư (001080000777)',
      'deceased 2024-11',
      '2024-10-02T08:30:00+07:00  01001  result Glucose: 6.1 mmol/L',
      '2024-10-02  01001  inpatient encounter: Tăng huyết áp',
      '2012-05  01001  diagnosis I10',
    ]);
  });
});
