import { PatientGraphError } from '../../core/errors/PatientGraphError';
import type { ErrorCode } from '../../core/errors/errorCodes';

/** Everything that can go wrong with one request to a FHIR server, as the adapter sees it. */
export type FhirFailure =
  /** No answer at all: connection refused or reset, DNS failure, TLS failure. */
  | { readonly kind: 'unreachable' }
  /** Our deadline (`timeoutMs`) passed before the whole answer arrived. */
  | { readonly kind: 'timeout'; readonly timeoutMs: number }
  /** A non-2xx status, or an OperationOutcome where a Bundle was expected (any status). */
  | { readonly kind: 'http'; readonly status: number; readonly issueCode: string | undefined }
  /** Not JSON, truncated JSON, not a searchset Bundle, a `next` link off the server. */
  | { readonly kind: 'malformed'; readonly reason: string }
  /** A search went past the configured cap. */
  | { readonly kind: 'limit'; readonly limit: 'maxPages' | 'maxResources'; readonly value: number };

/** Where the failure happened: never a URL or a search value (they hold patient identifiers). */
export interface FhirFailureContext {
  readonly facilityCode: string;
  readonly resourceType: string;
}

/**
 * The coded error (core/errors) a FHIR failure becomes. Codes: SOURCE_TIMEOUT for our deadline and
 * for gateway timeouts (HTTP 408/504); SOURCE_UNAVAILABLE when the server is down, failing (5xx),
 * throttling (429) or refusing our credentials (401/403); SOURCE_INVALID_RESPONSE for everything
 * the server answered that cannot be used (other 4xx, OperationOutcome instead of a Bundle, bad
 * JSON, wrong shape, a search past its cap). Messages name the facility and resource type only.
 */
export function fhirSourceError(failure: FhirFailure, context: FhirFailureContext, cause?: unknown): PatientGraphError {
  const server = `the FHIR server of facility ${context.facilityCode}`;
  const details = { facilityCode: context.facilityCode, resourceType: context.resourceType };
  const options = cause === undefined ? undefined : { cause };
  switch (failure.kind) {
    case 'unreachable':
      return new PatientGraphError('SOURCE_UNAVAILABLE', `${server} could not be reached`, details, options);
    case 'timeout':
      return new PatientGraphError('SOURCE_TIMEOUT', `${server} did not answer a search for ${context.resourceType} within ${failure.timeoutMs} ms`, details, options);
    case 'http': {
      const issue = failure.issueCode !== undefined && /^[a-z-]{1,40}$/.test(failure.issueCode) ? failure.issueCode : undefined;
      const what = issue !== undefined ? `HTTP ${failure.status} with an OperationOutcome (${issue})` : `HTTP ${failure.status}`;
      return new PatientGraphError(codeForStatus(failure.status), `${server} answered ${what} to a search for ${context.resourceType}`, {
        ...details,
        httpStatus: failure.status,
        ...(issue !== undefined ? { issueCode: issue } : {}),
      }, options);
    }
    case 'malformed':
      return new PatientGraphError('SOURCE_INVALID_RESPONSE', `${server} answered a search for ${context.resourceType} with ${failure.reason}`, details, options);
    case 'limit':
      return new PatientGraphError(
        'SOURCE_INVALID_RESPONSE',
        `a search for ${context.resourceType} at ${server} went past adapter.${failure.limit} (${failure.value}); raise it, or adapter.pageSize`,
        { ...details, limit: failure.limit },
        options,
      );
  }
}

function codeForStatus(status: number): ErrorCode {
  if (status === 408 || status === 504) return 'SOURCE_TIMEOUT';
  if (status >= 500 || status === 401 || status === 403 || status === 429) return 'SOURCE_UNAVAILABLE';
  return 'SOURCE_INVALID_RESPONSE';
}
