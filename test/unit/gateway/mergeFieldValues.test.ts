import { mergeFieldValues } from '../../../gateway/network/mergeFieldValues';
import type { MergeRule } from '../../../gateway/network/mergeRules';

const concatNewestFirst: MergeRule = { strategy: 'CONCAT', key: null, orderBy: ['period', 'start'], direction: 'DESC', limitArg: null, disclose: null };
const sumByCode: MergeRule = { strategy: 'SUM_BY_KEY', key: 'code', orderBy: ['encounters'], direction: 'DESC', limitArg: 'first', disclose: null };

describe('mergeFieldValues', () => {
  it('concatenates lists and orders them by instant, not by text, across time-zone offsets', () => {
    const hospitalA = [{ id: 'A:1', _pgSortKey: { start: '2024-01-01T08:00:00+07:00' } }];
    const hospitalB = [{ id: 'B:1', _pgSortKey: { start: '2024-01-01T02:00:00Z' } }]; // 09:00 in Viet Nam
    expect(mergeFieldValues(concatNewestFirst, [hospitalA, hospitalB], null)).toEqual([{ id: 'B:1' }, { id: 'A:1' }]);
  });

  it('keeps source order for equal sort keys and puts missing keys last', () => {
    const same = '2024-05-05T10:00:00+07:00';
    const merged = mergeFieldValues(
      concatNewestFirst,
      [[{ id: 'A:1', _pgSortKey: { start: null } }, { id: 'A:2', _pgSortKey: { start: same } }], [{ id: 'B:1', _pgSortKey: { start: same } }]],
      null,
    );
    expect(merged).toEqual([{ id: 'A:2' }, { id: 'B:1' }, { id: 'A:1' }]);
  });

  it('gives the same answer whatever order equal inputs arrive in', () => {
    const a = [{ id: 'A:1', _pgSortKey: { start: '2024-02-01T00:00:00+07:00' } }];
    const b = [{ id: 'B:1', _pgSortKey: { start: '2024-03-01T00:00:00+07:00' } }];
    expect(mergeFieldValues(concatNewestFirst, [a, b], null)).toEqual(mergeFieldValues(concatNewestFirst, [b, a], null));
  });

  it('treats a source that sent no list as contributing nothing', () => {
    expect(mergeFieldValues(concatNewestFirst, [undefined, null, [{ id: 'B:1', _pgSortKey: { start: null } }]], null)).toEqual([{ id: 'B:1' }]);
  });

  it('adds numbers for SUM and ignores sources without a number', () => {
    const sum: MergeRule = { strategy: 'SUM', key: null, orderBy: null, direction: 'ASC', limitArg: null, disclose: null };
    expect(mergeFieldValues(sum, [3, undefined, 4, null], null)).toBe(7);
  });

  it('sums rows by their group key, then sorts by the totals and truncates after merging', () => {
    const a = [
      { code: 'I10', encounters: 5, _pgGroupKey: 'I10', _pgSortKey: 5 },
      { code: 'J06.9', encounters: 4, _pgGroupKey: 'J06.9', _pgSortKey: 4 },
    ];
    const b = [
      { code: 'J06.9', encounters: 3, _pgGroupKey: 'J06.9', _pgSortKey: 3 },
      { code: 'E11.9', encounters: 6, _pgGroupKey: 'E11.9', _pgSortKey: 6 },
    ];
    expect(mergeFieldValues(sumByCode, [a, b], 2)).toEqual([
      { code: 'J06.9', encounters: 7 },
      { code: 'E11.9', encounters: 6 },
    ]);
  });

  it('groups by the key even when the client did not select it', () => {
    const a = [{ encounters: 2, _pgGroupKey: 'I10', _pgSortKey: 2 }];
    const b = [{ encounters: 1, _pgGroupKey: 'K29.7', _pgSortKey: 1 }, { encounters: 1, _pgGroupKey: 'I10', _pgSortKey: 1 }];
    expect(mergeFieldValues(sumByCode, [a, b], null)).toEqual([{ encounters: 3 }, { encounters: 1 }]);
  });
});
