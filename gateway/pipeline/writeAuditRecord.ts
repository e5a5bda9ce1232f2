import type { GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql';
import { isErrorCode, type ErrorCode } from '../../core/errors/errorCodes';
import { sha256Hex } from '../../core/crypto/sha256Hex';
import type { Logger } from '../../core/logging/logger';
import type { AuditEntry, AuditFlag, AuditOutcome } from '../audit/AuditEntry';
import type { AuditLog } from '../audit/AuditLog';
import type { GatewayContext } from '../server/GatewayContext';
import { summarizeRequestEvents } from '../server/RequestEvents';
import { identifierStrings } from './identifierStep';
import type { OperationFacts } from './OperationFacts';

/** A search or export touching more patients than this is flagged `bulk-access`. */
const BULK_ACCESS_PATIENTS = 20;
const NATIONAL_ID = /^\d{12}$/;

/**
 * Writes the audit record of one operation BEFORE the response leaves (docs/architecture.md §6):
 * who, role, purpose, every patient touched (arguments, representations, every match of a
 * search), fields, sources, outcome. If the record cannot be written, the data is not returned:
 * the response is replaced by AUDIT_UNAVAILABLE (HTTP 503).
 */
export async function writeAuditRecord(
  options: { readonly audit: AuditLog; readonly logger: Logger },
  requestContext: GraphQLRequestContextWillSendResponse<GatewayContext>,
  facts: OperationFacts,
): Promise<void> {
  const { contextValue, response, request } = requestContext;
  if (!contextValue.principal || response.body.kind !== 'single') return;
  const result = response.body.singleResult;
  const happened = summarizeRequestEvents(contextValue.events.list());
  const patients = new Set(happened.patients);
  // Patients named in arguments count as touched even when the operation is then refused.
  for (const site of facts.identifiers) {
    if (site.kind !== 'NATIONAL_ID') continue;
    for (const id of identifierStrings(site.value, request.variables ?? {})) if (NATIONAL_ID.test(id)) patients.add(id);
  }
  collectNationalIds(result.data, patients);
  const errorCodes = [...new Set((result.errors ?? []).map((e) => e.extensions?.code).filter(isErrorCode))];
  const { breakTheGlassReason } = happened;
  const entry: AuditEntry = {
    time: new Date().toISOString(),
    traceId: contextValue.traceId,
    principal: {
      sub: contextValue.principal.sub,
      role: contextValue.principal.role,
      facilityCode: contextValue.principal.facilityCode,
      purposeOfUse: contextValue.principal.purposeOfUse,
      tokenId: contextValue.principal.tokenId,
    },
    operation: { name: facts.operation.name?.value ?? null, type: facts.operation.operation, documentHash: sha256Hex(request.query ?? '') },
    fields: facts.fields,
    patients: [...patients].sort(),
    sources: [...happened.sources].sort(),
    outcome: outcomeOf(result, errorCodes),
    errorCodes,
    ...(breakTheGlassReason ? { breakTheGlass: { reason: breakTheGlassReason } } : {}),
    flags: flagsOf(patients.size, breakTheGlassReason !== undefined || happened.usedGrant, happened.possibleMatches),
    ...(happened.aggregates ? { aggregates: happened.aggregates } : {}),
  };
  try {
    await options.audit.append(entry);
  } catch (error) {
    options.logger.error('audit.append_failed', { traceId: contextValue.traceId, message: error instanceof Error ? error.message : String(error) });
    response.http.status = 503;
    response.body = {
      kind: 'single',
      singleResult: { errors: [{ message: 'The audit record could not be written, so no data was returned. Try again shortly.', extensions: { code: 'AUDIT_UNAVAILABLE' } }] },
    };
  }
}

function outcomeOf(result: FormattedExecutionResult, codes: readonly ErrorCode[]): AuditOutcome {
  if (codes.some((c) => c === 'FORBIDDEN' || c === 'UNAUTHENTICATED' || c === 'CONSENT_DENIED') && !hasData(result)) return 'denied';
  if (!hasData(result)) return codes.length > 0 || (result.errors ?? []).length > 0 ? 'error' : 'success';
  return (result.errors ?? []).length > 0 ? 'partial' : 'success';
}

function hasData(result: FormattedExecutionResult): boolean {
  return result.data !== null && result.data !== undefined && Object.values(result.data).some((v) => v !== null);
}

function flagsOf(patientCount: number, brokeTheGlass: boolean, possibleMatches: boolean): AuditFlag[] {
  const flags: AuditFlag[] = [];
  if (brokeTheGlass) flags.push('review');
  if (patientCount > BULK_ACCESS_PATIENTS) flags.push('bulk-access');
  if (possibleMatches) flags.push('possible-matches');
  return flags;
}

/** Every `nationalId` value in the response (the patients a search returned). */
function collectNationalIds(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectNationalIds(item, into);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, field] of Object.entries(value)) {
      if (key === 'nationalId' && typeof field === 'string' && NATIONAL_ID.test(field)) into.add(field);
      else collectNationalIds(field, into);
    }
  }
}
