import { countPopulation } from '../../../../../adapters/sdk/population/countPopulation';
import type { EncounterFact, PopulationQuery } from '../../../../../adapters/sdk/population/PopulationQuery';

const fact = (date: string, code: string, cost: EncounterFact['cost']): EncounterFact => ({
  date,
  encounterClass: 'AMBULATORY',
  diagnoses: [{ code, primary: true }],
  cost,
  patient: { sex: 'FEMALE', birthDate: '1980-01-01', pseudonym: 'p' },
});

const query = (overrides: Partial<PopulationQuery> = {}): PopulationQuery => ({
  measure: 'COST',
  groupBy: ['ICD10_CATEGORY'],
  from: null,
  to: null,
  icd10Prefixes: null,
  encounterClasses: null,
  ...overrides,
});

describe('countPopulation: COST', () => {
  const facts = [
    fact('2025-01-03', 'E11.9', { total: 1_000_000, insurancePaid: 800_000, patientCoPay: 200_000 }),
    fact('2025-02-10', 'E11.0', { total: 500_000, insurancePaid: null, patientCoPay: null }),
    fact('2025-02-11', 'E11.0', { total: null, insurancePaid: 100, patientCoPay: 100 }),
    fact('2025-03-01', 'E11.0', null),
    fact('2025-03-02', 'J18.9', { total: 3_000_000, insurancePaid: 2_400_000, patientCoPay: 600_000 }),
  ];

  it('counts the encounters whose total is recorded and sums their costs per cell', () => {
    const rows = countPopulation(facts, query(), '01001');
    expect(rows).toEqual([
      { values: ['E11'], count: 2, pseudonyms: null, amounts: { totalCost: 1_500_000, insurancePaid: 800_000, patientCoPay: 200_000 } },
      { values: ['J18'], count: 1, pseudonyms: null, amounts: { totalCost: 3_000_000, insurancePaid: 2_400_000, patientCoPay: 600_000 } },
    ]);
  });

  it('applies the window and prefixes as the other measures do', () => {
    expect(countPopulation(facts, query({ groupBy: [], from: '2025-02-01', icd10Prefixes: ['E11'] }), '01001')).toEqual([
      { values: [], count: 1, pseudonyms: null, amounts: { totalCost: 500_000, insurancePaid: 0, patientCoPay: 0 } },
    ]);
  });

  it('carries no amounts for the other measures', () => {
    const rows = countPopulation(facts, query({ measure: 'ENCOUNTERS', groupBy: [] }), '01001');
    expect(rows).toEqual([{ values: [], count: 5, pseudonyms: null, amounts: null }]);
  });
});
