import { PROVINCES, isProvinceCode } from '../identifiers/provinces';
import { foldWord } from './foldDiacritics';

const PROVINCE_BY_NAME: ReadonlyMap<string, string> = new Map(
  Object.entries(PROVINCES).map(([code, name]) => [foldText(name), code]),
);

/** Province code of a code (`1`, `01`) or a name with or without diacritics; else the folded text. */
export function normalizeProvince(input: string): string {
  const text = input.trim();
  if (/^\d{1,3}$/.test(text)) {
    const code = text.padStart(3, '0').slice(-2);
    if (isProvinceCode(code)) return code;
  }
  const folded = foldText(text).replace(/^(tinh|thanh pho|tp) /, '');
  return PROVINCE_BY_NAME.get(folded) ?? PROVINCE_BY_NAME.get(`tp ${folded}`) ?? folded;
}

/**
 * A Vietnamese phone number as its national significant digits: `+84 912 345 678`,
 * `0912.345.678` and `84912345678` are the same number. Undefined when too short to be one.
 */
export function normalizePhone(input: string): string | undefined {
  let digits = input.replace(/\D/g, '');
  if (digits.startsWith('84') && digits.length >= 11) digits = digits.slice(2);
  if (digits.startsWith('0')) digits = digits.slice(1);
  return digits.length >= 9 ? digits : undefined;
}

/** Address words without diacritics, case, punctuation or the words for ward/district/street. */
export function addressWords(input: string): Set<string> {
  const words = foldText(input).split(' ').filter((w) => w !== '' && !ADDRESS_FILLER.has(w));
  return new Set(words);
}

const ADDRESS_FILLER = new Set(['so', 'duong', 'pho', 'phuong', 'quan', 'huyen', 'xa', 'tp', 'tinh', 'p', 'q', 'ap', 'thon']);

/** Share of the smaller word set found in the other (0–1). */
export function addressOverlap(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  if (small.size === 0) return 0;
  let shared = 0;
  for (const w of small) if (large.has(w)) shared++;
  return shared / Math.max(small.size, Math.ceil(large.size * 0.75));
}

function foldText(text: string): string {
  return text
    .split(/[^\p{L}\p{M}\d]+/u)
    .filter((w) => w !== '')
    .map((w) => foldWord(w).base)
    .join(' ');
}
