import { startsInWindow, windowSearchParams } from '../../../../adapters/fhir-r4/startsInWindow';
import type { Encounter } from '../../../../contracts/model/clinical';

function startingAt(start: string | null): Encounter {
  return { id: 'e', status: 'FINISHED', class: 'AMBULATORY', period: { start, end: null }, reasonText: null, diagnoses: [], departmentCodes: [], cost: null };
}

describe('startsInWindow', () => {
  const window = { from: '2025-01-01', to: '2025-01-31' };

  it('compares the start date in Viet Nam time, both ends inclusive', () => {
    expect(startsInWindow(startingAt('2025-01-01T00:00:00+07:00'), window)).toBe(true);
    expect(startsInWindow(startingAt('2024-12-31T17:30:00Z'), window)).toBe(true); // 00:30 on 1 January in Viet Nam
    expect(startsInWindow(startingAt('2025-01-31T16:59:00Z'), window)).toBe(true);
    expect(startsInWindow(startingAt('2025-01-31T17:00:00Z'), window)).toBe(false); // 1 February in Viet Nam
    expect(startsInWindow(startingAt('2024-12-31T23:59:00+07:00'), window)).toBe(false);
  });

  it('counts undated encounters only without a window', () => {
    expect(startsInWindow(startingAt(null), window)).toBe(false);
    expect(startsInWindow(startingAt(null), { from: null, to: null })).toBe(true);
  });
});

describe('windowSearchParams', () => {
  it('widens the server-side search by a day on each side', () => {
    expect(windowSearchParams({ from: '2025-01-01', to: '2025-03-01' })).toEqual([['date', 'ge2024-12-31'], ['date', 'le2025-03-02']]);
    expect(windowSearchParams({ from: null, to: null })).toEqual([]);
  });
});
