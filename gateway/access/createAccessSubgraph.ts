import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { GraphQLSchema } from 'graphql';
import type { ConsentDirectives } from '../../core/consent/ConsentDirectives';
import { NO_OPT_OUTS } from '../../core/consent/ConsentDirectives';
import type { SensitiveCategory } from '../../core/consent/sensitiveCategories';
import { PatientGraphError } from '../../core/errors/PatientGraphError';
import { sha256Hex } from '../../core/crypto/sha256Hex';
import { parseFacilityCode } from '../../core/identifiers/facilityCode';
import { parseNationalId } from '../../core/identifiers/nationalId';
import { DateTimeScalar } from '../../contracts/scalars';
import { loadContract } from '../../contracts/loadContract';
import { mayBreakTheGlass } from '../access-model/ruleFor';
import type { AuditLog } from '../audit/AuditLog';
import type { AuditRecord } from '../audit/AuditRecord';
import { toFhirAuditEvent } from '../audit/toFhirAuditEvent';
import type { GatewayContext } from '../server/GatewayContext';
import type { ConsentStore } from '../state/ConsentStore';
import type { BreakTheGlassGrant, GrantStore } from '../state/GrantStore';
import type { Principal } from '../../core/security/Principal';
import type { AuditEntry } from '../audit/AuditEntry';
import type { AccessContext } from './AccessDataSource';
import { parseBreakTheGlassReason } from './parseBreakTheGlassReason';

export interface AccessSubgraphOptions {
  readonly audit: AuditLog;
  readonly consent: ConsentStore;
  readonly grants: GrantStore;
  /** How long a break-the-glass grant lasts (default 30 minutes). */
  readonly grantTtlMs?: number;
  readonly now?: () => Date;
}

const MAX_ENTRIES = 500;

/**
 * The `access` contract (consent, break-the-glass, audit trail), served in process by the gateway
 * through Apollo's LocalGraphQLDataSource: the gateway's context (the principal) reaches these
 * resolvers directly. Field policies were already enforced before planning; the row-level rules
 * that need data (own record only) are checked here again as defence in depth.
 */
export function createAccessSubgraph(options: AccessSubgraphOptions): GraphQLSchema {
  const now = options.now ?? (() => new Date());
  const grantTtlMs = options.grantTtlMs ?? 30 * 60 * 1000;
  const resolvers: GraphQLResolverMap<GatewayContext> = {
    DateTime: DateTimeScalar,
    Query: {
      auditEvents: async (_root, args: { patient?: string | null; from?: string | null; to?: string | null; first?: number | null }) => {
        const first = boundedCount(args.first);
        const records = await options.audit.read({
          ...(args.patient ? { patient: args.patient } : {}),
          ...(args.from ? { from: args.from } : {}),
          ...(args.to ? { to: args.to } : {}),
        });
        return records.slice(-first).reverse().map(toAuditEventView);
      },
    },
    Mutation: {
      breakTheGlass: async (_root, args: { nationalId: string; reason: string }, context: AccessContext) => {
        const principal = context.principal;
        if (!principal || !mayBreakTheGlass(principal)) throw new PatientGraphError('FORBIDDEN', 'Your role may not break the glass (access model).');
        const parsed = parseBreakTheGlassReason(args.reason);
        if (parsed.kind === 'invalid') throw new PatientGraphError('BAD_USER_INPUT', parsed.problem);
        const reason = parsed.reason;
        requireNationalId(args.nationalId);
        const grantedAt = now();
        const grant = {
          sub: principal.sub,
          nationalId: args.nationalId,
          reason,
          grantedAt: grantedAt.toISOString(),
          expiresAt: new Date(grantedAt.getTime() + grantTtlMs).toISOString(),
        };
        // The grant's own audit record first, durably: if it cannot be written there is no grant
        // (docs/architecture.md §6). A grant store failing afterwards leaves a record of a grant
        // that never took effect: the trail may over-report, never under-report.
        await options.audit.append(grantAuditEntry(grant, principal, context));
        await options.grants.create(grant);
        context.events.emit({ kind: 'glass-broken', nationalId: args.nationalId, reason });
        return { nationalId: grant.nationalId, reason: grant.reason, expiresAt: grant.expiresAt };
      },
      setConsent: async (_root, args: { nationalId: string; optedOutFacilityCodes: string[]; optedOutCategories: SensitiveCategory[] }, context: GatewayContext) => {
        if (context.principal?.role !== 'patient' || context.principal.sub !== args.nationalId) {
          throw new PatientGraphError('FORBIDDEN', 'A patient may set only their own consent.');
        }
        for (const code of args.optedOutFacilityCodes) {
          const check = parseFacilityCode(code);
          if (check.kind === 'invalid') throw new PatientGraphError('INVALID_IDENTIFIER', `Invalid facility code in "optedOutFacilityCodes": ${check.reason}.`);
        }
        const directives: ConsentDirectives = {
          optedOutFacilityCodes: [...new Set(args.optedOutFacilityCodes)].sort(),
          optedOutCategories: [...new Set(args.optedOutCategories)].sort(),
          updatedAt: now().toISOString(),
        };
        await options.consent.set(args.nationalId, directives);
        context.events.emit({ kind: 'patient-touched', nationalId: args.nationalId });
        return directives;
      },
    },
    Patient: {
      __resolveReference: (reference: { nationalId: string }) => ({ nationalId: reference.nationalId }),
      accessLog: async (patient: { nationalId: string }, args: { first?: number | null }) => {
        const records = await options.audit.read({ patient: patient.nationalId });
        return records.slice(-boundedCount(args.first)).reverse().map(toAccessLogEntry);
      },
      consent: async (patient: { nationalId: string }) => (await options.consent.getMany([patient.nationalId])).get(patient.nationalId) ?? NO_OPT_OUTS,
    },
  };
  // buildSubgraphSchema types resolvers with an `unknown` context; ours is GatewayContext.
  return buildSubgraphSchema({ typeDefs: loadContract('access').typeDefs, resolvers: resolvers as GraphQLResolverMap<unknown> });
}

