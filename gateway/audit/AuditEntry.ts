import type { ErrorCode } from '../../core/errors/errorCodes';
import type { PurposeOfUse, Role } from '../../core/security/Principal';

/**
 * What the gateway knows about one GraphQL operation, written before any data leaves (docs/architecture.md
 * §6). Following IHE ATNA and BALP, an audit record says *what was asked* (who, why, which
 * fields, which patients, which sources, how it ended), never the results: every field below is a
 * code, an identifier or a count, so no name, birth date or clinical value has a place to go.
 * The free-text `breakTheGlass.reason` is the one exception, and it holds the clinician's own
 * justification, which auditors must read verbatim (NHS Spine "legitimate relationship" override);
 * so is `gap.reason`, an operator's account of lost records.
 */
export interface AuditEntry {
  /** When the operation ran, ISO 8601; stored as a UTC instant (`Date#toISOString`). */
  readonly time: string;
  /** The request's trace id (`GatewayContext.traceId`), so the record joins the logs. */
  readonly traceId: string;
  readonly principal: AuditPrincipal;
  readonly operation: AuditOperation;
  /** Schema coordinates requested, e.g. `Query.patient`, `Patient.encounters`. */
  readonly fields: readonly SchemaCoordinate[];
  /** 12-digit national IDs of every patient touched, including every match of a search. */
  readonly patients: readonly string[];
  /** Codes of every source asked: facility codes (MA_CSKCB) and `identity`, `insurance`. */
  readonly sources: readonly string[];
  readonly outcome: AuditOutcome;
  /** Registered codes of the errors the response carried. */
  readonly errorCodes: readonly ErrorCode[];
  /**
   * Present only when a clinician overrode the care-relationship rule (docs/architecture.md §6).
   * `expiresAt` is set on the record written for the grant itself, before the grant exists.
   */
  readonly breakTheGlass?: { readonly reason: string; readonly expiresAt?: string };
  readonly flags: readonly AuditFlag[];
  /**
   * Present only on the one record that stands for many requests of a principal refused before
   * planning (rate limiting, docs/architecture.md §9): how many, and the first and last of them.
   */
  readonly refusals?: AuditRefusals;
  /**
   * Present only on the record an operator writes to acknowledge lost records (`patient-graph
   * audit acknowledge-gap`): the chain no longer held what a gateway had written, and from this
   * record on it goes on knowingly. `audit verify` reports every one of them.
   */
  readonly gap?: AuditGap;
  /**
   * Present only when the operation asked an aggregate (`@disclose` fields, docs/analytics.md):
   * per field, the filters it was asked with and how many cells were released and suppressed —
   * counts of cells, never their values.
   */
  readonly aggregates?: readonly AuditAggregate[];
  /**
   * Present only on the record of a patient-index run (`patient-graph identity sync` / `identity
   * load`, docs/identity.md §2): per facility, how many records were read and how the matcher
   * decided them — counts, never who.
   */
  readonly identityRun?: AuditIdentityRun;
}

/** One `identity sync` or `identity load` run: which facilities, and counts only. */
export interface AuditIdentityRun {
  readonly command: 'identity sync' | 'identity load';
  readonly facilities: readonly AuditIdentityFacility[];
}

export interface AuditIdentityFacility {
  /** MA_CSKCB. */
  readonly facilityCode: string;
  readonly records: number;
  readonly linked: number;
  readonly review: number;
  readonly unmatched: number;
  /** `failed`: the source could not be read (its checkpoint stayed where it was); text, as every leaf of a record. */
  readonly status: 'read' | 'failed';
}

/** What was lost, as the gateway that noticed it saw it, and the operator's account of why. */
export interface AuditGap {
  /** The operator's words (10 to 500 letters or digits, like a break-the-glass reason). */
  readonly reason: string;
  /** The last record a gateway knew written (its checkpoint), which the log no longer held. */
  readonly expected: { readonly seq: number; readonly hash: string };
  /** Where the log ended instead when the loss was noticed (seq 0: nothing left). */
  readonly found: { readonly seq: number; readonly hash: string };
}

/** One aggregate field of an operation, as released by disclosure control. */
export interface AuditAggregate {
  readonly field: SchemaCoordinate;
  /**
   * The arguments as asked (filters, grouping, limits): scalars and lists of scalars; a string
   * that is not a short code-like token (ICD-10 prefix, date, facility code, enum) is written as `*`.
   */
  readonly arguments: Readonly<Record<string, AuditArgumentValue>>;
  readonly cellsReleased: number;
  readonly cellsSuppressed: number;
}

/** Booleans are written as `true`/`false` text, so every leaf of a record stays a string, number or null. */
export type AuditArgumentScalar = string | number | null;
export type AuditArgumentValue = AuditArgumentScalar | readonly AuditArgumentScalar[];

export interface AuditRefusals {
  readonly count: number;
  /** ISO 8601 UTC instants of the first and the last refused request. */
  readonly from: string;
  readonly to: string;
}

/** The facts of `core/security/Principal` an auditor needs; scopes are policy, not evidence. */
export interface AuditPrincipal {
  readonly sub: string;
  readonly role: Role;
  readonly facilityCode: string | null;
  readonly purposeOfUse: PurposeOfUse;
  /** The token's `jti`; BALP puts it in `AuditEvent.agent.policy`. */
  readonly tokenId: string | null;
}

export interface AuditOperation {
  /** The GraphQL operation name; null for anonymous operations. */
  readonly name: string | null;
  readonly type: OperationType;
  /**
   * sha256 (hex) of the query text (`sha256Hex(query)`). BALP would keep the raw query base64
   * encoded; the hash identifies it (against the persisted-query safelist) without storing
   * literal arguments, which may hold names.
   */
  readonly documentHash: string;
}

export type OperationType = 'query' | 'mutation' | 'subscription';

/**
 * `partial`: some sources could not answer (SOURCE_UNAVAILABLE …) but data was returned;
 * `denied`: policy or consent refused it; `error`: nothing useful was returned.
 */
export type AuditOutcome = 'success' | 'partial' | 'denied' | 'error';

/** `Type.field`, as in the GraphQL schema-coordinates RFC. */
export type SchemaCoordinate = `${string}.${string}`;

/**
 * Markers for the auditor's attention. A closed list, like the error-code registry, so a flag can
 * never carry free text; add a flag here with its meaning.
 */
export const AUDIT_FLAGS = {
  review: 'An auditor should look at this access (break-the-glass, policy override, unusual pattern).',
  'bulk-access': 'The operation touched many patients at once (a search or an export).',
  'sensitive-category': 'The operation asked for a sensitive category (e.g. HIV, mental health) the patient may restrict.',
  'possible-matches': 'The operation asked for records only possibly matched to the patient (`includePossibleMatches`): they may be someone else’s.',
} as const satisfies Record<string, string>;

export type AuditFlag = keyof typeof AUDIT_FLAGS;

export function isAuditFlag(value: unknown): value is AuditFlag {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(AUDIT_FLAGS, value);
}
