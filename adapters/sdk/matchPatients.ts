import { socialInsuranceNumberOf } from '../../core/identifiers/insuranceNumber';
import { blockingKeys } from '../../core/matching/blockingKeys';
import type { MatchField, MatchGender, MatchRecord } from '../../core/matching/MatchRecord';
import { matchRecords } from '../../core/matching/matchRecords';
import type { MatchMethod, PatientMatch } from '../../contracts/model/clinical';
import type { AdministrativeGender, DeceasedRecord, PatientKeys } from '../../contracts/model/patient';
import { nameTokensKey } from '../../core/names/normalizeVietnameseName';
import type { PatientLookup, SourcePatient } from './ClinicalAdapter';

/**
 * The one patient matcher of patient-graph (docs/architecture.md §4): which of a source's candidate records
 * belong to which of the people the gateway asked about. Adapters only fetch candidates
 * (`buildPatientLookup` says which); the decision is made here, the same way for every source.
 */

/** A local record that belongs to a person, and by which rule (contract type `Match`). */
export interface MatchedRecord {
  readonly localId: string;
  readonly method: MatchMethod;
  /** POSSIBLE_MATCH only when possible matches were asked for (`MatchOptions.includePossibleMatches`). */
  readonly decision: 'MATCH' | 'POSSIBLE_MATCH';
  readonly confidence: number;
  /** DEMOGRAPHICS only: the fields the record matcher found in agreement. */
  readonly agreed?: readonly MatchField[];
  /** What the matched record says of the patient's death, when it says anything. */
  readonly deceased?: DeceasedRecord;
}

/** The contract's `Match` of a matched record: how, how sure, and what agreed. */
export function patientMatchOf(record: MatchedRecord): PatientMatch {
  return { method: record.method, decision: record.decision, confidence: record.confidence, agreed: agreedFieldsOf(record) };
}

/** What agreed, for a record matched by an identifier rule. */
export function agreedFieldsOf(record: MatchedRecord): readonly string[] {
  switch (record.method) {
    case 'NATIONAL_ID':
      return ['nationalId'];
    case 'INSURANCE_NUMBER':
      return ['insuranceNumber'];
    case 'DEMOGRAPHICS':
      return record.agreed ?? [];
  }
}

/** Confidence of each rule, strongest first (contract enum `MatchMethod`). */
export const MATCH_CONFIDENCE: Readonly<Record<MatchMethod, number>> = {
  NATIONAL_ID: 1.0,
  INSURANCE_NUMBER: 0.95,
  DEMOGRAPHICS: 0.8,
};

export interface MatchOptions {
  /**
   * A rule whose confidence is below this never matches. The default (0.8) lets all three rules
   * match; above 0.8 turns demographic matching off, above 0.95 insurance-number matching too.
   */
  readonly minimumConfidence?: number;
  /**
   * Also give each person the records the record matcher finds only possibly theirs
   * (`POSSIBLE_MATCH`, with the matcher's confidence), after every rule has run: a record claimed by
   * a rule, or possibly anyone's of several people asked, is never one. Off by default: only MATCH
   * data is merged unless a clinician asks (`encounters(includePossibleMatches: true)`).
   */
  readonly includePossibleMatches?: boolean;
}

export const DEFAULT_MINIMUM_CONFIDENCE = 0.8;

/** Throws a RangeError for options no matching could use (call at construction to fail fast). */
export function checkMatchOptions(options: MatchOptions): void {
  minimumConfidenceOf(options);
}

/**
 * Decides, for each person, which candidate records are theirs. Rules run strongest first over
 * every candidate, so a record is claimed by its strongest evidence:
 * 1. NATIONAL_ID — the record holds the person's 12-digit national ID.
 * 2. INSURANCE_NUMBER — the record holds no national ID and the same 10-digit BHXH code (card codes
 *    change with beneficiary group or province; the BHXH code does not).
 * 3. DEMOGRAPHICS — the record holds no national ID and the record matcher (core/matching/matchRecords)
 *    decides MATCH on its demographics: Vietnamese name comparison (diacritics, case, spacing, word
 *    order, name frequency), birth date, gender; a contradicting BHXH code or gender sends the pair
 *    to review, and review is never a match here (only MATCH is merged by default).
 * A record is given to at most one person; one that fits several people by the same rule is given
 * to none (a wrong chart is worse than a missing one). People are keyed by national ID; every
 * person asked gets an entry, empty when nothing matched. Records come strongest match first.
 */
