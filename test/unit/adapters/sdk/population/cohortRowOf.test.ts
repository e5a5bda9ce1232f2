import { cohortRowOf } from '../../../../../adapters/sdk/population/cohortRowOf';
import type { EncounterFact } from '../../../../../adapters/sdk/population/PopulationQuery';

describe('cohortRowOf: an encounter as a de-identified cohort row', () => {
  const fact: EncounterFact = {
    date: '2025-03-17',
    encounterClass: 'INPATIENT',
    diagnoses: [{ code: 'E11.9', primary: true }, { code: 'I10', primary: false }],
    cost: { total: 2_500_000, insurancePaid: 2_000_000, patientCoPay: 500_000 },
    patient: { sex: 'FEMALE', birthDate: '1961-09-02', pseudonym: 'n0Fq3m2Yd8kQ1x7Vb5cT0a' },
  };

  it('generalizes the date to the month, the birth date to the age band and the place to the province', () => {
    expect(cohortRowOf(fact, '79902')).toEqual({
      networkPseudonym: 'n0Fq3m2Yd8kQ1x7Vb5cT0a',
      month: '2025-03',
      ageBand: '60-64',
      sex: 'FEMALE',
      province: '79',
      encounterClass: 'INPATIENT',
      icd10Codes: ['E11.9', 'I10'],
    });
  });

  it('carries no exact date, birth date, facility code or cost', () => {
    const text = JSON.stringify(cohortRowOf(fact, '79902'));
    for (const exact of ['2025-03-17', '1961', '09-02', '79902', '2500000']) expect(text).not.toContain(exact);
  });
});
