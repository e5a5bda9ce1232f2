import { countPopulation } from '../../../../../adapters/sdk/population/countPopulation';
import { parsePopulationArguments } from '../../../../../adapters/sdk/population/parsePopulationArguments';
import { populationReadWindow } from '../../../../../adapters/sdk/population/populationReadWindow';
import type { EncounterFact, PopulationQuery } from '../../../../../adapters/sdk/population/PopulationQuery';

let ids = 0;
/** A stay of `patient` admitted on `from` at 10:00 and discharged on `to` (null: still open). */
const stay = (patient: string, from: string, to: string | null, code = 'J18.9', encounterClass = 'INPATIENT'): EncounterFact => ({
  date: from,
  endDate: to,
  startMs: Date.parse(`${from}T10:00:00+07:00`),
  encounterId: `e${String(++ids).padStart(4, '0')}`,
  encounterClass,
  diagnoses: [{ code, primary: true }],
  patient: { sex: 'MALE', birthDate: '1950-06-15', pseudonym: '', localId: patient },
});

const query = (overrides: Partial<PopulationQuery> = {}): PopulationQuery => ({
  measure: 'READMISSIONS',
  groupBy: ['MONTH'],
  from: '2025-03-01',
  to: '2025-03-31',
  icd10Prefixes: null,
  encounterClasses: null,
  readmissionDays: 30,
  ...overrides,
});

const cells = (facts: EncounterFact[], q: PopulationQuery): Record<string, number> =>
  Object.fromEntries(countPopulation(facts, q, '01001').map((row) => [JSON.stringify(row.values), row.count]));

describe('countPopulation: READMISSIONS', () => {
  it('counts index stays discharged in the window whose next admission is 1 to N days after discharge', () => {
    const facts = [
      stay('a', '2025-03-01', '2025-03-05'), // readmitted on day 10: counted (March)
      stay('a', '2025-03-15', '2025-03-20'), // next 2025-04-05 (16 days): counted (March)
      stay('a', '2025-04-05', '2025-04-08'), // discharged after the window: not an index stay
      stay('b', '2025-03-10', '2025-03-12'), // same-day transfer: not a readmission
      stay('b', '2025-03-12', '2025-03-18'), // its own index stay, next in 50 days: not counted
      stay('b', '2025-05-07', null),
      stay('c', '2025-03-25', null), // open: never an index stay
      stay('c', '2025-04-01', '2025-04-02'),
      stay('d', '2025-03-20', '2025-03-30'), // readmitted after the window's end (April 20): counted
      stay('d', '2025-04-20', null), // an open stay readmits
      stay('e', '2025-02-20', '2025-03-02'), // admitted before the window, discharged in it: counted (March)
      stay('e', '2025-03-04', '2025-03-06', 'I21', 'AMBULATORY'), // not inpatient: not a next admission
      stay('e', '2025-03-09', '2025-03-10'), // next to the first one (7 days after its discharge)
    ];
    expect(cells(facts, query())).toEqual({ '["2025-03"]': 4 });
    expect(cells(facts, query({ readmissionDays: 10 }))).toEqual({ '["2025-03"]': 2 });
    // Without a window every discharge is an index stay; 60 days also reach b's May admission.
    expect(cells(facts, query({ groupBy: [], from: null, to: null, readmissionDays: 60 }))).toEqual({ '[]': 5 });
  });

  it('groups by the index stay (discharge month, diagnosis, age band at admission) and filters index stays by prefix', () => {
    const facts = [stay('a', '2025-02-26', '2025-03-01', 'I50.0'), stay('a', '2025-03-03', '2025-03-04', 'J18'), stay('b', '2000-01-01', '2000-01-02', 'I50'), stay('b', '2000-01-05', null, 'I50')];
    expect(cells(facts, query({ groupBy: ['MONTH', 'ICD10_CATEGORY', 'AGE_BAND'], icd10Prefixes: ['I50'] }))).toEqual({ '["2025-03","I50","70-74"]': 1 });
  });

  it('reads admissions a year before the window and N days after it', () => {
    expect(populationReadWindow(query())).toEqual({ from: '2024-03-01', to: '2025-04-30' });
    expect(populationReadWindow(query({ measure: 'ENCOUNTERS' }))).toEqual({ from: '2025-03-01', to: '2025-03-31' });
  });

  it('checks readmissionDays and the classes', () => {
    const window = { from: null, to: null };
    expect(parsePopulationArguments({ measure: 'READMISSIONS' }, window).readmissionDays).toBe(30);
    for (const bad of [0, 366, 2.5, '30', -1]) {
      expect(() => parsePopulationArguments({ measure: 'READMISSIONS', readmissionDays: bad }, window)).toThrow(/readmissionDays/);
    }
    expect(() => parsePopulationArguments({ measure: 'READMISSIONS', encounterClasses: ['AMBULATORY'] }, window)).toThrow(/INPATIENT/);
    expect(parsePopulationArguments({ measure: 'READMISSIONS', encounterClasses: ['INPATIENT'], readmissionDays: 7 }, window).readmissionDays).toBe(7);
  });
});
