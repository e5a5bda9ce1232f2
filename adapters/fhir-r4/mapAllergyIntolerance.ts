import type { AllergyIntolerance as FhirAllergyIntolerance } from '@medplum/fhirtypes';
import type { AllergyCategory, AllergyCriticality, AllergyIntolerance } from '../../contracts/model/clinical';
import { chooseCoding, type CodeSystemAliases } from './chooseCoding';
import { conceptCode, conceptText } from './conceptText';
import { FHIR_SYSTEMS } from './fhirSystems';
import { presentFields } from './presentFields';
import { toIsoDateTime } from './toIsoDateTime';
import { coarserThanDateTime } from './toPartialDateTime';

const CATEGORY: Readonly<Record<string, AllergyCategory>> = { food: 'FOOD', medication: 'MEDICATION', environment: 'ENVIRONMENT', biologic: 'BIOLOGIC' };
const CRITICALITY: Readonly<Record<string, AllergyCriticality>> = { low: 'LOW', high: 'HIGH', 'unable-to-assess': 'UNABLE_TO_ASSESS' };

/**
 * A FHIR AllergyIntolerance (allergyintolerance.html) as the contract's: the substance from the
 * first coding of `code`, the first `category`, `criticality`, the first reaction's `description`
 * (else its first manifestation), `recordedDate` (and `recordedAsRecorded` when written as a date
 * only). Null when `verificationStatus` is `refuted` (the
 * patient is not allergic) or `entered-in-error`, or without an id.
 */
export function mapAllergyIntolerance(allergy: FhirAllergyIntolerance, codeSystems: CodeSystemAliases): AllergyIntolerance | null {
  if (typeof allergy.id !== 'string') return null;
  const verification = conceptCode(allergy.verificationStatus, FHIR_SYSTEMS.ALLERGY_VERIFICATION);
  if (verification === 'refuted' || verification === 'entered-in-error') return null;
  const category = Array.isArray(allergy.category) ? allergy.category[0] : undefined;
  const reaction = Array.isArray(allergy.reaction) ? allergy.reaction[0] : undefined;
  const description = typeof reaction?.description === 'string' && reaction.description.trim() !== '' ? reaction.description : null;
  return {
    id: allergy.id,
    code: chooseCoding(allergy.code, 'FIRST', codeSystems),
    category: category !== undefined ? (CATEGORY[category] ?? null) : null,
    criticality: allergy.criticality !== undefined ? (CRITICALITY[allergy.criticality] ?? null) : null,
    reactionText: description ?? conceptText(Array.isArray(reaction?.manifestation) ? reaction.manifestation[0] : undefined),
    recordedDate: toIsoDateTime(allergy.recordedDate),
    ...presentFields({ recordedAsRecorded: coarserThanDateTime(allergy.recordedDate) }),
  };
}
