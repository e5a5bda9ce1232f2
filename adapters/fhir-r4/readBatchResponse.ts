/** One entry of a batch-response Bundle. */
export interface BatchEntryResult {
  /** The status code at the start of `entry.response.status` (`"200 OK"` → 200); 0 when missing. */
  readonly status: number;
  /** The first issue code of `entry.response.outcome` or of an OperationOutcome resource. */
  readonly issueCode: string | undefined;
  readonly resource: unknown;
}

export type BatchResponse = { readonly kind: 'entries'; readonly entries: readonly BatchEntryResult[] } | { readonly kind: 'invalid'; readonly reason: string };

/**
 * Reads the answer to a FHIR batch (http.html#transaction-response): a `batch-response` Bundle with
 * exactly one entry per request entry, in the same order, each with `response.status`.
 */
export function readBatchResponse(json: unknown, expectedEntries: number): BatchResponse {
  if (!isRecord(json) || json.resourceType !== 'Bundle' || json.type !== 'batch-response' || !Array.isArray(json.entry)) {
    return { kind: 'invalid', reason: 'something that is not a batch-response Bundle' };
  }
  if (json.entry.length !== expectedEntries) return { kind: 'invalid', reason: 'a batch-response with the wrong number of entries' };
  const entries: BatchEntryResult[] = [];
  for (const entry of json.entry as unknown[]) {
    const response = isRecord(entry) && isRecord(entry.response) ? entry.response : undefined;
    const status = typeof response?.status === 'string' ? Number.parseInt(response.status, 10) : NaN;
    const resource = isRecord(entry) ? entry.resource : undefined;
    const outcome = isRecord(resource) && resource.resourceType === 'OperationOutcome' ? resource : response?.outcome;
    entries.push({ status: Number.isInteger(status) ? status : 0, issueCode: firstIssueCode(outcome), resource });
  }
  return { kind: 'entries', entries };
}

function firstIssueCode(outcome: unknown): string | undefined {
  if (!isRecord(outcome) || !Array.isArray(outcome.issue)) return undefined;
  const first: unknown = outcome.issue[0];
  return isRecord(first) && typeof first.code === 'string' ? first.code : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
