import type * as InsuranceContract from '../../contracts/generated/insuranceContract';

/**
 * The insurance contract's `InsuranceCardStatus` (contracts/insurance.graphql, generated) and the
 * mapping of every card-check result code `maKetQua` of docs/standards.md §6.3 onto it. Only the
 * codes VSS itself calls usable (000–004) map to a VALID* status; everything else, including
 * codes this table does not know, is not valid.
 */
export type InsuranceCardStatus = InsuranceContract.InsuranceCardStatus;

/** §6.3 `maKetQua` codes of `KQNhanLichSuKCB2024`, with their meaning. */
export const VSS_RESULT_CODES = {
  '000': 'Card information correct',
  '001': 'Card managed by BHXH Ministry of Defence – check card and ID papers',
  '002': 'Card managed by BHXH Ministry of Public Security – check card and ID papers',
  '003': 'Old card expired; a new card has been issued',
  '004': 'Old card still valid; a new card has been issued',
  '010': 'Card expired',
  '050': 'No card information',
  '051': 'Card code wrong',
  '052': 'Province code (chars 4–5) wrong',
  '053': 'Benefit code (char 3) wrong',
  '054': "Lookup officer's CCCD not in the facility's registered user list",
  '055': "Lookup officer's name does not match the CCCD",
  '060': 'Wrong name',
  '061': 'Wrong name (first character correct)',
  '070': 'Wrong date of birth',
  '100': 'Error reading card registry data',
  '101': 'Server error',
  '110': 'Card revoked',
  '120': 'Card reported as reduced',
  '121': 'Reduced – moved to another province',
  '122': 'Reduced – moved within the province',
  '123': 'Reduced – re-enrolled at the same unit',
  '124': 'Reduced – stopped participating',
  '130': 'Child without a card',
  '205': 'Parameter format error',
  '401': 'Authentication error',
  '500': 'Server error',
} as const;

export type VssResultCode = keyof typeof VSS_RESULT_CODES;

/**
 * `satisfies Record<VssResultCode, …>` makes the compiler reject a §6.3 code without a status.
 * 205 (our request was malformed) and 401 (authentication, handled by re-login before it gets
 * here) say nothing about the card, so they are SERVICE_ERROR like VSS's own failures.
 */
const STATUS_BY_CODE = {
  '000': 'VALID',
  '001': 'VALID_CHECK_PAPERS',
  '002': 'VALID_CHECK_PAPERS',
  '003': 'EXPIRED_NEW_CARD_ISSUED',
  '004': 'VALID_NEW_CARD_ISSUED',
  '010': 'EXPIRED',
  '050': 'NOT_FOUND',
  '051': 'NOT_FOUND',
  '052': 'NOT_FOUND',
  '053': 'NOT_FOUND',
  '054': 'LOOKUP_NOT_AUTHORIZED',
  '055': 'LOOKUP_NOT_AUTHORIZED',
  '060': 'NAME_MISMATCH',
  '061': 'NAME_MISMATCH',
  '070': 'BIRTH_DATE_MISMATCH',
  '100': 'SERVICE_ERROR',
  '101': 'SERVICE_ERROR',
  '110': 'REVOKED',
  '120': 'SUSPENDED',
  '121': 'SUSPENDED',
  '122': 'SUSPENDED',
  '123': 'SUSPENDED',
  '124': 'SUSPENDED',
  '130': 'CHILD_WITHOUT_CARD',
  '205': 'SERVICE_ERROR',
  '401': 'SERVICE_ERROR',
  '500': 'SERVICE_ERROR',
} as const satisfies Record<VssResultCode, InsuranceCardStatus>;

export function isVssResultCode(code: string): code is VssResultCode {
  return Object.prototype.hasOwnProperty.call(VSS_RESULT_CODES, code);
}

/** The typed status of a `maKetQua`; unknown codes are SERVICE_ERROR, never valid. */
export function cardStatusOf(resultCode: string): InsuranceCardStatus {
  return isVssResultCode(resultCode) ? STATUS_BY_CODE[resultCode] : 'SERVICE_ERROR';
}

/**
 * Whether VSS found the card and matched the person, so the answer carries card facts and visit
 * history (usable or not: expired, revoked and reduced cards still have them).
 */
export function isCardFound(status: InsuranceCardStatus): boolean {
  switch (status) {
    case 'VALID':
    case 'VALID_CHECK_PAPERS':
    case 'EXPIRED_NEW_CARD_ISSUED':
    case 'VALID_NEW_CARD_ISSUED':
    case 'EXPIRED':
    case 'REVOKED':
    case 'SUSPENDED':
      return true;
    case 'NOT_FOUND':
    case 'NAME_MISMATCH':
    case 'BIRTH_DATE_MISMATCH':
    case 'CHILD_WITHOUT_CARD':
    case 'LOOKUP_NOT_AUTHORIZED':
    case 'SERVICE_ERROR':
      return false;
    default:
      return assertNever(status);
  }
}

/** Whether the card can be used for an insured visit today (VSS's usable set, 000–004). */
export function isUsableCard(status: InsuranceCardStatus): boolean {
  return status === 'VALID' || status === 'VALID_CHECK_PAPERS' || status === 'VALID_NEW_CARD_ISSUED'
    || status === 'EXPIRED_NEW_CARD_ISSUED';
}

function assertNever(value: never): never {
  throw new Error(`unhandled card status ${String(value)}`);
}
