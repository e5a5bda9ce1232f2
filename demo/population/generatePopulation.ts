import { genderCenturyDigit } from '../../core/identifiers/nationalId';
import { PROVINCES } from '../../core/identifiers/provinces';
import type { HumanName, IsoDate } from '../../contracts/model/patient';
import { addDays } from './demoCalendar';
import { DEMO_FACILITIES } from './demoFacilities';
import { FacilityIdAllocator } from './FacilityIdAllocator';
import { generateCard } from './generateCard';
import { generateFacilityRecord } from './generateFacilityRecord';
import { ALLERGY_SUBSTANCES, ICD10_DIAGNOSES } from './icd10';
import { createRandom, type Random } from './random';
import type { DemoFacility, FacilityRecord, Population, SyntheticPerson } from './types';
import {
  ADDRESS_PLACES,
  FAMILY_NAMES,
  GIVEN_NAMES_FEMALE,
  GIVEN_NAMES_MALE,
  MIDDLE_NAMES_FEMALE,
  MIDDLE_NAMES_MALE,
  STREET_NAMES,
} from './vietnameseNames';

export { DEMO_FACILITIES } from './demoFacilities';
export { facilityRecordsOf, type PersonAtFacility } from './facilityRecordsOf';

/** Seed of the demo network: tests, benchmarks and `npm start` all see the same people. */
export const DEMO_SEED = 20240620;
/** Default size of the demo population. */
export const DEMO_POPULATION_SIZE = 200;
/** Reference date of the demo: card validity and visit history are relative to it, never to the clock. */
export const DEMO_AS_OF: IsoDate = '2026-06-30';

export interface PopulationOptions {
  readonly seed: number;
  readonly size: number;
  readonly facilities: readonly DemoFacility[];
  /** Reference date (default DEMO_AS_OF). */
  readonly asOf?: IsoDate;
}

/** The demo population: DEMO_SEED, DEMO_POPULATION_SIZE people, DEMO_FACILITIES. */
export function createDemoPopulation(size: number = DEMO_POPULATION_SIZE): Population {
  return generatePopulation({ seed: DEMO_SEED, size, facilities: DEMO_FACILITIES });
}

/**
 * A deterministic synthetic population: the same options give a byte-identical result. About 10 %
 * are uninsured; most people have records at 1–3 facilities (so charts overlap), a few at none;
 * about 15 % of facility records lack the national ID but carry the card (matched by insurance
 * number) and a few carry neither (matched by demographics).
 */
export function generatePopulation(options: PopulationOptions): Population {
  return { seed: options.seed, facilities: [...options.facilities], people: [...generatePeople(options)] };
}

/**
 * The people of `generatePopulation(options)`, one at a time and in the same order (the same random
 * stream): for populations too large to hold at once (bench/analytics/ streams a million encounters).
 */
export function* generatePeople(options: PopulationOptions): Generator<SyntheticPerson, void, undefined> {
  if (!Number.isInteger(options.size) || options.size < 0) throw new RangeError('size must be a non-negative integer');
  if (options.facilities.length === 0) throw new RangeError('at least one facility is needed');
  const random = createRandom(options.seed);
  const asOf = options.asOf ?? DEMO_AS_OF;
  const insured = Array.from({ length: options.size }, () => random.chance(0.9));
  const resultCodes = dealResultCodes(random, insured.filter(Boolean).length);
  const allocators = new Map(options.facilities.map((f) => [f.code, new FacilityIdAllocator(random.int(1_000, 900_000))]));
  const used = { nationalIds: new Set<string>(), bhxhCodes: new Set<string>() };
  for (const isInsured of insured) {
    yield generatePerson(random, {
      insured: isInsured,
      resultCode: isInsured ? (resultCodes.pop() as string) : null,
      facilities: options.facilities,
      allocators,
      used,
      asOf,
    });
  }
}

/**
 * Result codes (maKetQua) for a correct look-up of each insured person's card, dealt from a
 * shuffled deck so the mix is exact: ~80 % '000', 10 % '010' expired, 3 % each '003'/'004' new
 * card issued, about 1 % (at least one) '110' revoked (docs/standards.md §6.3).
 */
function dealResultCodes(random: Random, count: number): string[] {
  const revoked = count > 0 ? Math.max(1, Math.round(count * 0.01)) : 0;
  const special = [
    ...Array<string>(revoked).fill('110'),
    ...Array<string>(Math.round(count * 0.1)).fill('010'),
    ...Array<string>(Math.round(count * 0.03)).fill('003'),
    ...Array<string>(Math.round(count * 0.03)).fill('004'),
  ].slice(0, count);
  return random.shuffle([...special, ...Array<string>(count - special.length).fill('000')]);
}

interface PersonInput {
  readonly insured: boolean;
  readonly resultCode: string | null;
  readonly facilities: readonly DemoFacility[];
  readonly allocators: ReadonlyMap<string, FacilityIdAllocator>;
  readonly used: { readonly nationalIds: Set<string>; readonly bhxhCodes: Set<string> };
  readonly asOf: IsoDate;
}

