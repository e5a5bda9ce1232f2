import type { MatchGender, MatchRecord } from './MatchRecord';
import { parseBirthDate } from './parseBirthDate';

/** One line of `patient-graph identity match --input pairs.jsonl`: `{ "id", "a": R, "b": R }`. */
export interface MatchPair {
  readonly id: string;
  readonly a: MatchRecord;
  readonly b: MatchRecord;
}

export type ParsedPair = { readonly ok: true; readonly pair: MatchPair } | { readonly ok: false; readonly problem: string };

const GENDERS: readonly MatchGender[] = ['male', 'female', 'other', 'unknown'];
const OPTIONAL_TEXT = ['nationalId', 'insuranceNumber', 'province', 'address', 'phone'] as const;
const KNOWN_KEYS = new Set<string>(['fullName', 'birthDate', 'gender', ...OPTIONAL_TEXT]);

/**
 * Validates one JSON line of a pair file. The problem text names the field and the rule, never
 * its value (values are personal data).
 */
export function parseMatchPair(line: string): ParsedPair {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, problem: 'not valid JSON' };
  }
  if (!isObject(value)) return { ok: false, problem: 'a line must be a JSON object { "id", "a", "b" }' };
  const id = value.id;
  if (typeof id !== 'string' && typeof id !== 'number') return { ok: false, problem: '"id" must be a string or a number' };
  const a = parseMatchRecord(value.a, 'a');
  if (typeof a === 'string') return { ok: false, problem: a };
  const b = parseMatchRecord(value.b, 'b');
  if (typeof b === 'string') return { ok: false, problem: b };
  return { ok: true, pair: { id: String(id), a, b } };
}

/**
 * Validates one record `R` (docs/identity.md); `side` names it in the problem text. Returns the
 * record, or the problem (field and rule, never the value).
 */
export function parseMatchRecord(value: unknown, side: string, extraKeys: readonly string[] = []): MatchRecord | string {
  if (!isObject(value)) return `"${side}" must be an object`;
  const unknown = Object.keys(value).find((k) => !KNOWN_KEYS.has(k) && !extraKeys.includes(k));
  if (unknown !== undefined) return `"${side}" has an unknown field "${unknown.slice(0, 40)}"`;
  const { fullName, birthDate, gender } = value;
  if (typeof fullName !== 'string' || fullName.trim() === '') return `"${side}.fullName" must be a non-empty string`;
  if (typeof birthDate !== 'string' || !/^\d{4}(-\d{2}-\d{2})?$/.test(birthDate) || !parseBirthDate(birthDate)) {
    return `"${side}.birthDate" must be "YYYY-MM-DD" or "YYYY"`;
  }
  if (typeof gender !== 'string' || !GENDERS.includes(gender as MatchGender)) {
    return `"${side}.gender" must be one of ${GENDERS.join(', ')}`;
  }
  const optional: { -readonly [K in (typeof OPTIONAL_TEXT)[number]]?: string } = {};
  for (const key of OPTIONAL_TEXT) {
    const field = value[key];
    if (field === undefined || field === null) continue;
    if (typeof field !== 'string') return `"${side}.${key}" must be a string`;
    optional[key] = field;
  }
  return { fullName, birthDate, gender: gender as MatchGender, ...optional };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
