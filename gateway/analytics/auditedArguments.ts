import type { AuditArgumentScalar, AuditArgumentValue } from '../audit/AuditEntry';

/** What an audit record may repeat of an argument: short code-like tokens, never free text. */
const CODE_LIKE = /^[\w.:-]{1,64}$/;
const NATIONAL_ID = /^\d{12}$/;
const WITHHELD = '*';

/**
 * The arguments of an aggregate as its audit record keeps them (docs/analytics.md, "Audit"): the
 * filters an analyst asked with — dates, ICD-10 prefixes, facility codes, enum values, limits —
 * so that differencing patterns can be found afterwards. Anything else (free text, an object, a
 * value shaped like a national ID) is written as `*`: the record says the argument was given, not
 * what it held. Pure.
 */
export function auditedArguments(args: Iterable<readonly [string, unknown]>): Record<string, AuditArgumentValue> {
  const out: Record<string, AuditArgumentValue> = {};
  for (const [name, value] of args) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? (value as unknown[]).map(auditedScalar) : auditedScalar(value);
  }
  return out;
}

function auditedScalar(value: unknown): AuditArgumentScalar {
  if (value === null) return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : WITHHELD;
  if (typeof value === 'string' && CODE_LIKE.test(value) && !NATIONAL_ID.test(value)) return value;
  return WITHHELD;
}
