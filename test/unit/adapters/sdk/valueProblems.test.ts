import { PatientGraphError } from '../../../../core/errors/PatientGraphError';
import { reportValueProblems, valueProblemsOf, withValueProblems } from '../../../../adapters/sdk/valueProblems';

describe('value problems on clinical items', () => {
  const encounter = { id: '79902:13', period: { start: null, end: '2024-03-10T09:00:00+07:00' }, status: 'FINISHED' };
  const problem = { field: 'period.start', mappingKey: 'encounters.start', expected: 'yyyyMMddHHmmss' };

  it('travels on the resource through the copies the SDK makes, and leaves a resource without problems as it is', () => {
    const carried = withValueProblems(encounter, [problem]);
    expect(valueProblemsOf(Object.assign({}, carried, { id: 'x' }))).toEqual([problem]);
    expect(withValueProblems(encounter, [])).toBe(encounter);
    expect(reportValueProblems(encounter, '79902')).toBe(encounter);
  });

  it('puts a coded SOURCE_VALUE_INVALID error at the nested field, keeping its siblings and the original untouched', () => {
    const reported = reportValueProblems(withValueProblems(encounter, [problem]), '79902') as unknown as { period: { start: unknown; end: unknown } };
    expect(reported.period.end).toBe('2024-03-10T09:00:00+07:00');
    expect(reported.period.start).toBeInstanceOf(PatientGraphError);
    expect(reported.period.start).toMatchObject({
      code: 'SOURCE_VALUE_INVALID',
      details: { facilityCode: '79902', field: 'period.start', mappingKey: 'encounters.start', expected: 'yyyyMMddHHmmss' },
    });
    expect(encounter.period.start).toBeNull();
  });
});
