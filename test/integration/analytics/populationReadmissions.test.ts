import { toVietnamDate } from '../../../core/time/vietnamTime';
import type { Encounter } from '../../../contracts/model/clinical';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import type { FacilityRecord, Population, SyntheticPerson } from '../../../demo/population/types';
import { startDemoNetwork, type DemoNetwork } from '../../../demo/startDemoNetwork';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL } from '../../helpers/postGraphQL';
import { tokenFor } from '../../helpers/tokens';

/**
 * READMISSIONS through the real gateway: every hospital kind (FHIR server, vendor and legacy HIS
 * on PGlite, QĐ 130 files; then the synthetic adapter) answers exactly a direct count over the
 * population it was seeded with — the generated one plus hand-made stays for the edge cases of
 * the definition (docs/analytics.md, "Readmissions").
 */
const FROM = '2025-06-01';
const TO = '2025-06-30';

/** Hand-made stays of one person: [admission, discharge] as Viet Nam `YYYY-MM-DD HH:mm`, null discharge: still open. */
const SCENARIOS: readonly (readonly (readonly [string, string | null])[])[] = [
  // Readmitted 14 days after discharge: the first stay counts (not with readmissionDays 10).
  [['2025-06-02 09:00', '2025-06-06 10:00'], ['2025-06-20 09:00', '2025-06-25 10:00']],
  // Two readmissions in a row (7 and 8 days): both earlier stays count.
  [['2025-06-01 09:00', '2025-06-03 10:00'], ['2025-06-10 09:00', '2025-06-12 10:00'], ['2025-06-20 09:00', '2025-06-22 10:00']],
  // Same-day transfer: not a readmission; the second stay is readmitted on 1 July (16 days).
  [['2025-06-05 09:00', '2025-06-08 10:00'], ['2025-06-08 14:00', '2025-06-15 10:00'], ['2025-07-01 09:00', '2025-07-03 10:00']],
  // Readmitted into a stay still open (6 days); the open stay is never an index stay.
  [['2025-06-01 09:00', '2025-06-04 10:00'], ['2025-06-10 09:00', null]],
  // Readmitted after the window's end (17 days): counted in June.
  [['2025-06-25 09:00', '2025-06-28 10:00'], ['2025-07-15 09:00', '2025-07-18 10:00']],
  // Next admission 46 days later: not a readmission.
  [['2025-06-02 09:00', '2025-06-04 10:00'], ['2025-07-20 09:00', '2025-07-22 10:00']],
  // Admitted in May, discharged in the window, readmitted 9 days later.
  [['2025-05-20 09:00', '2025-06-03 10:00'], ['2025-06-12 09:00', '2025-06-14 10:00']],
];

const at = (local: string): string => `${local.replace(' ', 'T')}:00+07:00`;

/** The generated population with the scenarios added twice at each facility, to people without inpatient stays near June 2025 there. */
function withScenarios(population: Population): Population {
  const added = new Map<string, number>();
  const busy = (record: FacilityRecord): boolean =>
    record.resources.encounters.length === 0 || record.resources.encounters.some((e) => e.class === 'INPATIENT' && (e.period.start ?? '') >= '2025-04' && (e.period.start ?? '') < '2025-09');
  const people = population.people.map((person): SyntheticPerson => ({
    ...person,
    records: person.records.map((record) => {
      const n = added.get(record.facilityCode) ?? 0;
      if (n >= 2 * SCENARIOS.length || busy(record)) return record;
      added.set(record.facilityCode, n + 1);
      const template = record.resources.encounters[0] as Encounter;
      const stays = (SCENARIOS[n % SCENARIOS.length] ?? []).map(([start, end], i): Encounter => ({
        ...template,
        id: `${template.id}R${i}`,
        status: end === null ? 'IN_PROGRESS' : 'FINISHED',
        class: 'INPATIENT',
        period: { start: at(start), end: end === null ? null : at(end) },
      }));
      return { ...record, resources: { ...record.resources, encounters: [...record.resources.encounters, ...stays] } };
    }),
  }));
  return { ...population, people };
}