/**
 * The record of a grant (who, whom, reason, expiry), flagged for review. It names the client's
 * operation when the gateway passed it; otherwise the mutation field alone.
 */
function grantAuditEntry(grant: BreakTheGlassGrant, principal: Principal, context: AccessContext): AuditEntry {
  return {
    time: grant.grantedAt,
    traceId: context.traceId,
    principal: { sub: principal.sub, role: principal.role, facilityCode: principal.facilityCode, purposeOfUse: principal.purposeOfUse, tokenId: principal.tokenId },
    operation: context.clientOperation ?? { name: null, type: 'mutation', documentHash: sha256Hex('breakTheGlass') },
    fields: ['Mutation.breakTheGlass'],
    patients: [grant.nationalId],
    sources: [],
    outcome: 'success',
    errorCodes: [],
    breakTheGlass: { reason: grant.reason, expiresAt: grant.expiresAt },
    flags: ['review'],
  };
}

function boundedCount(first: number | null | undefined): number {
  const value = first ?? 50;
  if (!Number.isInteger(value) || value < 1 || value > MAX_ENTRIES) throw new PatientGraphError('BAD_USER_INPUT', `"first" must be between 1 and ${MAX_ENTRIES}`);
  return value;
}

function requireNationalId(value: string): void {
  const check = parseNationalId(value);
  if (check.kind === 'invalid') throw new PatientGraphError('INVALID_IDENTIFIER', `Invalid argument "nationalId": ${check.reason}.`);
}

function toAccessLogEntry(record: AuditRecord): Record<string, unknown> {
  return {
    time: record.time,
    who: record.principal.sub,
    role: record.principal.role,
    facilityCode: record.principal.facilityCode,
    purposeOfUse: record.principal.purposeOfUse,
    fields: record.fields,
    sources: record.sources,
    outcome: record.outcome,
    breakTheGlass: record.breakTheGlass !== undefined,
  };
}

function toAuditEventView(record: AuditRecord): Record<string, unknown> {
  return {
    seq: record.seq,
    time: record.time,
    hash: record.hash,
    prevHash: record.prevHash,
    traceId: record.traceId,
    sub: record.principal.sub,
    role: record.principal.role,
    facilityCode: record.principal.facilityCode,
    purposeOfUse: record.principal.purposeOfUse,
    operationName: record.operation.name,
    fields: record.fields,
    patients: record.patients,
    sources: record.sources,
    outcome: record.outcome,
    errorCodes: record.errorCodes,
    breakTheGlassReason: record.breakTheGlass?.reason ?? null,
    flags: record.flags,
    fhirAuditEvent: JSON.stringify(toFhirAuditEvent(record)),
  };
}
