import type { IsoDate } from '../../contracts/model/patient';
import { addDays } from './demoCalendar';
import type { Random } from './random';
import type { DemoFacility, SyntheticCard, SyntheticNewCard } from './types';

/**
 * Card codes and VSS card facts for one insured person. The card code is `XX N PP NNNNNNNNNN`
 * (docs/standards.md §5.1): beneficiary group, benefit level 1–5, issuing province, 10-digit BHXH
 * code. The group follows the person's age the way VSS assigns them (TE under 6, HS pupils, HT
 * pensioners, the rest by employment or household).
 */
export interface CardInput {
  readonly age: number;
  readonly provinceCode: string;
  /** 10-digit social-insurance code, unique in the population. */
  readonly socialInsuranceNumber: string;
  /** The maKetQua a correct look-up of this card answers (dealt by the generator). */
  readonly resultCode: string;
  readonly facilities: readonly DemoFacility[];
  readonly asOf: IsoDate;
}

export interface GeneratedCard {
  readonly insuranceNumber: string;
  readonly card: SyntheticCard;
}

/** Benefit level per group (character 3): 1/2 = 100 %, 3 = 95 %, 4 = 80 %, 5 = armed forces. */
const BENEFIT_LEVEL: Readonly<Record<string, 1 | 2 | 3 | 4 | 5>> = {
  TE: 1, HS: 4, SV: 4, HT: 3, DN: 4, HC: 4, GD: 4, HN: 1, CN: 3, CA: 5, QN: 5, TN: 2, CB: 2,
};

const ADULT_GROUPS: readonly (readonly [string, number])[] = [
  ['DN', 35], ['GD', 30], ['HC', 12], ['HN', 6], ['CN', 5], ['TN', 3], ['CA', 2], ['QN', 2],
];

export function generateCard(random: Random, input: CardInput): GeneratedCard {
  const group = groupFor(random, input.age);
  const insuranceNumber = cardCode(group, input.provinceCode, input.socialInsuranceNumber);
  const year = Number(input.asOf.slice(0, 4));
  const registeredFacilityCode = registeredFacilityFor(random, input.provinceCode, input.facilities);
  const validity = validityFor(input.resultCode, year, input.asOf, random);
  const newCard = input.resultCode === '003' || input.resultCode === '004'
    ? newCardFor(random, group, input, validity.validTo, registeredFacilityCode)
    : null;
  const card: SyntheticCard = {
    validFrom: validity.validFrom,
    validTo: validity.validTo,
    registeredFacilityCode,
    resultCode: input.resultCode,
    livingAreaCode: random.chance(0.05) ? random.pick(['K1', 'K2', 'K3'] as const) : null,
    fiveYearsContinuousFrom: input.age >= 6 && random.chance(0.4)
      ? addDays(input.asOf, -random.int(30, 6 * 365))
      : null,
    newCard,
  };
  return { insuranceNumber, card };
}

function groupFor(random: Random, age: number): string {
  if (age < 6) return 'TE';
  if (age < 18) return 'HS';
  if (age < 23 && random.chance(0.5)) return 'SV';
  if (age >= 60) return random.chance(0.7) ? 'HT' : 'GD';
  return random.pickWeighted(ADULT_GROUPS);
}

function cardCode(group: string, provinceCode: string, socialInsuranceNumber: string): string {
  const level = BENEFIT_LEVEL[group] ?? 4;
  return `${group}${level}${provinceCode}${socialInsuranceNumber}`;
}

/** maDKBD: a demo hospital of the person's province when there is one, else a local code. */
function registeredFacilityFor(random: Random, provinceCode: string, facilities: readonly DemoFacility[]): string {
  const local = facilities.filter((f) => f.code.startsWith(provinceCode));
  if (local.length > 0 && random.chance(0.6)) return random.pick(local).code;
  return `${provinceCode}${random.int(100, 899)}`;
}

/** Validity consistent with the result code as of the reference date. */
function validityFor(resultCode: string, year: number, asOf: IsoDate, random: Random): { validFrom: IsoDate; validTo: IsoDate } {
  switch (resultCode) {
    case '010': // expired card
    case '003': { // old card expired (a new one exists)
      const validTo = addDays(asOf, -random.int(10, 300));
      return { validFrom: addDays(validTo, -364), validTo };
    }
    default:
      return { validFrom: `${year}-01-01`, validTo: `${year}-12-31` };
  }
}

/** The replacement card: same BHXH code, another group (e.g. a child who started school). */
function newCardFor(
  random: Random, oldGroup: string, input: CardInput, oldValidTo: IsoDate, registeredFacilityCode: string,
): SyntheticNewCard {
  const candidates = ADULT_GROUPS.map(([group]) => group).filter((group) => group !== oldGroup);
  const group = random.pick(candidates);
  const validFrom = input.resultCode === '003' ? addDays(oldValidTo, 1) : addDays(input.asOf, random.int(1, 60));
  return {
    number: cardCode(group, input.provinceCode, input.socialInsuranceNumber),
    validFrom,
    validTo: addDays(validFrom, 364),
    registeredFacilityCode,
  };
}
