import type { AuditEvent, AuditEventAgent, AuditEventEntity, AuditEventEntityDetail, CodeableConcept, Coding } from '@medplum/fhirtypes';
import { IDENTIFIER_SYSTEMS } from '../../contracts/model/patient';
import type { PurposeOfUse } from '../../core/security/Principal';
import type { AuditAggregate, AuditArgumentValue, AuditOutcome } from './AuditEntry';
import type { AuditRecord } from './AuditRecord';

/** Facility codes (MA_CSKCB), named like the other `urn:oid:vn:` systems of contracts/model/patient.ts. */
export const FACILITY_CODE_SYSTEM = 'urn:oid:vn:facility-code';
/** Contract-level sources that are not a facility (`identity`, `insurance`). */
export const SOURCE_SYSTEM = 'urn:oid:vn:patient-graph:source';
/** The patient-graph roles of core/security/Principal.ts. */
export const ROLE_SYSTEM = 'urn:oid:vn:patient-graph:role';

const AUDIT_EVENT_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-event-type';
const RESTFUL_INTERACTION = 'http://hl7.org/fhir/restful-interaction';
const ACT_REASON = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
const SECURITY_SOURCE_TYPE = 'http://terminology.hl7.org/CodeSystem/security-source-type';
const DICOM = 'http://dicom.nema.org/resources/ontology/DCM';
const BALP_USER_AGENT_TYPES = 'https://profiles.ihe.net/ITI/BALP/CodeSystem/UserAgentTypes';
const BALP_ENTITY_TYPES = 'https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType';

/** HL7 v3 PurposeOfUse (ActReason) for each purpose a token may declare. */
const PURPOSE_CODES: Readonly<Record<PurposeOfUse, Coding>> = {
  treatment: { system: ACT_REASON, code: 'TREAT', display: 'treatment' },
  payment: { system: ACT_REASON, code: 'HPAYMT', display: 'healthcare payment' },
  operations: { system: ACT_REASON, code: 'HOPERAT', display: 'healthcare operations' },
  research: { system: ACT_REASON, code: 'HRESCH', display: 'healthcare research' },
  'public-health': { system: ACT_REASON, code: 'PUBHLTH', display: 'public health' },
  emergency: { system: ACT_REASON, code: 'ETREAT', display: 'Emergency Treatment' },
};

/**
 * AuditEvent.outcome (R4): 0 success, 4 minor failure (the request was refused or only partly
 * answered, the HTTP 4xx family), 8 serious failure (it failed, the 5xx family).
 */
const OUTCOME_CODES: Readonly<Record<AuditOutcome, '0' | '4' | '8'>> = { success: '0', partial: '4', denied: '4', error: '8' };

/** Root fields that look one patient up by key: an operation of only these is a FHIR `read`. */
const READ_BY_KEY_ROOT_FIELDS: ReadonlySet<string> = new Set(['Query.patient']);

/**
 * One audit record as a FHIR R4 AuditEvent, loosely following IHE BALP (Basic Audit Log Patterns):
 * the RESTful Read/Query patterns with a user agent (BALP `UserOauthAgent`, the token's `jti` in
 * `agent.policy` as in BALP's IUA pattern), the gateway as observer, one entity per patient
 * (BALP `PatientRead`/`PatientQuery` put each patient in an entity with role 1 Patient) and one
 * per source asked, the operation as the query entity and the trace id as a BALP `XrequestId`
 * transaction entity. Unlike BALP's `entity[query].query` it holds no base64 query text: the
 * record keeps only the document hash. Each aggregate released through disclosure control
 * (`record.aggregates`, docs/analytics.md "Audit") is one more entity: type 2 System Object, role
 * 3 Report, named by its schema coordinate, with its arguments and cell counts as details.
 * Pure; `id` is the record's seq.
 */
