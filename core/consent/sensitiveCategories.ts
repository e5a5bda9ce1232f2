/**
 * Sensitive categories a patient may withhold from sharing (IHE PCF / NHS SCR practice), each
 * defined by ICD-10 code ranges (QĐ 4469/QĐ-BYT uses ICD-10). A record is in a category when any
 * of its diagnosis codes falls in one of the ranges.
 */
export const SENSITIVE_CATEGORIES = ['HIV', 'MENTAL_HEALTH', 'REPRODUCTIVE_HEALTH'] as const;
export type SensitiveCategory = (typeof SENSITIVE_CATEGORIES)[number];

/** Inclusive ICD-10 category ranges (3-character codes). */
const RANGES: Readonly<Record<SensitiveCategory, readonly (readonly [string, string])[]>> = {
  // B20–B24 HIV disease; Z21 asymptomatic HIV infection status; R75 inconclusive HIV test.
  HIV: [['B20', 'B24'], ['Z21', 'Z21'], ['R75', 'R75']],
  // F00–F99 mental and behavioural disorders (substance use F10–F19 included); X60–X84 self-harm.
  MENTAL_HEALTH: [['F00', 'F99'], ['X60', 'X84']],
  // O00–O99 pregnancy, childbirth; Z30–Z39 contraception, pregnancy supervision; N96–N98 infertility.
  REPRODUCTIVE_HEALTH: [['O00', 'O99'], ['Z30', 'Z39'], ['N96', 'N98']],
};

export function isSensitiveCategory(value: unknown): value is SensitiveCategory {
  return typeof value === 'string' && (SENSITIVE_CATEGORIES as readonly string[]).includes(value);
}

/** Whether an ICD-10 code (e.g. `B20.1`, `F32`) falls in any of the categories. */
export function codeInCategories(icd10: string, categories: readonly SensitiveCategory[]): boolean {
  const head = icd10.trim().toUpperCase().slice(0, 3);
  if (!/^[A-Z]\d\d$/.test(head)) return false;
  return categories.some((category) => RANGES[category].some(([from, to]) => head >= from && head <= to));
}
