import { isErrorCode } from '../../core/errors/errorCodes';
import { redactPhi } from '../../core/logging/logger';
import { isPurposeOfUse, isRole } from '../../core/security/Principal';
import { isAuditFlag } from './AuditEntry';

/**
 * Checks that a value is exactly an `AuditEntry`: the members it declares and no others, each a
 * code or identifier of the expected shape. Returns what is wrong (naming the member, never
 * quoting its value, which might be an identifier) or undefined. Shared by `normalizeAuditEntry`
 * (what the gateway writes) and `parseAuditRecord` (what a verifier reads), so both hold records
 * to the same rule.
 */
export function findAuditEntryProblem(value: unknown): string | undefined {
  if (!isPlainObject(value)) return 'is not a JSON object';
  return (
    unexpectedMember(value, ENTRY_MEMBERS, '') ??
    check(isCanonicalInstant(value.time), 'time', 'an ISO 8601 UTC instant') ??
    check(matches(value.traceId, TRACE_ID), 'traceId', 'a trace id') ??
    principalProblem(value.principal) ??
    operationProblem(value.operation) ??
    listProblem(value.fields, 'fields', (item) => matches(item, SCHEMA_COORDINATE), 'schema coordinates (Type.field)') ??
    listProblem(value.patients, 'patients', (item) => matches(item, NATIONAL_ID), '12-digit national IDs') ??
    listProblem(value.sources, 'sources', (item) => matches(item, SOURCE_CODE), 'source codes') ??
    check(typeof value.outcome === 'string' && OUTCOMES.includes(value.outcome), 'outcome', 'success, partial, denied or error') ??
    listProblem(value.errorCodes, 'errorCodes', isErrorCode, 'registered error codes') ??
    breakTheGlassProblem(value.breakTheGlass) ??
    listProblem(value.flags, 'flags', isAuditFlag, 'registered audit flags') ??
    refusalsProblem(value.refusals) ??
    gapProblem(value.gap) ??
    aggregatesProblem(value.aggregates) ??
    identityRunProblem(value.identityRun)
  );
}

const ENTRY_MEMBERS = ['time', 'traceId', 'principal', 'operation', 'fields', 'patients', 'sources', 'outcome', 'errorCodes', 'breakTheGlass', 'flags', 'refusals', 'gap', 'aggregates', 'identityRun'];
const PRINCIPAL_MEMBERS = ['sub', 'role', 'facilityCode', 'purposeOfUse', 'tokenId'];
const OPERATION_MEMBERS = ['name', 'type', 'documentHash'];
const OUTCOMES: readonly string[] = ['success', 'partial', 'denied', 'error'];
const OPERATION_TYPES: readonly string[] = ['query', 'mutation', 'subscription'];

/** W3C trace ids, `traceparent` values and UUIDs all fit; spaces and free text do not. */
const TRACE_ID = /^[\w.:-]{1,128}$/;
/** GraphQL Name (spec §2.1.9), and `Type.field` schema coordinates built from two of them. */
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
const SCHEMA_COORDINATE = /^[_A-Za-z][_0-9A-Za-z]*\.[_A-Za-z][_0-9A-Za-z]*$/;
const NATIONAL_ID = /^\d{12}$/;
const FACILITY_CODE = /^\d{5}$/;
/** A facility code (MA_CSKCB) or a contract-level source such as `identity`, `insurance`. */
const SOURCE_CODE = /^(\d{5}|[a-z][a-z0-9-]{0,31})$/;
const HEX_SHA256 = /^[0-9a-f]{64}$/;
const MAX_TEXT = 256;
const MAX_REASON = 1000;

function principalProblem(value: unknown): string | undefined {
  if (!isPlainObject(value)) return 'principal is not an object';
  return (
    unexpectedMember(value, PRINCIPAL_MEMBERS, 'principal.') ??
    check(isShortText(value.sub), 'principal.sub', 'a subject id') ??
    check(isRole(value.role), 'principal.role', 'a role') ??
    check(value.facilityCode === null || matches(value.facilityCode, FACILITY_CODE), 'principal.facilityCode', 'a facility code or null') ??
    check(isPurposeOfUse(value.purposeOfUse), 'principal.purposeOfUse', 'a purpose of use') ??
    check(value.tokenId === null || isShortText(value.tokenId), 'principal.tokenId', 'a token id or null')
  );
}

function operationProblem(value: unknown): string | undefined {
  if (!isPlainObject(value)) return 'operation is not an object';
  return (
    unexpectedMember(value, OPERATION_MEMBERS, 'operation.') ??
    check(value.name === null || matches(value.name, GRAPHQL_NAME), 'operation.name', 'a GraphQL name or null') ??
    check(typeof value.type === 'string' && OPERATION_TYPES.includes(value.type), 'operation.type', 'query, mutation or subscription') ??
    check(matches(value.documentHash, HEX_SHA256), 'operation.documentHash', 'a sha256 hex digest')
  );
}

function breakTheGlassProblem(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) return 'breakTheGlass is not an object';
  const reason = value.reason;
  return (
    unexpectedMember(value, ['reason', 'expiresAt'], 'breakTheGlass.') ??
    check(typeof reason === 'string' && reason.trim().length > 0 && reason.length <= MAX_REASON, 'breakTheGlass.reason', `a reason of 1–${MAX_REASON} characters`) ??
    check(value.expiresAt === undefined || isCanonicalInstant(value.expiresAt), 'breakTheGlass.expiresAt', 'an ISO 8601 UTC instant')
  );
}

