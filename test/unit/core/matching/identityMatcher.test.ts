import { blockingKeys } from '../../../../core/matching/blockingKeys';
import { compareNames } from '../../../../core/matching/compareNames';
import { matchRecords } from '../../../../core/matching/matchRecords';
import type { MatchRecord } from '../../../../core/matching/MatchRecord';
import { parseBirthDate } from '../../../../core/matching/parseBirthDate';
import { parseMatchPair } from '../../../../core/matching/parseMatchPair';

const HUNG: MatchRecord = { fullName: 'Nguyễn Văn Hùng', birthDate: '1985-03-12', gender: 'male', province: '01' };

function decide(a: MatchRecord, b: MatchRecord): string {
  return matchRecords(a, b).decision;
}

describe('matchRecords: deterministic rules', () => {
  it('matches the same national ID whatever the demographics say', () => {
    const result = matchRecords({ ...HUNG, nationalId: '001085012345' }, { fullName: 'Trần Thị Lan', birthDate: '1990', gender: 'female', nationalId: '001085012345' });
    expect(result).toMatchObject({ decision: 'MATCH', method: 'NATIONAL_ID', confidence: 1, agreed: ['nationalId'] });
  });

  it('never matches two different national IDs, even with identical demographics', () => {
    expect(matchRecords({ ...HUNG, nationalId: '001085012345' }, { ...HUNG, nationalId: '001085012346' })).toMatchObject({ decision: 'NO_MATCH', method: 'NATIONAL_ID', disagreed: ['nationalId'] });
  });

  it('matches by the 10-digit BHXH code when the card changed beneficiary group and province', () => {
    const result = matchRecords({ ...HUNG, insuranceNumber: 'DN4010123456789' }, { fullName: 'Nguyen Van Hung', birthDate: '1985', gender: 'male', insuranceNumber: 'HT3790123456789' });
    expect(result).toMatchObject({ decision: 'MATCH', method: 'INSURANCE_NUMBER', agreed: ['insuranceNumber'] });
  });

  it('matches a bare BHXH code against the card that contains it', () => {
    expect(matchRecords({ ...HUNG, insuranceNumber: 'dn4010123456789' }, { ...HUNG, fullName: 'X', insuranceNumber: '0123456789' }).method).toBe('INSURANCE_NUMBER');
  });

  it('counts two different BHXH codes as strong evidence against', () => {
    const result = matchRecords({ ...HUNG, insuranceNumber: 'DN4010123456789' }, { ...HUNG, insuranceNumber: 'DN4010123456000' });
    expect(result.decision).toBe('POSSIBLE_MATCH');
    expect(result.disagreed).toContain('insuranceNumber');
    expect(decide({ ...HUNG, insuranceNumber: 'DN4010123456789' }, { ...HUNG, birthDate: '1985', insuranceNumber: 'DN4010123456000' })).toBe('NO_MATCH');
  });
});

