import { invalid, valid, type IdentifierCheck } from './IdentifierProblem';
import { isProvinceCode } from './provinces';

/**
 * Beneficiary-group codes (mã đối tượng, characters 1–2), grouped by who pays
 * (docs/standards.md §5.1, single source: treat an unknown group as suspicious, not invalid).
 */
export const BENEFICIARY_GROUPS: readonly string[] = [
  'DN', 'HX', 'CH', 'NN', 'TK', 'HC', 'XK',
  'HT', 'TB', 'NO', 'CT', 'XB', 'TN', 'CS',
  'QN', 'CA', 'CY', 'XN', 'MS', 'CC', 'CK', 'CB', 'KC', 'HD', 'TE', 'BT', 'HN', 'DT', 'DK', 'XD',
  'TS', 'TC', 'TQ', 'TV', 'TA', 'TY', 'HG', 'LS', 'PV',
  'CN', 'HS', 'SV', 'GB',
  'GD',
];

/**
 * The 15-character health-insurance card code (mã thẻ BHYT): `XX N PP NNNNNNNNNN` — beneficiary
 * group, benefit level 1–5, issuing province, 10-digit social-insurance (BHXH) code.
 */
export interface InsuranceNumber {
  readonly value: string;
  readonly beneficiaryGroup: string;
  readonly knownBeneficiaryGroup: boolean;
  readonly benefitLevel: 1 | 2 | 3 | 4 | 5;
  readonly provinceCode: string;
  /** The stable person identifier: the card code changes with group or province, this does not. */
  readonly socialInsuranceNumber: string;
}

export function parseInsuranceNumber(input: string): IdentifierCheck<InsuranceNumber> {
  if (input.length !== 15) {
    return invalid('an insurance card code (mã thẻ BHYT) has exactly 15 characters');
  }
  if (!/^[A-Z]{2}/.test(input)) {
    return invalid('an insurance card code starts with a 2-letter beneficiary group (characters 1–2)');
  }
  const level = Number(input[2]);
  if (!/^[1-5]$/.test(input[2] ?? '')) {
    return invalid('the benefit level of an insurance card code (character 3) is a digit from 1 to 5');
  }
  const province = input.slice(3, 5);
  if (!isProvinceCode(province)) {
    return invalid('the province of an insurance card code (characters 4–5) is not a province code');
  }
  const bhxh = input.slice(5);
  if (!/^\d{10}$/.test(bhxh)) {
    return invalid('an insurance card code ends with the 10-digit social-insurance code (characters 6–15)');
  }
  const group = input.slice(0, 2);
  return valid({
    value: input,
    beneficiaryGroup: group,
    knownBeneficiaryGroup: BENEFICIARY_GROUPS.includes(group),
    benefitLevel: level as 1 | 2 | 3 | 4 | 5,
    provinceCode: province,
    socialInsuranceNumber: bhxh,
  });
}

/** The 10-digit BHXH code of a card code or of a bare BHXH code; undefined when neither. */
export function socialInsuranceNumberOf(cardOrCode: string): string | undefined {
  if (/^\d{10}$/.test(cardOrCode)) return cardOrCode;
  const parsed = parseInsuranceNumber(cardOrCode);
  return parsed.kind === 'valid' ? parsed.value.socialInsuranceNumber : undefined;
}
