import { birthDateBounds, decodeHisDate, decodeHisDateTime, encodeHisDate, readHisDate, readHisDateTime, windowBounds } from '../../../../adapters/sql-his/hisDateFormats';

describe('decodeHisDateTime', () => {
  it.each<[string, unknown, Parameters<typeof decodeHisDateTime>[1], string | null]>([
    ['a QĐ 130 timestamp (Viet Nam wall clock)', '202403150830', 'yyyyMMddHHmm', '2024-03-15T08:30:00+07:00'],
    ['a QĐ 130 date', '20240315', 'yyyyMMdd', '2024-03-15T00:00:00+07:00'],
    ['a dd/MM/yyyy date', '15/03/2024', 'dd/MM/yyyy', '2024-03-15T00:00:00+07:00'],
    ['a native date as text', '2024-03-15', 'date', '2024-03-15T00:00:00+07:00'],
    ['a timestamp without zone (Viet Nam wall clock)', '2024-03-15 08:30:00', 'timestamp', '2024-03-15T08:30:00+07:00'],
    ['a timestamp with fractions', '2024-03-15 08:30:05.123', 'timestamp', '2024-03-15T08:30:05+07:00'],
    ['a PostgreSQL timestamptz as text (+00)', '2024-03-15 01:30:00+00', 'timestamp', '2024-03-15T08:30:00+07:00'],
    ['an ISO instant in UTC', '2024-03-15T01:30:00Z', 'timestamp', '2024-03-15T08:30:00+07:00'],
    ['an offset without colon', '2024-03-15T10:30:00+0900', 'timestamp', '2024-03-15T08:30:00+07:00'],
    ['an instant (timestamptz as Date)', new Date('2024-03-15T01:30:00Z'), 'timestamp', '2024-03-15T08:30:00+07:00'],
    ['a QĐ 130 timestamp stored as a number', 202403150830, 'yyyyMMddHHmm', '2024-03-15T08:30:00+07:00'],
    ['a vendor BIGINT yyyyMMddHHmmss', 20240305073215, 'yyyyMMddHHmmss', '2024-03-05T07:32:15+07:00'],
    ['a BIGINT as the pg driver returns it (text)', '20240305073215', 'yyyyMMddHHmmss', '2024-03-05T07:32:15+07:00'],
    ['a DECIMAL time as text', '20240305073215.00', 'yyyyMMddHHmmss', '2024-03-05T07:32:15+07:00'],
    ['a yyyyMMdd date stored as a number', 20240315, 'yyyyMMdd', '2024-03-15T00:00:00+07:00'],
    ['month 13', 20241301250000, 'yyyyMMddHHmmss', null],
    ['61 seconds', '20240305073261', 'yyyyMMddHHmmss', null],
    ['a 12-digit value in a 14-digit format', '202403150830', 'yyyyMMddHHmmss', null],
    ['an empty string', '', 'yyyyMMddHHmm', null],
    ['NULL', null, 'timestamp', null],
    ['31 February', '20240231', 'yyyyMMdd', null],
    ['25 o\'clock', '202403152530', 'yyyyMMddHHmm', null],
    ['a date in the wrong format', '2024-03-15', 'dd/MM/yyyy', null],
    ['text that is not a date', "'; DROP TABLE x; --", 'timestamp', null],
  ])('decodes %s', (_case, value, format, expected) => {
    expect(decodeHisDateTime(value, format)).toBe(expected);
  });
});

describe('decodeHisDate', () => {
  it('reads calendar dates in every format, the Viet Nam date of an instant, and QĐ 130 birth timestamps', () => {
    expect(decodeHisDate('19800229', 'yyyyMMdd')).toBe('1980-02-29');
    expect(decodeHisDate('29/02/1980', 'dd/MM/yyyy')).toBe('1980-02-29');
    expect(decodeHisDate('1980-02-29', 'date')).toBe('1980-02-29');
    expect(decodeHisDate('198002290000', 'yyyyMMddHHmm')).toBe('1980-02-29');
    // 17:30 UTC is already the next day in Viet Nam.
    expect(decodeHisDate(new Date('1980-02-28T17:30:00Z'), 'timestamp')).toBe('1980-02-29');
  });

  it('gives null for QĐ 130 birth dates with unknown day or month (written 00)', () => {
    expect(decodeHisDate('198000000000', 'yyyyMMddHHmm')).toBeNull();
    expect(decodeHisDate('19810229', 'yyyyMMdd')).toBeNull();
  });
});

