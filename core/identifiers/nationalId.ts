import { invalid, valid, type IdentifierCheck } from './IdentifierProblem';
import { isProvinceCode } from './provinces';

/**
 * The 12-digit personal identification number (số định danh cá nhân, printed on the CCCD):
 * `PPP G YY RRRRRR` — birth-registration province, gender/century digit, birth year, random
 * (TT 07/2016/TT-BCA; docs/standards.md §5.3). No checksum is published, so none is checked.
 */
export interface NationalId {
  readonly value: string;
  readonly provinceCode: string;
  readonly sex: 'male' | 'female';
  readonly birthYear: number;
}

export function parseNationalId(input: string): IdentifierCheck<NationalId> {
  if (!/^\d{12}$/.test(input)) {
    return invalid('a national ID (CCCD) has exactly 12 digits');
  }
  const province = input.slice(1, 3);
  if (input[0] !== '0' || !isProvinceCode(province)) {
    return invalid('a national ID (CCCD) starts with a 3-digit province code (001–096)');
  }
  const genderCentury = Number(input[3]);
  const century = 1900 + Math.floor(genderCentury / 2) * 100;
  return valid({
    value: input,
    provinceCode: province,
    sex: genderCentury % 2 === 0 ? 'male' : 'female',
    birthYear: century + Number(input.slice(4, 6)),
  });
}

/** Gender/century digit for a birth year and sex (even = male, odd = female; 0/1 = 1900s). */
export function genderCenturyDigit(birthYear: number, sex: 'male' | 'female'): number {
  const centuryIndex = Math.floor((birthYear - 1900) / 100);
  if (centuryIndex < 0 || centuryIndex > 4) throw new RangeError('birth year outside 1900–2399');
  return centuryIndex * 2 + (sex === 'female' ? 1 : 0);
}
