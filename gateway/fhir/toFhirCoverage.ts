import type { Coverage } from '@medplum/fhirtypes';
import type { EverythingInsuranceCard } from './everythingQuery';
import { fhirId, FACILITY_SYSTEM, VSS_SOURCE } from './fhirId';
import { VN_CORE } from './vnCore';

const COVERAGE_CLASS = 'http://terminology.hl7.org/CodeSystem/coverage-class';
const V3_ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';

/**
 * What the VSS card check says of the card, as FHIR Coverage.status (FinancialResourceStatusCodes):
 * usable → active; expired, revoked or reduced → cancelled. A check that could not confirm the card
 * (not found, name or birth date mismatch, service error) says nothing of its status: no Coverage.
 */
const STATUS: Readonly<Record<string, Coverage['status']>> = {
  VALID: 'active',
  VALID_CHECK_PAPERS: 'active',
  VALID_NEW_CARD_ISSUED: 'active',
  EXPIRED: 'cancelled',
  EXPIRED_NEW_CARD_ISSUED: 'cancelled',
  REVOKED: 'cancelled',
  SUSPENDED: 'cancelled',
};

/**
 * The health-insurance card (thẻ BHYT) as FHIR R4 Coverage (coverage.html), and the new card when
 * VSS reports one: identifier in VN Core's NamingSystem `insurance_number`, `subscriberId` the
 * 10-digit BHXH code, payor VSS, `class` the beneficiary group (characters 1–2) and the benefit
 * level (character 3), period the card's validity. VN Core (1.0.0 CI build) has no Coverage profile,
 * so none is claimed. R4 Coverage has no element for the registered primary-care facility (maDKBD):
 * it is a `class` of type `subgroup`, the sub-grouping under which the card is used.
 */
export function toFhirCoverages(card: EverythingInsuranceCard, beneficiary: { reference: string }): Coverage[] {
  const status = STATUS[card.status];
  if (status === undefined) return [];
  const coverages = [coverage(card.number, status, card.validFrom, card.validTo, card.registeredFacilityCode, card, beneficiary)];
  if (card.newCard) {
    const next = card.newCard;
    coverages.push(coverage(next.number, 'active', next.validFrom, next.validTo, next.registeredFacilityCode, card, beneficiary));
  }
  return coverages;
}

function coverage(
  number: string,
  status: Coverage['status'],
  validFrom: string | null,
  validTo: string | null,
  registeredFacilityCode: string | null,
  card: EverythingInsuranceCard,
  beneficiary: { reference: string },
): Coverage {
  return {
    resourceType: 'Coverage',
    id: fhirId(`coverage-${number}`),
    meta: { source: VSS_SOURCE },
    identifier: [{ system: VN_CORE.INSURANCE_NUMBER, value: number }],
    status,
    type: { coding: [{ system: V3_ACT_CODE, code: 'PUBLICPOL', display: 'public healthcare' }], text: 'Bảo hiểm y tế (BHYT)' },
    subscriberId: card.socialInsuranceNumber,
    beneficiary,
    ...(validFrom || validTo ? { period: { ...(validFrom ? { start: validFrom } : {}), ...(validTo ? { end: validTo } : {}) } } : {}),
    payor: [{ display: 'Bảo hiểm xã hội Việt Nam (Viet Nam Social Security)' }],
    class: [
      { type: { coding: [{ system: COVERAGE_CLASS, code: 'group' }] }, value: card.beneficiaryGroup, name: 'Mã đối tượng (beneficiary group)' },
      { type: { coding: [{ system: COVERAGE_CLASS, code: 'plan' }] }, value: String(card.benefitLevel), name: 'Mức hưởng (benefit level)' },
      ...(registeredFacilityCode
        ? [{ type: { coding: [{ system: COVERAGE_CLASS, code: 'subgroup' }] }, value: registeredFacilityCode, name: `Nơi đăng ký KCB ban đầu (registered facility, ${FACILITY_SYSTEM})` }]
        : []),
    ],
  };
}
