import type { CardCheckResult } from '../../adapters/vss/CardCheckResult';
import { parseInsuranceNumber, type InsuranceNumber } from '../../core/identifiers/insuranceNumber';
import type * as InsuranceContract from '../../contracts/generated/insuranceContract';

/** The contract's `InsuranceCard` (contracts/insurance.graphql, generated), as resolvers return it. */
export type InsuranceCardView = InsuranceContract.InsuranceCard;

/** The contract's `NewInsuranceCard`. */
export type NewInsuranceCardView = InsuranceContract.NewInsuranceCard;

/**
 * A card check as the contract's `InsuranceCard`. The card parts (group, benefit level,
 * province, BHXH code) are parsed from the card code (core/identifiers, docs/standards.md §5.1):
 * VSS's `maThe` when it sent a well-formed one, else the code that was asked about — so a
 * rejected look-up (wrong name, no such card) still says which card it was about.
 */
export function toInsuranceCard(result: CardCheckResult, asked: InsuranceNumber): InsuranceCardView {
  const base = { status: result.status, resultCode: result.resultCode, message: result.message };
  if (result.kind === 'rejected') {
    return { ...base, ...cardParts(asked), ...NO_CARD_FACTS };
  }
  const reported = result.card.number === null ? undefined : parseInsuranceNumber(result.card.number);
  const card = result.card;
  return {
    ...base,
    ...cardParts(reported?.kind === 'valid' ? reported.value : asked),
    registeredFacilityCode: card.registeredFacilityCode,
    validFrom: card.validFrom,
    validTo: card.validTo,
    livingAreaCode: card.livingAreaCode,
    fiveYearsContinuousFrom: card.fiveYearsContinuousFrom,
    newCard: card.newCard === null ? null : {
      number: card.newCard.number,
      validFrom: card.newCard.validFrom,
      validTo: card.newCard.validTo,
      registeredFacilityCode: card.newCard.registeredFacilityCode,
    },
  };
}

const NO_CARD_FACTS = {
  registeredFacilityCode: null,
  validFrom: null,
  validTo: null,
  livingAreaCode: null,
  fiveYearsContinuousFrom: null,
  newCard: null,
} as const;

function cardParts(card: InsuranceNumber): Pick<InsuranceCardView, 'number' | 'beneficiaryGroup' | 'benefitLevel' | 'provinceCode' | 'socialInsuranceNumber'> {
  return {
    number: card.value,
    beneficiaryGroup: card.beneficiaryGroup,
    benefitLevel: card.benefitLevel,
    provinceCode: card.provinceCode,
    socialInsuranceNumber: card.socialInsuranceNumber,
  };
}
