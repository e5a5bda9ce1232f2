import { firstDateValue, toPartialDateTime } from '../../../../adapters/fhir-r4/toPartialDateTime';
import { isPartialDateTime, PartialDateTimeScalar } from '../../../../contracts/scalars';

describe('toPartialDateTime (FHIR dateTime at its recorded precision)', () => {
  it.each([
    ['a year', '2012', '2012'],
    ['a year and month', '2012-05', '2012-05'],
    ['a day', '2012-05-24', '2012-05-24'],
    ['a day with surrounding spaces', ' 2012-05-24 ', '2012-05-24'],
    ['a time with its offset, kept', '2012-05-24T08:30:00+01:00', '2012-05-24T08:30:00+01:00'],
    ['a time without offset, read as Viet Nam time', '2012-05-24T08:30', '2012-05-24T08:30:00+07:00'],
  ])('keeps %s', (_case, input, expected) => {
    expect(toPartialDateTime(input)).toBe(expected);
    expect(isPartialDateTime(expected)).toBe(true);
  });

  it.each([
    ['month 13', '2012-13'],
    ['30 February', '2012-02-30'],
    ['text', 'spring 2012'],
    ['a number', 2012],
    ['nothing', undefined],
  ])('answers null for %s', (_case, input) => {
    expect(toPartialDateTime(input)).toBeNull();
  });

  it('picks the first value of a choice that is a date', () => {
    expect(firstDateValue(undefined, 'soon', '2012-05')).toBe('2012-05');
    expect(firstDateValue(undefined, null)).toBeNull();
  });
});

describe('the PartialDateTime scalar', () => {
  it('accepts every FHIR dateTime precision and refuses a time without offset or an impossible date', () => {
    for (const ok of ['2012', '2012-05', '2012-05-24', '2012-05-24T08:30Z', '2012-05-24T08:30:00.5-03:00']) expect(PartialDateTimeScalar.parseValue(ok)).toBe(ok);
    for (const bad of ['12', '2012-5', '2012-00', '2012-05-24T08:30', '2012-02-30', '2012-05-24 08:30+07:00', 20120524]) {
      expect(() => PartialDateTimeScalar.parseValue(bad)).toThrow(/PartialDateTime is written/);
      expect(() => PartialDateTimeScalar.serialize(bad)).toThrow(/not ISO 8601/);
    }
  });
});
