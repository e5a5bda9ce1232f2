import { parseQd130BirthDate, parseQd130Number, parseResultNumber, splitQd130List } from '../../../../adapters/xml130/qd130Formats';

describe('parseQd130BirthDate', () => {
  it('reads the 12-character QĐ 130 form and the 8-character QĐ 4210 form', () => {
    expect(parseQd130BirthDate('199003150000')).toEqual({ kind: 'date', date: '1990-03-15' });
    expect(parseQd130BirthDate('202401310745')).toEqual({ kind: 'date', date: '2024-01-31' });
    expect(parseQd130BirthDate('19900315')).toEqual({ kind: 'date', date: '1990-03-15' });
  });

  it('treats 0000 for month and day as an unknown date', () => {
    expect(parseQd130BirthDate('196500000000')).toEqual({ kind: 'unknown' });
    expect(parseQd130BirthDate('19650000')).toEqual({ kind: 'unknown' });
  });

  it('rejects impossible dates and times and other lengths', () => {
    for (const text of ['19900230', '199013010000', '199001012460', '1990-01-01', '1990031', '']) {
      expect(parseQd130BirthDate(text)).toEqual({ kind: 'invalid' });
    }
  });
});

describe('parseQd130Number', () => {
  it('reads digits with a decimal point and nothing else', () => {
    expect(parseQd130Number('1250000.50')).toBe(1250000.5);
    expect(parseQd130Number('0')).toBe(0);
    expect(parseQd130Number('1,5')).toBeUndefined();
    expect(parseQd130Number('1e5')).toBeUndefined();
    expect(parseQd130Number('12 000')).toBeUndefined();
  });
});

describe('parseResultNumber', () => {
  it('reads a decimal point or a single decimal comma, and leaves qualitative results alone', () => {
    expect(parseResultNumber('13.5')).toBe(13.5);
    expect(parseResultNumber('13,5')).toBe(13.5);
    expect(parseResultNumber(' 250 ')).toBe(250);
    expect(parseResultNumber('<0.5')).toBeUndefined();
    expect(parseResultNumber('Âm tính')).toBeUndefined();
    expect(parseResultNumber('120/80')).toBeUndefined();
  });
});

describe('splitQd130List', () => {
  it('splits on ; and drops blanks', () => {
    expect(splitQd130List(' I10; E11.9;;E78.5 ')).toEqual(['I10', 'E11.9', 'E78.5']);
    expect(splitQd130List(null)).toEqual([]);
  });
});
