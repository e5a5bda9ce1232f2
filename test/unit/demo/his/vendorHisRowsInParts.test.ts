import { legacyHisRows } from '../../../../demo/his/seedLegacyHis';
import { VendorIds, vendorHisRows } from '../../../../demo/his/seedVendorHis';
import { DEMO_FACILITIES, DEMO_SEED, generatePopulation } from '../../../../demo/population/generatePopulation';
import type { Population } from '../../../../demo/population/types';

type Rows = Record<string, Readonly<Record<string, unknown>>[]>;

/** The registration time is the clock's when the rows are made: not part of what is compared. */
function withoutClock(rows: Rows): Rows {
  return Object.fromEntries(Object.entries(rows).map(([table, list]) => [table, list.map(({ MODIFY_TIME: _m, ngay_cap_nhat: _n, ...row }) => row)]));
}

function concat(parts: readonly Rows[]): Rows {
  const all: Rows = {};
  for (const part of parts) for (const [table, list] of Object.entries(part)) all[table] = [...(all[table] ?? []), ...list];
  return all;
}

// The analytics benchmark seeds a million encounters chunk by chunk (bench/analytics/loadSourcesProcess.ts).
describe('HIS rows of a population made in parts', () => {
  const population = generatePopulation({ seed: DEMO_SEED, size: 300, facilities: DEMO_FACILITIES });
  const parts: Population[] = [0, 70, 150, 300].slice(1).map((end, i, ends) => ({ ...population, people: population.people.slice(i === 0 ? 0 : ends[i - 1], end) }));
  const vendorCode = '79902';

  it('vendor schema: the same rows, ids and soft deletes as in one go when one VendorIds is carried across the parts', () => {
    const whole = withoutClock(vendorHisRows(population, vendorCode));
    const ids = new VendorIds();
    const inParts = withoutClock(concat(parts.map((part) => vendorHisRows(part, vendorCode, ids))));
    expect(inParts).toEqual(whole);
    expect(whole.HIS_TREATMENT?.length).toBeGreaterThan(100);
    // Code tables: one row per distinct value, not one per part.
    expect(new Set(inParts.HIS_MEDICINE_TYPE?.map((row) => row.ID)).size).toBe(inParts.HIS_MEDICINE_TYPE?.length);
  });

  it('vendor schema: without a carried VendorIds the parts collide (the reason it exists)', () => {
    const inParts = concat(parts.map((part) => vendorHisRows(part, vendorCode)));
    const ids = inParts.HIS_TREATMENT?.map((row) => row.ID) ?? [];
    expect(new Set(ids).size).toBeLessThan(ids.length);
  });

  it('legacy schema: the parts add up to the rows made in one go', () => {
    const whole = withoutClock(legacyHisRows(population, '92904'));
    expect(withoutClock(concat(parts.map((part) => legacyHisRows(part, '92904'))))).toEqual(whole);
  });
});