export function toFhirAuditEvent(record: AuditRecord): AuditEvent {
  const interaction = restInteractionOf(record);
  return {
    resourceType: 'AuditEvent',
    id: String(record.seq),
    // AuditEvent.type/subtype: a RESTful interaction (BALP), the read or search it amounts to.
    type: { system: AUDIT_EVENT_TYPE, code: 'rest', display: 'Restful Operation' },
    subtype: [{ system: RESTFUL_INTERACTION, code: interaction.code }],
    action: interaction.action,
    recorded: record.time,
    outcome: OUTCOME_CODES[record.outcome],
    ...(record.outcome === 'success' ? {} : { outcomeDesc: [record.outcome, ...record.errorCodes].join(': ') }),
    // AuditEvent.purposeOfEvent: break-the-glass is an event-level reason (v3 ActReason BTG).
    ...(record.breakTheGlass ? { purposeOfEvent: [concept({ system: ACT_REASON, code: 'BTG', display: 'break the glass' })] } : {}),
    agent: [userAgent(record), gatewayAgent()],
    // AuditEvent.source: the gateway observed (and enforced) the access; 4 = application server.
    source: {
      site: 'patient-graph',
      observer: { display: 'patient-graph gateway' },
      type: [{ system: SECURITY_SOURCE_TYPE, code: '4', display: 'Application Server' }],
    },
    entity: [
      queryEntity(record),
      transactionEntity(record.traceId),
      ...record.patients.map(patientEntity),
      ...record.sources.map(sourceEntity),
      ...(record.aggregates ?? []).map(aggregateEntity),
    ],
  };
}

function restInteractionOf(record: AuditRecord): { code: 'read' | 'search' | 'operation'; action: 'R' | 'E' } {
  switch (record.operation.type) {
    case 'mutation':
      // A GraphQL mutation invokes a server operation (break-the-glass, consent): FHIR `operation`.
      return { code: 'operation', action: 'E' };
    case 'subscription':
      return { code: 'search', action: 'E' };
    case 'query': {
      const roots = record.fields.filter((field) => field.startsWith('Query.'));
      const isRead = roots.length > 0 && roots.every((field) => READ_BY_KEY_ROOT_FIELDS.has(field));
      // BALP: a read by id is action R; a query (search) is action E.
      return isRead ? { code: 'read', action: 'R' } : { code: 'search', action: 'E' };
    }
  }
}

/** The person who asked (AuditEvent.agent, requestor). */
function userAgent(record: AuditRecord): AuditEventAgent {
  const { sub, role, facilityCode, purposeOfUse, tokenId } = record.principal;
  return {
    type: concept({ system: BALP_USER_AGENT_TYPES, code: 'UserOauthAgent', display: 'User OAuth Agent participant' }),
    role: [concept({ system: ROLE_SYSTEM, code: role })],
    // A patient's subject is their national ID; staff subjects belong to the token issuer.
    who: { identifier: role === 'patient' ? { system: IDENTIFIER_SYSTEMS.NATIONAL_ID, value: sub } : { value: sub } },
    requestor: true,
    ...(facilityCode === null ? {} : { location: { identifier: { system: FACILITY_CODE_SYSTEM, value: facilityCode }, display: `facility ${facilityCode}` } }),
    ...(tokenId === null ? {} : { policy: [tokenId] }),
    purposeOfUse: [concept(PURPOSE_CODES[purposeOfUse])],
  };
}

/** The gateway that served the request (DICOM 110152 Destination Role ID, as BALP's server agent). */
function gatewayAgent(): AuditEventAgent {
  return {
    type: concept({ system: DICOM, code: '110152', display: 'Destination Role ID' }),
    who: { display: 'patient-graph gateway' },
    requestor: false,
  };
}