function gapProblem(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) return 'gap is not an object';
  const reason = value.reason;
  return (
    unexpectedMember(value, ['reason', 'expected', 'found'], 'gap.') ??
    check(typeof reason === 'string' && reason.trim().length > 0 && reason.length <= MAX_REASON, 'gap.reason', `a reason of 1–${MAX_REASON} characters`) ??
    check(isChainPosition(value.expected) && value.expected.seq > 0, 'gap.expected', 'a seq (1 or more) and a sha256 hash') ??
    check(isChainPosition(value.found), 'gap.found', 'a seq and a sha256 hash')
  );
}

function isChainPosition(value: unknown): value is { seq: number; hash: string } {
  return (
    isPlainObject(value) &&
    Object.keys(value).every((key) => key === 'seq' || key === 'hash') &&
    typeof value.seq === 'number' &&
    Number.isSafeInteger(value.seq) &&
    value.seq >= 0 &&
    matches(value.hash, HEX_SHA256)
  );
}

function listProblem(value: unknown, name: string, isItem: (item: unknown) => boolean, what: string): string | undefined {
  return check(Array.isArray(value) && value.every(isItem), name, `a list of ${what}`);
}

function unexpectedMember(value: Readonly<Record<string, unknown>>, allowed: readonly string[], prefix: string): string | undefined {
  const extra = Object.keys(value).find((key) => !allowed.includes(key));
  // A stored record's member names are data too: an identifier-shaped one is not repeated.
  return extra === undefined ? undefined : `has an unexpected member ${prefix}${redactPhi(extra)}`;
}

function check(ok: boolean, member: string, expected: string): string | undefined {
  return ok ? undefined : `${member} is not ${expected}`;
}

function matches(value: unknown, pattern: RegExp): boolean {
  return typeof value === 'string' && pattern.test(value);
}

/** Printable text without control characters: ids from tokens, never free text with line breaks. */
function isShortText(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_TEXT && !/[\u0000-\u001f\u007f]/.test(value);
}

/** `YYYY-MM-DDTHH:mm:ss.sssZ` exactly, so time filters can compare instants without parsing offsets. */
function isCanonicalInstant(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const instant = new Date(value);
  return !Number.isNaN(instant.getTime()) && instant.toISOString() === value;
}

function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function refusalsProblem(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) return 'refusals is not an object';
  return (
    unexpectedMember(value, ['count', 'from', 'to'], 'refusals.') ??
    check(typeof value.count === 'number' && Number.isInteger(value.count) && value.count >= 1, 'refusals.count', 'a positive integer') ??
    check(isCanonicalInstant(value.from), 'refusals.from', 'an ISO 8601 UTC instant') ??
    check(isCanonicalInstant(value.to), 'refusals.to', 'an ISO 8601 UTC instant')
  );
}

/** Code-like tokens only (ICD-10 prefixes, dates, facility codes, enum values) or `*`: no free text. */
const AUDIT_ARGUMENT_TEXT = /^([\w.:-]{1,64}|\*)$/;

function aggregatesProblem(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return 'aggregates is not a list';
  for (const item of value as unknown[]) {
    if (!isPlainObject(item)) return 'aggregates holds a non-object';
    const problem =
      unexpectedMember(item, ['field', 'arguments', 'cellsReleased', 'cellsSuppressed'], 'aggregates[].') ??
      check(matches(item.field, SCHEMA_COORDINATE), 'aggregates[].field', 'a schema coordinate') ??
      check(isAuditArguments(item.arguments), 'aggregates[].arguments', 'an object of code-like scalars or lists of them') ??
      check(isCount(item.cellsReleased), 'aggregates[].cellsReleased', 'a non-negative integer') ??
      check(isCount(item.cellsSuppressed), 'aggregates[].cellsSuppressed', 'a non-negative integer');
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function identityRunProblem(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) return 'identityRun is not an object';
  const problem =
    unexpectedMember(value, ['command', 'facilities'], 'identityRun.') ??
    check(value.command === 'identity sync' || value.command === 'identity load', 'identityRun.command', 'identity sync or identity load') ??
    check(Array.isArray(value.facilities), 'identityRun.facilities', 'a list');
  if (problem !== undefined) return problem;
  for (const item of value.facilities as unknown[]) {
    if (!isPlainObject(item)) return 'identityRun.facilities holds a non-object';
    const itemProblem =
      unexpectedMember(item, ['facilityCode', 'records', 'linked', 'review', 'unmatched', 'status'], 'identityRun.facilities[].') ??
      check(matches(item.facilityCode, FACILITY_CODE), 'identityRun.facilities[].facilityCode', 'a facility code') ??
      check(isCount(item.records) && isCount(item.linked) && isCount(item.review) && isCount(item.unmatched), 'identityRun.facilities[] counts', 'non-negative integers') ??
      check(item.status === 'read' || item.status === 'failed', 'identityRun.facilities[].status', 'read or failed');
    if (itemProblem !== undefined) return itemProblem;
  }
  return undefined;
}

function isAuditArguments(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  return Object.entries(value).every(([name, v]) => GRAPHQL_NAME.test(name) && (Array.isArray(v) ? (v as unknown[]).every(isAuditScalar) : isAuditScalar(v)));
}

function isAuditScalar(value: unknown): boolean {
  if (value === null) return true;
  if (typeof value === 'number') return Number.isFinite(value);
  // A 12-digit string is shaped like a national ID: never in an aggregate's record.
  return typeof value === 'string' && AUDIT_ARGUMENT_TEXT.test(value) && !NATIONAL_ID.test(value);
}

function isCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
