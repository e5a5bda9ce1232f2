import { socialInsuranceNumberOf } from '../identifiers/insuranceNumber';
import { nameWords } from './compareNames';
import { foldWord } from './foldDiacritics';
import type { MatchRecord } from './MatchRecord';
import { normalizePhone } from './normalizeContact';
import { parseBirthDate } from './parseBirthDate';

/**
 * The blocking keys of a record: two records are compared only when they share a key, so matching
 * one record against 10 million people reads a few hundred candidates (docs/identity.md):
 * - `nid:` national ID, `bhxh:` 10-digit BHXH code, `tel:` phone — the identifiers;
 * - `yg:` birth year + given name without diacritics (survives diacritics, family-name typos,
 *   day/month errors and year-only dates): ~10⁷ / (70 years × ~300 given names) ≈ 500 people;
 * - `dfm:` full birth date + family name without diacritics (survives given-name typos): ≈ 150
 *   for Nguyễn, far fewer for other names;
 * - `yn:` birth year + the sorted name words without diacritics (survives foreign name order).
 * Keys are plain strings without diacritics or personal values beyond what the index already holds.
 */
export function blockingKeys(record: MatchRecord): string[] {
  const keys = new Set<string>();
  const nationalId = record.nationalId?.trim();
  if (nationalId) keys.add(`nid:${nationalId}`);
  const bhxh = record.insuranceNumber?.trim() ? socialInsuranceNumberOf(record.insuranceNumber.trim().toUpperCase()) : undefined;
  if (bhxh) keys.add(`bhxh:${bhxh}`);
  const phone = record.phone ? normalizePhone(record.phone) : undefined;
  if (phone) keys.add(`tel:${phone}`);
  const words = nameWords(record.fullName).map((w) => foldWord(w).base);
  const date = record.birthDate ? parseBirthDate(record.birthDate) : undefined;
  if (date && words.length > 0) {
    keys.add(`yg:${date.year}|${words[words.length - 1]}`);
    keys.add(`yn:${date.year}|${[...words].sort().join(' ')}`);
    if (date.kind === 'full' && words.length > 1) keys.add(`dfm:${date.year}${date.month}${date.day}|${words[0]}`);
  }
  return [...keys];
}