export function matchPatients(
  people: readonly PatientKeys[],
  candidates: readonly SourcePatient[],
  options: MatchOptions = {},
): Map<string, MatchedRecord[]> {
  const minimum = minimumConfidenceOf(options);
  const persons = indexPeople(people);
  const matched = new Map<string, MatchedRecord[]>(persons.all.map((p) => [p.nationalId, []]));
  let unclaimed = uniqueCandidates(candidates);
  for (const method of RULE_ORDER) {
    const confidence = MATCH_CONFIDENCE[method];
    if (confidence < minimum) continue;
    const rest: Candidate[] = [];
    for (const candidate of unclaimed) {
      const owners = ownersByRule(method, candidate, persons);
      if (owners.length === 1 && owners[0]) {
        const agreed = method === 'DEMOGRAPHICS' ? demographicAgreement(owners[0], candidate) : undefined;
        matched.get(owners[0].nationalId)?.push({ localId: candidate.localId, method, decision: 'MATCH', confidence, ...(agreed ? { agreed } : {}), ...(candidate.deceased ? { deceased: candidate.deceased } : {}) });
      } else if (owners.length === 0) {
        rest.push(candidate);
      } // several owners: ambiguous, withheld from every person and every weaker rule.
    }
    unclaimed = rest;
  }
  if (options.includePossibleMatches === true) {
    for (const [nationalId, record] of possibleMatches(unclaimed, persons)) matched.get(nationalId)?.push(record);
  }
  for (const records of matched.values()) {
    records.sort((a, b) => b.confidence - a.confidence || compareStrings(a.localId, b.localId));
  }
  return matched;
}

/**
 * What a source must return candidates for, so that `matchPatients` can apply every enabled rule:
 * the national IDs, the BHXH codes of the insurance numbers, and (when demographic matching is on)
 * the birth dates of the people who have a name. Values are unique, in first-seen order.
 */
export function buildPatientLookup(people: readonly PatientKeys[], options: MatchOptions = {}): PatientLookup {
  const demographics = MATCH_CONFIDENCE.DEMOGRAPHICS >= minimumConfidenceOf(options);
  const nationalIds = new Set<string>();
  const socialInsuranceNumbers = new Set<string>();
  const birthDates = new Set<string>();
  for (const person of people) {
    nationalIds.add(person.nationalId);
    const bhxh = bhxhOf(person.insuranceNumber);
    if (bhxh !== undefined) socialInsuranceNumbers.add(bhxh);
    if (demographics && person.birthDate && nameKeyOf(person.fullName) !== undefined) birthDates.add(person.birthDate);
  }
  return { nationalIds: [...nationalIds], socialInsuranceNumbers: [...socialInsuranceNumbers], birthDates: [...birthDates] };
}

const RULE_ORDER: readonly MatchMethod[] = ['NATIONAL_ID', 'INSURANCE_NUMBER', 'DEMOGRAPHICS'];

/** A person with the derived keys the rules compare. */
interface Person {
  readonly nationalId: string;
  readonly bhxh: string | undefined;
  /** Demographics for the record matcher; undefined without a name. */
  readonly record: MatchRecord | undefined;
}

interface PersonIndex {
  readonly all: readonly Person[];
  readonly byNationalId: ReadonlyMap<string, Person>;
  readonly byBhxh: ReadonlyMap<string, readonly Person[]>;
  /** Blocking key (core/matching/blockingKeys) → people: a record is compared only with these. */
  readonly byBlockingKey: ReadonlyMap<string, readonly Person[]>;
}

interface Candidate {
  readonly localId: string;
  readonly nationalId: string | null;
  readonly bhxh: string | undefined;
  readonly record: MatchRecord | undefined;
  readonly deceased: DeceasedRecord | undefined;
}

function ownersByRule(method: MatchMethod, candidate: Candidate, persons: PersonIndex): readonly Person[] {
  switch (method) {
    case 'NATIONAL_ID': {
      const owner = candidate.nationalId === null ? undefined : persons.byNationalId.get(candidate.nationalId);
      return owner ? [owner] : [];
    }
    case 'INSURANCE_NUMBER':
      // A record with a national ID is that person's: a different one contradicts any BHXH match.
      if (candidate.nationalId !== null || candidate.bhxh === undefined) return [];
      return persons.byBhxh.get(candidate.bhxh) ?? [];
    case 'DEMOGRAPHICS': {
      const record = candidate.record;
      if (candidate.nationalId !== null || record === undefined) return [];
      const compared = new Set<Person>();
      for (const key of blockingKeys(record)) for (const person of persons.byBlockingKey.get(key) ?? []) compared.add(person);
      return [...compared].filter((person) => person.record !== undefined && matchRecords(person.record, record).decision === 'MATCH');
    }
  }
}

