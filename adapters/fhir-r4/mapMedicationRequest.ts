import type { CodeableConcept, Medication, MedicationRequest as FhirMedicationRequest } from '@medplum/fhirtypes';
import type { MedicationRequest, MedicationRequestStatus } from '../../contracts/model/clinical';
import { chooseCoding, type CodeSystemAliases } from './chooseCoding';
import { conceptText } from './conceptText';
import { presentFields } from './presentFields';
import { containedId, referenceId } from './referenceId';
import { toIsoDateTime } from './toIsoDateTime';
import { coarserThanDateTime } from './toPartialDateTime';
import { toQuantity } from './toQuantity';

/** What a MedicationRequest's mapping needs besides the request. */
export interface MedicationMappingContext {
  readonly codeSystems: CodeSystemAliases;
  /** Medications fetched in the same batch, by logical id (`medicationReference`). */
  readonly medications: ReadonlyMap<string, Medication>;
}

/** MedicationRequest.status (R4 medicationrequest-status); on-hold and draft have no contract value. */
const STATUS: Readonly<Record<string, MedicationRequestStatus>> = {
  active: 'ACTIVE', completed: 'COMPLETED', cancelled: 'CANCELLED', stopped: 'STOPPED',
};

/**
 * A FHIR MedicationRequest (medicationrequest.html) as the contract's. The medicine is
 * `medicationCodeableConcept`, else the `Medication.code` that `medicationReference` points at —
 * contained (`#id`) or fetched in the same batch — else the reference's display. Dose text and
 * route come from the first `dosageInstruction`, the quantity from `dispenseRequest.quantity`;
 * `authoredOn` as ISO with offset, and `authoredAsRecorded` when written as a date only.
 * Null when `entered-in-error` or without an id.
 */
export function mapMedicationRequest(request: FhirMedicationRequest, context: MedicationMappingContext): MedicationRequest | null {
  if (typeof request.id !== 'string' || request.status === 'entered-in-error') return null;
  const dosage = Array.isArray(request.dosageInstruction) ? request.dosageInstruction[0] : undefined;
  return {
    id: request.id,
    status: STATUS[request.status] ?? 'UNKNOWN',
    medication: chooseCoding(medicationConcept(request, context.medications), 'FIRST', context.codeSystems),
    dosageText: typeof dosage?.text === 'string' && dosage.text.trim() !== '' ? dosage.text : null,
    quantity: toQuantity(request.dispenseRequest?.quantity),
    route: conceptText(dosage?.route),
    authoredOn: toIsoDateTime(request.authoredOn),
    encounterId: referenceId(request.encounter, 'Encounter') ?? null,
    ...presentFields({ authoredAsRecorded: coarserThanDateTime(request.authoredOn) }),
  };
}

/** The Medication ids requests point at outside themselves (to fetch them in one search). */
export function referencedMedicationId(request: FhirMedicationRequest): string | undefined {
  return request.medicationCodeableConcept ? undefined : referenceId(request.medicationReference, 'Medication');
}

function medicationConcept(request: FhirMedicationRequest, medications: ReadonlyMap<string, Medication>): CodeableConcept | undefined {
  if (request.medicationCodeableConcept) return request.medicationCodeableConcept;
  const reference = request.medicationReference;
  const localId = containedId(reference);
  const medication = localId !== undefined
    ? (Array.isArray(request.contained) ? request.contained : []).find((r) => r?.resourceType === 'Medication' && r.id === localId)
    : medications.get(referenceId(reference, 'Medication') ?? '');
  if (medication?.resourceType === 'Medication' && medication.code) return medication.code;
  return typeof reference?.display === 'string' ? { text: reference.display } : undefined;
}
