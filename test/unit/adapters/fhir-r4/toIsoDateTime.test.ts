import { toIsoDate, toIsoDateTime } from '../../../../adapters/fhir-r4/toIsoDateTime';

describe('toIsoDateTime', () => {
  it.each([
    ['a dateTime with an offset, kept as written', '2024-03-01T08:30:00+07:00', '2024-03-01T08:30:00+07:00'],
    ['a UTC dateTime, kept as written', '2024-03-01T01:30:00Z', '2024-03-01T01:30:00Z'],
    ['fractional seconds', '2024-03-01T08:30:00.125+07:00', '2024-03-01T08:30:00.125+07:00'],
    ['a dateTime without offset, read as Viet Nam time', '2024-03-01T08:30:00', '2024-03-01T08:30:00+07:00'],
    ['a time without seconds', '2024-03-01T08:30', '2024-03-01T08:30:00+07:00'],
    ['a date only, as Viet Nam midnight', '2024-03-01', '2024-03-01T00:00:00+07:00'],
    ['a year and month, as its first day', '2024-03', '2024-03-01T00:00:00+07:00'],
    ['a year, as its first day', '2024', '2024-01-01T00:00:00+07:00'],
  ])('converts %s', (_case, input, expected) => {
    expect(toIsoDateTime(input)).toBe(expected);
  });

  it.each([
    ['a date that does not exist', '2024-02-30'],
    ['an hour past 23', '2024-03-01T24:00:00+07:00'],
    ['free text', 'hôm qua'],
    ['a number', 20240301],
    ['nothing', undefined],
  ])('answers null for %s', (_case, input) => {
    expect(toIsoDateTime(input)).toBeNull();
  });
});

describe('toIsoDate', () => {
  it('keeps a full date and drops partial or malformed ones', () => {
    expect(toIsoDate('1990-04-12')).toBe('1990-04-12');
    expect(toIsoDate('1990-04')).toBeNull();
    expect(toIsoDate('1990-02-31')).toBeNull();
    expect(toIsoDate(null)).toBeNull();
  });
});