const AGE_BANDS: readonly (readonly [readonly [number, number], number])[] = [
  [[0, 5], 8], [[6, 17], 14], [[18, 59], 55], [[60, 92], 23],
];
const CHRONIC_CODES = ICD10_DIAGNOSES.filter((d) => d.chronic).map((d) => d.code);
const PROVINCE_CODES = Object.keys(PROVINCES);

function generatePerson(random: Random, input: PersonInput): SyntheticPerson {
  const sex = random.chance(0.5) ? 'female' : 'male';
  const [minAge, maxAge] = random.pickWeighted(AGE_BANDS);
  const age = random.int(minAge, maxAge);
  const birthDate = addDays(input.asOf, -(age * 365 + Math.floor(age / 4) + random.int(1, 364)));
  const provinceCode = provinceFor(random, input.facilities);
  const nationalId = uniqueValue(input.used.nationalIds, () =>
    `0${provinceCode}${genderCenturyDigit(Number(birthDate.slice(0, 4)), sex)}${birthDate.slice(2, 4)}${random.digits(6)}`);
  const generated = input.insured && input.resultCode !== null
    ? generateCard(random, {
      age,
      provinceCode,
      socialInsuranceNumber: uniqueValue(input.used.bhxhCodes, () => `${provinceCode}${random.digits(8)}`),
      resultCode: input.resultCode,
      facilities: input.facilities,
      asOf: input.asOf,
    })
    : null;
  const chronicCodes = age >= 30 ? random.shuffle(CHRONIC_CODES).slice(0, random.int(0, 2)) : [];
  const allergy = random.chance(0.12) ? random.pick(ALLERGY_SUBSTANCES) : null;
  const records = visitedFacilities(random, input.facilities).map((facility): FacilityRecord => {
    const identification = identificationFor(random, generated !== null);
    return generateFacilityRecord(random, {
      facilityCode: facility.code,
      ids: input.allocators.get(facility.code) as FacilityIdAllocator,
      insuranceNumber: generated?.insuranceNumber ?? null,
      benefitLevel: generated ? Number(generated.insuranceNumber[2]) : null,
      chronicCodes,
      allergy,
      ...identification,
      asOf: input.asOf,
    });
  });
  return {
    nationalId,
    name: nameFor(random, sex),
    birthDate,
    gender: sex === 'female' ? 'FEMALE' : 'MALE',
    insuranceNumber: generated?.insuranceNumber ?? null,
    card: generated?.card ?? null,
    records,
    address: addressFor(random, provinceCode),
  };
}

/** Most people live where the demo hospitals are; some come from elsewhere. */
function provinceFor(random: Random, facilities: readonly DemoFacility[]): string {
  return random.chance(0.75) ? random.pick(facilities).code.slice(0, 2) : random.pick(PROVINCE_CODES);
}

/** 1–3 facilities (so many charts overlap); about 4 % of people have been to none. */
function visitedFacilities(random: Random, facilities: readonly DemoFacility[]): DemoFacility[] {
  if (random.chance(0.04)) return [];
  const count = random.pickWeighted([[1, 50], [2, 32], [3, 18]] as const);
  return random.shuffle(facilities).slice(0, Math.min(count, facilities.length));
}

/**
 * How the facility registered the person: usually with the national ID; ~15 % with only the
 * insurance card (matched by insurance number); ~3 % with neither (matched by demographics).
 */
function identificationFor(random: Random, insured: boolean): { hasNationalId: boolean; hasInsuranceNumber: boolean } {
  const roll = random.next();
  // 0.17 of the ~90 % insured ≈ 15 % of all records.
  if (insured && roll < 0.17) return { hasNationalId: false, hasInsuranceNumber: true };
  if (roll >= 0.17 && roll < 0.2) return { hasNationalId: false, hasInsuranceNumber: false };
  return { hasNationalId: true, hasInsuranceNumber: insured };
}

function nameFor(random: Random, sex: 'male' | 'female'): HumanName {
  const family = random.pickWeighted(FAMILY_NAMES);
  const middle = random.pickWeighted(sex === 'female' ? MIDDLE_NAMES_FEMALE : MIDDLE_NAMES_MALE);
  const given = random.pick(sex === 'female' ? GIVEN_NAMES_FEMALE : GIVEN_NAMES_MALE);
  const parts = random.chance(0.25) && middle !== 'Văn' && middle !== 'Thị'
    ? [sex === 'female' ? 'Thị' : 'Văn', middle, given]
    : [middle, given];
  return { full: [family, ...parts].join(' ').normalize('NFC'), family, given: parts };
}

function addressFor(random: Random, provinceCode: string): string {
  const places = ADDRESS_PLACES[provinceCode] ?? [`Phường ${random.int(1, 12)}`];
  return `Số ${random.int(1, 250)} ${random.pick(STREET_NAMES)}, ${random.pick(places)}, ${PROVINCES[provinceCode]}`;
}

function uniqueValue(used: Set<string>, make: () => string): string {
  for (;;) {
    const value = make();
    if (!used.has(value)) {
      used.add(value);
      return value;
    }
  }
}
