import type { AuditEvent, Bundle } from '@medplum/fhirtypes';
import type { AuditRecord } from './AuditRecord';
import { toFhirAuditEvent } from './toFhirAuditEvent';

/** Records as a FHIR R4 Bundle of type `collection` (an export, not a search result), in seq order. */
export function toFhirAuditBundle(records: readonly AuditRecord[]): Bundle<AuditEvent> {
  return {
    resourceType: 'Bundle',
    type: 'collection',
    entry: records.map((record) => ({ resource: toFhirAuditEvent(record) })),
  };
}