const dayOf = (instant: string): string => toVietnamDate(new Date(instant));
const daysFrom = (a: string, b: string): number => (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000;

/**
 * The definition, counted directly over one facility's charts: a patient's inpatient stays
 * admitted from a year before the window to N days after it, in order of admission; a stay
 * discharged in the window (not before its admission day) whose next admission is 1 to N days after
 * its discharge day.
 */
function directCount(population: Population, facilityCode: string, days: number): number {
  let count = 0;
  const readFrom = new Date(Date.parse(`${FROM}T00:00:00Z`) - 365 * 86_400_000).toISOString().slice(0, 10);
  const readTo = new Date(Date.parse(`${TO}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  for (const person of population.people) {
    for (const record of person.records.filter((r) => r.facilityCode === facilityCode)) {
      const stays = record.resources.encounters
        .filter((e) => e.class === 'INPATIENT' && e.period.start !== null && dayOf(e.period.start) >= readFrom && dayOf(e.period.start) <= readTo)
        .sort((a, b) => Date.parse(a.period.start ?? '') - Date.parse(b.period.start ?? '') || (a.id < b.id ? -1 : 1));
      stays.forEach((stay, i) => {
        const next = stays[i + 1];
        if (!next || stay.period.end === null) return;
        const discharge = dayOf(stay.period.end);
        if (discharge < FROM || discharge > TO || discharge < dayOf(stay.period.start ?? '')) return;
        const gap = daysFrom(discharge, dayOf(next.period.start ?? ''));
        if (gap >= 1 && gap <= days) count += 1;
      });
    }
  }
  return count;
}

interface Cell {
  facilityCode: string | null;
  count: number | null;
  suppressed: boolean;
}

describe.each(['adapters', 'synthetic'] as const)('population(measure: READMISSIONS) on %s hospitals', (kinds) => {
  const population = withScenarios(createDemoPopulation());
  let network: DemoNetwork;
  let analyst: string;

  beforeAll(async () => {
    // Rounding off and the lowest threshold, so that counts can be compared exactly.
    network = await startDemoNetwork({ logger: captureLogger().logger, population, hospitalKinds: kinds, disclosure: { threshold: 5, rounding: { method: 'none' } } });
    analyst = await tokenFor('analyst', { sub: `readmissions-${kinds}` });
  }, 180_000);

  afterAll(async () => {
    await network.stop();
  });

  const ask = async (args: string): Promise<{ status: number; cells: Cell[]; errors: readonly { extensions?: Record<string, unknown> }[] | undefined }> => {
    const { status, body } = await postGraphQL<{ population: Cell[] }>(
      network.gateway.url,
      `{ population(measure: READMISSIONS, groupBy: [FACILITY], from: "${FROM}", to: "${TO}"${args}) { facilityCode count suppressed } }`,
      {},
      analyst,
    );
    return { status, cells: body.data?.population ?? [], errors: body.errors };
  };

  it.each([30, 10])('counts each hospital\'s readmissions within %i days exactly as a direct count', async (days) => {
    const { status, cells, errors } = await ask(days === 30 ? '' : `, readmissionDays: ${days}`);
    expect(errors).toBeUndefined();
    expect(status).toBe(200);
    const expected = Object.fromEntries(population.facilities.map((f) => [f.code, directCount(population, f.code, days)]));
    // Every cell is above the threshold, so the comparison is exact (none suppressed).
    expect(Object.values(expected).every((n) => n >= 5)).toBe(true);
    expect(Object.fromEntries(cells.map((c) => [c.facilityCode, c.count]))).toEqual(expected);
  }, 120_000);

  it('audits the measure and its window in days', async () => {
    const sub = `readmissions-audit-${kinds}`;
    const token = await tokenFor('analyst', { sub });
    const { status } = await postGraphQL(network.gateway.url, `{ population(measure: READMISSIONS, readmissionDays: 14, from: "${FROM}", to: "${TO}") { count } }`, {}, token);
    expect(status).toBe(200);
    const [record] = await network.audit.read({ sub });
    expect(record?.aggregates).toEqual([
      { field: 'Query.population', arguments: { measure: 'READMISSIONS', readmissionDays: 14, from: FROM, to: TO }, cellsReleased: 1, cellsSuppressed: 0 },
    ]);
  }, 60_000);

  it('refuses a window out of range and other classes with 400 BAD_USER_INPUT before counting', async () => {
    for (const args of [', readmissionDays: 0', ', readmissionDays: 366', ', readmissionDays: -30', ', encounterClasses: [AMBULATORY]']) {
      for (const hospital of network.hospitals) hospital.calls.resetStats();
      const { status, cells, errors } = await ask(args);
      expect(status).toBe(400);
      expect(cells).toEqual([]);
      expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(network.hospitals.every((h) => h.calls.stats().population === 0)).toBe(true);
    }
  }, 60_000);
});