describe('matchRecords: Vietnamese names', () => {
  it('ignores Unicode form (NFC/NFD), case and spacing', () => {
    expect(matchRecords(HUNG, { ...HUNG, fullName: '  NGUYỄN   văn HÙNG '.normalize('NFD') }).score).toBe(matchRecords(HUNG, HUNG).score);
    expect(decide(HUNG, { ...HUNG, fullName: 'nguyễn  văn hùng'.normalize('NFD') })).toBe('MATCH');
  });

  it('matches a name written without diacritics, with less weight than the exact name', () => {
    const bare = matchRecords(HUNG, { ...HUNG, fullName: 'Nguyen Van Hung' });
    expect(bare.decision).toBe('MATCH');
    expect(bare.score).toBeLessThan(matchRecords(HUNG, HUNG).score);
  });

  it('treats a word written with only some of its diacritics as the same word (Nguyên / Nguyễn)', () => {
    expect(compareNames('Nguyễn Văn Hưng', 'Nguyên Văn Hưng').family).toBe('bare');
    expect(compareNames('Nguyễn Văn Hưng', 'Nguyễn Văn Hưng').given).toBe('exact');
  });

  it('never strips diacritics blindly: Nguyễn Văn Hùng and Nguyễn Văn Hưng are different people', () => {
    expect(compareNames('Nguyễn Văn Hùng', 'Nguyễn Văn Hưng').given).toBe('conflict');
    const result = matchRecords({ ...HUNG, address: '12 Lê Lợi, Phường Bến Nghé', phone: '0912345678' }, { ...HUNG, fullName: 'Nguyễn Văn Hưng', address: '12 Lê Lợi, Phường Bến Nghé', phone: '0912345678' });
    expect(result).toMatchObject({ decision: 'NO_MATCH', confidence: 0 });
    expect(result.disagreed).toContain('fullName');
  });

  it('recognizes foreign name order (given name first, family name last)', () => {
    expect(compareNames('Nguyễn Văn Hùng', 'Văn Hùng Nguyễn').reordered).toBe(true);
    expect(decide(HUNG, { ...HUNG, fullName: 'Van Hung Nguyen' })).toBe('MATCH');
    expect(decide(HUNG, { ...HUNG, fullName: 'Hùng Văn Nguyễn' })).toBe('MATCH');
  });

  it('does not take a swapped middle and given name for the same name', () => {
    expect(decide({ ...HUNG, fullName: 'Nguyễn Minh Anh' }, { ...HUNG, fullName: 'Nguyễn Anh Minh' })).toBe('NO_MATCH');
  });

  it('accepts a one-letter typo in a longer word', () => {
    expect(compareNames('Nguyễn Văn Hùng', 'Nguyễn Văn Hùnh').given).toBe('typo');
    expect(decide(HUNG, { ...HUNG, fullName: 'Nguyễn Văn Hùnh' })).toBe('MATCH');
  });

  it('does not take short different names for typos (An / Anh)', () => {
    expect(compareNames('Lê Thị An', 'Lê Thị Anh').given).toBe('disagree');
  });

  it('counts a shared rare family name more than a shared Nguyễn', () => {
    const common = compareNames('Nguyễn Văn Hùng', 'Nguyễn Văn Hùng').weight;
    const rare = compareNames('Tạ Văn Hùng', 'Tạ Văn Hùng').weight;
    expect(rare - common).toBeGreaterThan(5);
  });

  it('sends a different family name to review rather than merging it', () => {
    expect(decide(HUNG, { ...HUNG, fullName: 'Trần Văn Hùng' })).not.toBe('MATCH');
  });

  it('keeps twins apart: same birth date, address and phone, different given names', () => {
    const an = { fullName: 'Phạm Minh An', birthDate: '2015-06-01', gender: 'male', province: '79', address: '5 Hùng Vương, Quận 1', phone: '0908111222' } as const;
    expect(decide(an, { ...an, fullName: 'Phạm Minh Khang' })).toBe('NO_MATCH');
  });

  it('reads a missing mark as "typed without diacritics" only when that writer never used that kind of mark', () => {
    const anh = { ...HUNG, fullName: 'Nguyễn Thị Ánh', gender: 'female' } as const;
    expect(decide(anh, { ...anh, fullName: 'Nguyen Thi Anh' })).toBe('MATCH');
    expect(decide(anh, { ...anh, fullName: 'Nguyễn Thị Anh' })).toBe('NO_MATCH'); // written with tones: Anh is another name
    expect(decide(HUNG, { ...HUNG, fullName: 'Nguyên Văn Hung' })).toBe('MATCH'); // no tones anywhere, vowel marks kept
    expect(decide(HUNG, { ...HUNG, fullName: 'Nguyễn Van Hung' })).toBe('NO_MATCH'); // tones written, Hùng's left out
  });
});

describe('matchRecords: birth dates', () => {
  it('matches a year-only date (QĐ 130 writes 0000 for unknown day and month) as a possible match', () => {
    expect(parseBirthDate('19850000')).toEqual({ kind: 'year', year: '1985' });
    expect(parseBirthDate('1985-00-00')).toEqual({ kind: 'year', year: '1985' });
    expect(decide(HUNG, { ...HUNG, birthDate: '1985' })).toBe('POSSIBLE_MATCH');
    expect(decide(HUNG, { ...HUNG, birthDate: '1985-00-00', phone: '0912345678' })).toBe('POSSIBLE_MATCH');
    expect(decide({ ...HUNG, phone: '+84 912 345 678' }, { ...HUNG, birthDate: '1985', phone: '0912.345.678' })).toBe('MATCH');
  });

  it('matches day and month swapped', () => {
    expect(decide(HUNG, { ...HUNG, birthDate: '1985-12-03' })).toBe('MATCH');
  });

  it('matches one digit off', () => {
    expect(decide(HUNG, { ...HUNG, birthDate: '1985-03-13' })).toBe('MATCH');
    expect(decide(HUNG, { ...HUNG, birthDate: '1986-03-12' })).toBe('MATCH');
  });

  it('does not match the same common name and birth year in the same province', () => {
    expect(decide(HUNG, { ...HUNG, birthDate: '1985-07-25' })).toBe('NO_MATCH');
  });

  it('rejects impossible dates', () => {
    expect(parseBirthDate('2023-02-30')).toBeUndefined();
    expect(parseBirthDate('85-03-12')).toBeUndefined();
  });
});

