import { isContractName } from '../../contracts/loadContract';
import { SOURCE_STATUSES, type SourceRecord, type SourceStatus } from './SourceRecord';

/**
 * Reads a stored record back (file or Redis): anything that is not a complete record is refused
 * with the reason, so a hand-edited or foreign entry is reported rather than half-applied.
 */
export function parseSourceRecord(value: unknown): { kind: 'record'; record: SourceRecord } | { kind: 'invalid'; reason: string } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { kind: 'invalid', reason: 'not an object' };
  const v = value as Record<string, unknown>;
  const strings = ['code', 'name', 'contract', 'url', 'signingSecretRef', 'status', 'registeredBy', 'registeredAt'] as const;
  for (const key of strings) {
    if (typeof v[key] !== 'string') return { kind: 'invalid', reason: `"${key}" is not a string` };
  }
  const contract = v.contract as string;
  const contractSdl = v.contractSdl;
  if (contractSdl !== undefined && typeof contractSdl !== 'string') return { kind: 'invalid', reason: '"contractSdl" is not a string' };
  if (!isContractName(contract) && contractSdl === undefined) return { kind: 'invalid', reason: `unknown contract "${contract}" and no contractSdl` };
  const status = v.status as string;
  if (!(SOURCE_STATUSES as readonly string[]).includes(status)) return { kind: 'invalid', reason: `unknown status "${status}"` };
  const limits = v.limits as { deadlineMs?: unknown; concurrency?: unknown } | null | undefined;
  if (!limits || typeof limits !== 'object' || !Number.isInteger(limits.deadlineMs) || !Number.isInteger(limits.concurrency)) {
    return { kind: 'invalid', reason: '"limits" needs integer deadlineMs and concurrency' };
  }
  return {
    kind: 'record',
    record: {
      code: v.code as string,
      name: v.name as string,
      contract,
      ...(contractSdl === undefined ? {} : { contractSdl }),
      url: v.url as string,
      signingSecretRef: v.signingSecretRef as string,
      limits: { deadlineMs: limits.deadlineMs as number, concurrency: limits.concurrency as number },
      status: status as SourceStatus,
      registeredBy: v.registeredBy as string,
      registeredAt: v.registeredAt as string,
    },
  };
}
