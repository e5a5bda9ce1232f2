import type { ApolloServerPlugin } from '@apollo/server';
import type { DocumentNode, FormattedExecutionResult, GraphQLSchema } from 'graphql';
import { isErrorCode, type ErrorCode } from '../../core/errors/errorCodes';
import type { Logger } from '../../core/logging/logger';
import type { AuditEntry, AuditFlag, AuditOutcome } from '../audit/AuditEntry';
import { sha256Hex } from '../../core/crypto/sha256Hex';
import type { AuditLog } from '../audit/AuditLog';
import type { GatewayContext } from '../server/GatewayContext';
import { collectFieldCoordinates } from './collectFieldCoordinates';
import { collectIdentifierValues } from './collectIdentifierValues';
import type { IdentifierArguments } from './identifierArguments';

/** A search or export touching more patients than this is flagged `bulk-access`. */
const BULK_ACCESS_PATIENTS = 20;
const NATIONAL_ID = /^\d{12}$/;

/**
 * Writes one audit record per operation BEFORE the response leaves (docs/architecture.md §6): who, role,
 * purpose, every patient touched (arguments, representations, every match of a search), fields,
 * sources, outcome. If the record cannot be written, the data is not returned: the response is
 * replaced by AUDIT_UNAVAILABLE (HTTP 503). Requests that never resolved to an operation (parse
 * or validation errors) touch no data and are not audited.
 */
export function auditPlugin(options: { audit: AuditLog; logger: Logger; identifierArguments: IdentifierArguments }): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      let fields: AuditEntry['fields'] = [];
      let resolved: { document: DocumentNode; schema: GraphQLSchema } | undefined;
      return {
        async didResolveOperation({ document, schema, contextValue, request }) {
          resolved = { document, schema };
          fields = collectFieldCoordinates(document, schema);
          // Patients named in arguments count as touched even when the operation is then refused.
          for (const id of collectIdentifierValues(document, schema, options.identifierArguments, 'NATIONAL_ID', request.variables ?? {})) {
            if (NATIONAL_ID.test(id)) contextValue.touched.patients.add(id);
          }
        },
        async willSendResponse(requestContext) {
          const { contextValue, response, operation, request } = requestContext;
          if (!resolved || !contextValue.principal || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const patients = new Set(contextValue.touched.patients);
          collectNationalIds(result.data, patients);
          const errorCodes = [...new Set((result.errors ?? []).map((e) => e.extensions?.code).filter(isErrorCode))];
          const breakTheGlassReason = contextValue.touched.breakTheGlassReason;
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
            operation: {
              name: operation?.name?.value ?? null,
              type: operation?.operation ?? 'query',
              documentHash: sha256Hex(request.query ?? ''),
            },
            fields,
            patients: [...patients].sort(),
            sources: [...contextValue.touched.sources].sort(),
            outcome: outcomeOf(result, errorCodes),
            errorCodes,
            ...(breakTheGlassReason ? { breakTheGlass: { reason: breakTheGlassReason } } : {}),
            flags: flagsOf(patients.size, breakTheGlassReason !== undefined || contextValue.touched.usedBreakTheGlass === true),
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
        },
      };
    },
  };
}

function outcomeOf(result: FormattedExecutionResult, codes: readonly ErrorCode[]): AuditOutcome {
  if (codes.some((c) => c === 'FORBIDDEN' || c === 'UNAUTHENTICATED' || c === 'CONSENT_DENIED') && !hasData(result)) return 'denied';
  if (!hasData(result)) return codes.length > 0 || (result.errors ?? []).length > 0 ? 'error' : 'success';
  return (result.errors ?? []).length > 0 ? 'partial' : 'success';
}

function hasData(result: FormattedExecutionResult): boolean {
  return result.data !== null && result.data !== undefined && Object.values(result.data).some((v) => v !== null);
}

function flagsOf(patientCount: number, brokeTheGlass: boolean): AuditFlag[] {
  const flags: AuditFlag[] = [];
  if (brokeTheGlass) flags.push('review');
  if (patientCount > BULK_ACCESS_PATIENTS) flags.push('bulk-access');
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