describe('matchRecords: other fields', () => {
  it('sends a gender contradiction to review or below', () => {
    expect(decide(HUNG, { ...HUNG, gender: 'female' })).toBe('POSSIBLE_MATCH');
    expect(decide(HUNG, { ...HUNG, gender: 'female', province: '79', birthDate: '1985-03-13' })).toBe('NO_MATCH');
    expect(matchRecords(HUNG, { ...HUNG, gender: 'unknown' }).agreed).not.toContain('gender');
  });

  it('reads provinces as codes or names, with or without diacritics', () => {
    expect(matchRecords(HUNG, { ...HUNG, province: 'Ha Noi' }).agreed).toContain('province');
    expect(matchRecords({ ...HUNG, province: 'TP Hồ Chí Minh' }, { ...HUNG, province: 'Thành phố Hồ Chí Minh' }).agreed).toContain('province');
    expect(matchRecords(HUNG, { ...HUNG, province: '79' }).disagreed).toContain('province');
  });

  it('reports agreed and disagreed fields and a confidence in 0–1 that grows with the score', () => {
    const strong = matchRecords(HUNG, { ...HUNG, phone: '0912345678' });
    const weak = matchRecords(HUNG, { ...HUNG, birthDate: '1985' });
    expect(strong.agreed).toEqual(['fullName', 'birthDate', 'gender', 'province']);
    expect(weak.confidence).toBeGreaterThan(0);
    expect(weak.confidence).toBeLessThan(strong.confidence);
    expect(strong.confidence).toBeLessThanOrEqual(1);
  });
});

describe('blockingKeys', () => {
  it('puts the usual error types of one person under a shared key', () => {
    const variants: MatchRecord[] = [
      { ...HUNG, fullName: 'Nguyen Van Hung' },
      { ...HUNG, fullName: 'Văn Hùng Nguyễn' },
      { ...HUNG, birthDate: '1985' },
      { ...HUNG, birthDate: '1985-12-03' },
      { ...HUNG, fullName: 'Nguyễn Văn Hùnh' },
      { ...HUNG, fullName: 'Nguyen Văn Hung', birthDate: '1985-03-13' },
    ];
    const keys = new Set(blockingKeys(HUNG));
    for (const variant of variants) expect(blockingKeys(variant).some((k) => keys.has(k))).toBe(true);
  });

  it('keys identifiers and never carries diacritics', () => {
    const keys = blockingKeys({ ...HUNG, nationalId: '001085012345', insuranceNumber: 'DN4010123456789', phone: '+84912345678' });
    expect(keys).toEqual(expect.arrayContaining(['nid:001085012345', 'bhxh:0123456789', 'tel:912345678', 'yg:1985|hung', 'dfm:19850312|nguyen']));
    expect(keys.join(' ')).toMatch(/^[\x20-\x7e]+$/);
  });
});

describe('parseMatchPair', () => {
  it('accepts a pair with optional fields', () => {
    const parsed = parseMatchPair(JSON.stringify({ id: 7, a: { fullName: 'Lê Thị Lan', birthDate: '1990', gender: 'female' }, b: { ...HUNG, gender: 'male', phone: '0912345678' } }));
    expect(parsed).toMatchObject({ ok: true, pair: { id: '7' } });
  });

  it.each([
    ['not json', 'not valid JSON'],
    [JSON.stringify({ id: 'x', a: { fullName: 'A', birthDate: '1990', gender: 'female' } }), '"b" must be an object'],
    [JSON.stringify({ id: 'x', a: { fullName: 'A', birthDate: '12/03/1990', gender: 'female' }, b: HUNG }), '"a.birthDate" must be "YYYY-MM-DD" or "YYYY"'],
    [JSON.stringify({ id: 'x', a: { fullName: 'A', birthDate: '1990', gender: 'F' }, b: HUNG }), '"a.gender" must be one of male, female, other, unknown'],
    [JSON.stringify({ id: 'x', a: { fullName: 'A', birthDate: '1990', gender: 'male', ssn: '1' }, b: HUNG }), '"a" has an unknown field "ssn"'],
  ])('reports a bad line without its values: %s', (line, problem) => {
    expect(parseMatchPair(line)).toEqual({ ok: false, problem });
  });
});