/** What was asked: entity type 2 System Object, role 24 Query. */
function queryEntity(record: AuditRecord): AuditEventEntity {
  const values: [string, string | undefined][] = [
    ['operationType', record.operation.type],
    ['documentHash', record.operation.documentHash],
    ['fields', record.fields.join(' ')],
    ['breakTheGlassReason', record.breakTheGlass?.reason],
    ['breakTheGlassExpiresAt', record.breakTheGlass?.expiresAt],
    ['flags', record.flags.join(' ')],
    // Spelled out as well: records only possibly the patient's were asked for (docs/identity.md §3).
    ['possibleMatches', record.flags.includes('possible-matches') ? 'true' : undefined],
    ['auditGap', record.gap ? `records after #${record.gap.found.seq} up to #${record.gap.expected.seq} lost: ${record.gap.reason}` : undefined],
    ['identityRun', record.identityRun ? `${record.identityRun.command}: ${record.identityRun.facilities.map((f) => `${f.facilityCode} ${f.records} records, ${f.linked} linked, ${f.review} to review, ${f.unmatched} not matched${f.status === 'failed' ? ', failed' : ''}`).join('; ')}` : undefined],
    ['refusals', record.refusals ? `${record.refusals.count} requests refused by the rate limit from ${record.refusals.from} to ${record.refusals.to}` : undefined],
  ];
  // FHIR forbids empty strings (a primitive needs a value): an operation refused before it touched
  // any field has no `fields` detail rather than `valueString: ""`.
  const detail: AuditEventEntityDetail[] = values.filter((pair): pair is [string, string] => pair[1] !== undefined && pair[1].trim() !== '').map(([type, valueString]) => ({ type, valueString }));
  return {
    type: { system: ENTITY_TYPE, code: '2', display: 'System Object' },
    role: { system: OBJECT_ROLE, code: '24', display: 'Query' },
    ...(record.operation.name === null ? {} : { name: record.operation.name }),
    detail,
  };
}

/** The request's trace id, as BALP's transaction entity (BasicAuditEntityType XrequestId). */
function transactionEntity(traceId: string): AuditEventEntity {
  return {
    what: { identifier: { value: traceId } },
    type: { system: BALP_ENTITY_TYPES, code: 'XrequestId', display: 'transport specific unique identifier where http X-Request-Id is used' },
  };
}

/** A patient touched: entity type 1 Person, role 1 Patient, identified by national ID. */
function patientEntity(nationalId: string): AuditEventEntity {
  return {
    what: { type: 'Patient', identifier: { system: IDENTIFIER_SYSTEMS.NATIONAL_ID, value: nationalId } },
    type: { system: ENTITY_TYPE, code: '1', display: 'Person' },
    role: { system: OBJECT_ROLE, code: '1', display: 'Patient' },
  };
}

/** A source asked: a facility (type 3 Organization) or a contract service (type 2), role 17 Data Repository. */
function sourceEntity(code: string): AuditEventEntity {
  const isFacility = /^\d{5}$/.test(code);
  return {
    what: isFacility
      ? { type: 'Organization', identifier: { system: FACILITY_CODE_SYSTEM, value: code } }
      : { identifier: { system: SOURCE_SYSTEM, value: code } },
    type: isFacility ? { system: ENTITY_TYPE, code: '3', display: 'Organization' } : { system: ENTITY_TYPE, code: '2', display: 'System Object' },
    role: { system: OBJECT_ROLE, code: '17', display: 'Data Repository' },
  };
}

/**
 * An aggregate released by disclosure control: entity type 2 System Object, role 3 Report (what
 * left the gateway is a report of cells, not a record). Details: one `argument.<name>` per argument
 * (lists as JSON arrays, so a value with a space stays one element), then `cellsReleased` and
 * `cellsSuppressed` — counts of cells, never their values. The audit log admits no empty argument
 * string (gateway/audit/findAuditEntryProblem.ts), so no FHIR primitive is empty.
 */
function aggregateEntity(aggregate: AuditAggregate): AuditEventEntity {
  const argumentDetails: AuditEventEntityDetail[] = Object.entries(aggregate.arguments).map(([name, value]) => ({
    type: `argument.${name}`,
    valueString: argumentText(value),
  }));
  return {
    type: { system: ENTITY_TYPE, code: '2', display: 'System Object' },
    role: { system: OBJECT_ROLE, code: '3', display: 'Report' },
    name: aggregate.field,
    description: 'aggregate released through disclosure control',
    detail: [
      ...argumentDetails,
      { type: 'cellsReleased', valueString: String(aggregate.cellsReleased) },
      { type: 'cellsSuppressed', valueString: String(aggregate.cellsSuppressed) },
    ],
  };
}

function argumentText(value: AuditArgumentValue): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
}

function concept(coding: Coding): CodeableConcept {
  return { coding: [coding] };
}