/**
 * Records no rule claimed that the record matcher decides POSSIBLE_MATCH for exactly one person
 * asked (a record possibly anyone's of two people is shown to neither). Records with a national ID
 * belong to that ID's holder and are never possibly someone else's.
 */
function possibleMatches(unclaimed: readonly Candidate[], persons: PersonIndex): [string, MatchedRecord][] {
  const found: [string, MatchedRecord][] = [];
  for (const candidate of unclaimed) {
    const record = candidate.record;
    if (candidate.nationalId !== null || record === undefined) continue;
    const compared = new Set<Person>();
    for (const key of blockingKeys(record)) for (const person of persons.byBlockingKey.get(key) ?? []) compared.add(person);
    const owners = [...compared].flatMap((person) => {
      const match = person.record === undefined ? undefined : matchRecords(person.record, record);
      return match?.decision === 'POSSIBLE_MATCH' ? [{ person, match }] : [];
    });
    const owner = owners.length === 1 ? owners[0] : undefined;
    if (owner === undefined) continue;
    found.push([owner.person.nationalId, {
      localId: candidate.localId,
      method: 'DEMOGRAPHICS',
      decision: 'POSSIBLE_MATCH',
      confidence: owner.match.confidence,
      agreed: owner.match.agreed,
    }]);
  }
  return found;
}

function demographicAgreement(person: Person, candidate: Candidate): readonly MatchField[] | undefined {
  return person.record && candidate.record ? matchRecords(person.record, candidate.record).agreed : undefined;
}

function indexPeople(people: readonly PatientKeys[]): PersonIndex {
  const byNationalId = new Map<string, Person>();
  const byBhxh = new Map<string, Person[]>();
  const byBlockingKey = new Map<string, Person[]>();
  for (const keys of people) {
    if (byNationalId.has(keys.nationalId)) continue; // the same person asked twice
    const bhxh = bhxhOf(keys.insuranceNumber);
    const record = matchRecordOf(keys.fullName, keys.birthDate, keys.gender, bhxh);
    const person: Person = { nationalId: keys.nationalId, bhxh, record };
    byNationalId.set(person.nationalId, person);
    if (bhxh !== undefined) push(byBhxh, bhxh, person);
    if (record !== undefined) for (const key of blockingKeys(record)) push(byBlockingKey, key, person);
  }
  return { all: [...byNationalId.values()], byNationalId, byBhxh, byBlockingKey };
}

/**
 * The demographics the record matcher compares, without the national ID (the DEMOGRAPHICS rule
 * runs only on records without one). The BHXH code stays so a contradicting one counts against.
 */
function matchRecordOf(fullName: string | null, birthDate: string | null, gender: AdministrativeGender | null, bhxh: string | undefined): MatchRecord | undefined {
  const name = present(fullName);
  if (name === null) return undefined;
  return { fullName: name, birthDate: present(birthDate), gender: matchGenderOf(gender), insuranceNumber: bhxh ?? null };
}

function matchGenderOf(gender: AdministrativeGender | null): MatchGender | null {
  return gender === null ? null : (gender.toLowerCase() as MatchGender);
}

function uniqueCandidates(candidates: readonly SourcePatient[]): Candidate[] {
  const seen = new Map<string, Candidate>();
  for (const record of candidates) {
    if (seen.has(record.localId)) continue; // a source may return a record once per lookup key
    const bhxh = bhxhOf(record.insuranceNumber);
    seen.set(record.localId, {
      localId: record.localId,
      nationalId: present(record.nationalId),
      bhxh,
      record: matchRecordOf(record.fullName, record.birthDate, record.gender, bhxh),
      deceased: record.deceased ?? undefined,
    });
  }
  return [...seen.values()];
}

function nameKeyOf(fullName: string | null): string | undefined {
  const key = fullName === null ? '' : nameTokensKey(fullName);
  return key === '' ? undefined : key;
}

function bhxhOf(insuranceNumber: string | null): string | undefined {
  const value = present(insuranceNumber);
  return value === null ? undefined : socialInsuranceNumberOf(value.toUpperCase());
}

/** Sources write "missing" as null, empty or blank; all three mean absent. */
function present(value: string | null): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

function minimumConfidenceOf(options: MatchOptions): number {
  const minimum = options.minimumConfidence ?? DEFAULT_MINIMUM_CONFIDENCE;
  if (!(minimum >= 0 && minimum <= 1)) throw new RangeError('minimumConfidence must be between 0 and 1');
  return minimum;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