describe('encodeHisDate', () => {
  it('writes a look-up date the way the column holds it', () => {
    expect(encodeHisDate('1980-02-29', 'date')).toBe('1980-02-29');
    expect(encodeHisDate('1980-02-29', 'yyyyMMdd')).toBe('19800229');
    expect(encodeHisDate('1980-02-29', 'yyyyMMddHHmm')).toBe('19800229');
    expect(encodeHisDate('1980-02-29', 'dd/MM/yyyy')).toBe('29/02/1980');
  });
});

describe('windowBounds', () => {
  const window = { from: '2025-01-01', to: '2025-12-31' };

  it('ends timestamp windows before midnight after `to`, as instants on PostgreSQL and wall clock on MySQL', () => {
    expect(windowBounds(window, 'timestamp', 'postgres')).toEqual([
      { operator: '>=', value: '2025-01-01T00:00:00+07:00' },
      { operator: '<', value: '2026-01-01T00:00:00+07:00' },
    ]);
    expect(windowBounds(window, 'timestamp', 'mysql')).toEqual([
      { operator: '>=', value: '2025-01-01 00:00:00' },
      { operator: '<', value: '2026-01-01 00:00:00' },
    ]);
  });

  it('compares QĐ 130 text as text (it sorts) and dd/MM/yyyy through its yyyyMMdd form', () => {
    expect(windowBounds(window, 'yyyyMMddHHmm', 'mysql')).toEqual([
      { operator: '>=', value: '202501010000' },
      { operator: '<', value: '202601010000' },
    ]);
    expect(windowBounds(window, 'dd/MM/yyyy', 'pglite')).toEqual([
      { operator: '>=', value: '20250101' },
      { operator: '<=', value: '20251231' },
    ]);
    expect(windowBounds(window, 'date', 'postgres')).toEqual([
      { operator: '>=', value: '2025-01-01' },
      { operator: '<=', value: '2025-12-31' },
    ]);
  });

  it('leaves an open side unbounded', () => {
    expect(windowBounds({ from: null, to: null }, 'timestamp', 'postgres')).toEqual([]);
    expect(windowBounds({ from: null, to: '2025-02-28' }, 'yyyyMMdd', 'mysql')).toEqual([{ operator: '<=', value: '20250228' }]);
  });
});

describe('readHisDateTime / readHisDate', () => {
  it('tells an empty column from a malformed value, which the caller reports', () => {
    expect(readHisDateTime(null, 'yyyyMMddHHmmss')).toEqual({ kind: 'empty' });
    expect(readHisDateTime('  ', 'yyyyMMddHHmmss')).toEqual({ kind: 'empty' });
    expect(readHisDateTime(20241301250000, 'yyyyMMddHHmmss')).toEqual({ kind: 'invalid' });
    expect(readHisDateTime(20240305073215, 'yyyyMMddHHmmss')).toEqual({ kind: 'value', value: '2024-03-05T07:32:15+07:00' });
    expect(readHisDate(19909999000000, 'yyyyMMddHHmmss')).toEqual({ kind: 'invalid' });
    expect(readHisDate(19800101000000, 'yyyyMMddHHmmss')).toEqual({ kind: 'value', value: '1980-01-01' });
  });

  it('reads year-only birth dates (yyyy, or month and day 00) as the year YYYY, not as a problem; as a time they have no instant', () => {
    expect(readHisDate(1980, 'yyyy')).toEqual({ kind: 'value', value: '1980' });
    expect(readHisDate('19800000', 'yyyyMMdd')).toEqual({ kind: 'value', value: '1980' });
    expect(readHisDate('198000000000', 'yyyyMMddHHmm')).toEqual({ kind: 'value', value: '1980' });
    expect(readHisDate(19800000000000, 'yyyyMMddHHmmss')).toEqual({ kind: 'value', value: '1980' });
    expect(readHisDateTime('198000000000', 'yyyyMMddHHmm')).toEqual({ kind: 'value', value: null });
    expect(readHisDate('80', 'yyyy')).toEqual({ kind: 'invalid' });
    expect(readHisDate('19800100', 'yyyyMMdd')).toEqual({ kind: 'invalid' });
  });

  it('bounds a birth day in 12- and 14-digit columns as digits (comparable with text and BIGINT columns)', () => {
    expect(birthDateBounds('1980-01-01', 'yyyyMMddHHmmss')).toEqual(['19800101000000', '19800101235959']);
    expect(birthDateBounds('1980-01-01', 'yyyyMMddHHmm')).toEqual(['198001010000', '198001012359']);
  });

  it('windows yyyyMMddHHmmss columns from the first second of from to before midnight after to', () => {
    expect(windowBounds({ from: '2024-01-01', to: '2024-12-31' }, 'yyyyMMddHHmmss', 'postgres')).toEqual([
      { operator: '>=', value: '20240101000000' },
      { operator: '<', value: '20250101000000' },
    ]);
  });
});
