import { parseFacilityCode } from '../../../core/identifiers/facilityCode';
import { parseInsuranceNumber } from '../../../core/identifiers/insuranceNumber';
import { parseNationalId } from '../../../core/identifiers/nationalId';
import {
  DEMO_FACILITIES,
  DEMO_SEED,
  createDemoPopulation,
  facilityRecordsOf,
  generatePeople,
  generatePopulation,
} from '../../../demo/population/generatePopulation';
import type { Population } from '../../../demo/population/types';

const ISO_DATE_TIME_VN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/;

describe('generatePopulation', () => {
  let population: Population;

  beforeAll(() => {
    population = createDemoPopulation();
  });

  it('gives byte-identical output for the same seed', () => {
    const again = generatePopulation({ seed: DEMO_SEED, size: 200, facilities: DEMO_FACILITIES });
    expect(JSON.stringify(again)).toBe(JSON.stringify(population));
  });

  it('streams the same people one at a time (generatePeople), for populations too large to hold', () => {
    const streamed: unknown[] = [];
    for (const person of generatePeople({ seed: DEMO_SEED, size: 200, facilities: DEMO_FACILITIES })) streamed.push(person);
    expect(JSON.stringify(streamed)).toBe(JSON.stringify(population.people));
  });

  it('gives a different population for a different seed', () => {
    const other = generatePopulation({ seed: DEMO_SEED + 1, size: 200, facilities: DEMO_FACILITIES });
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(population));
  });

  it('creates the requested number of people over the given facilities', () => {
    expect(population.people).toHaveLength(200);
    expect(population.facilities.map((f) => f.code)).toEqual(DEMO_FACILITIES.map((f) => f.code));
    expect(generatePopulation({ seed: 1, size: 0, facilities: DEMO_FACILITIES }).people).toEqual([]);
  });

  it('declares at least four facilities with valid MA_CSKCB codes', () => {
    expect(DEMO_FACILITIES.length).toBeGreaterThanOrEqual(4);
    for (const facility of DEMO_FACILITIES) expect(parseFacilityCode(facility.code).kind).toBe('valid');
  });

  it('gives every person a unique national ID that passes parseNationalId and agrees with sex and birth year', () => {
    const ids = population.people.map((p) => p.nationalId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const person of population.people) {
      const parsed = parseNationalId(person.nationalId);
      if (parsed.kind !== 'valid') throw new Error(`invalid national ID: ${parsed.reason}`);
      expect(parsed.value.birthYear).toBe(Number(person.birthDate.slice(0, 4)));
      expect(parsed.value.sex).toBe(person.gender === 'FEMALE' ? 'female' : 'male');
    }
  });

  it('gives every insured person a card code that passes parseInsuranceNumber, with unique BHXH codes', () => {
    const insured = population.people.filter((p) => p.insuranceNumber !== null);
    const bhxh = insured.map((p) => {
      const parsed = parseInsuranceNumber(p.insuranceNumber as string);
      if (parsed.kind !== 'valid') throw new Error(`invalid insurance number: ${parsed.reason}`);
      expect(parsed.value.knownBeneficiaryGroup).toBe(true);
      return parsed.value.socialInsuranceNumber;
    });
    expect(new Set(bhxh).size).toBe(bhxh.length);
    for (const person of insured) {
      const newCard = person.card?.newCard;
      if (newCard) expect(parseInsuranceNumber(newCard.number).kind).toBe('valid');
    }
  });

  it('leaves about 10 % uninsured, without a card', () => {
    const uninsured = population.people.filter((p) => p.insuranceNumber === null);
    expect(uninsured.length).toBeGreaterThan(5);
    expect(uninsured.length).toBeLessThan(40);
    for (const person of uninsured) expect(person.card).toBeNull();
    for (const person of population.people.filter((p) => p.insuranceNumber !== null)) expect(person.card).not.toBeNull();
  });

  it('mixes card result codes: mostly 000, some 010, a few 003/004 with a new card, one or two 110', () => {
    const codes = population.people.flatMap((p) => (p.card ? [p.card.resultCode] : []));
    const count = (code: string): number => codes.filter((c) => c === code).length;
    expect(count('000') / codes.length).toBeGreaterThan(0.7);
    expect(count('010')).toBeGreaterThan(5);
    expect(count('003')).toBeGreaterThan(0);
    expect(count('004')).toBeGreaterThan(0);
    expect(count('110')).toBeGreaterThanOrEqual(1);
    expect(count('110')).toBeLessThanOrEqual(2);
    for (const person of population.people) {
      const card = person.card;
      if (!card) continue;
      expect(card.newCard != null).toBe(card.resultCode === '003' || card.resultCode === '004');
    }
  });

  it('has people treated at two or more facilities, and a few at none', () => {
    const counts = population.people.map((p) => p.records.length);
    expect(counts.filter((n) => n >= 2).length).toBeGreaterThan(30);
    expect(counts.filter((n) => n === 0).length).toBeGreaterThan(0);
    for (const person of population.people) {
      const codes = person.records.map((r) => r.facilityCode);
      expect(new Set(codes).size).toBe(codes.length);
    }
  });

  it('registers about 15 % of facility records without the national ID but with the card, and a few with neither', () => {
    const records = population.people.flatMap((p) => p.records.map((r) => ({ person: p, record: r })));
    const byCard = records.filter(({ record }) => !record.hasNationalId && record.hasInsuranceNumber);
    const neither = records.filter(({ record }) => !record.hasNationalId && !record.hasInsuranceNumber);
    expect(byCard.length / records.length).toBeGreaterThan(0.08);
    expect(byCard.length / records.length).toBeLessThan(0.25);
    expect(neither.length).toBeGreaterThan(0);
    for (const { person } of byCard) expect(person.insuranceNumber).not.toBeNull();
  });

  it('keeps local patient and resource ids unique within each facility', () => {
    for (const facility of DEMO_FACILITIES) {
      const entries = facilityRecordsOf(population, facility.code);
      const patientIds = entries.map((e) => e.record.localPatientId);
      expect(new Set(patientIds).size).toBe(patientIds.length);
      for (const id of patientIds) expect(id).toMatch(/^BN\d{7}$/);
      const resourceIds = entries.flatMap((e) => Object.values(e.record.resources).flat().map((r) => r.id));
      expect(new Set(resourceIds).size).toBe(resourceIds.length);
    }
  });

  it('builds coherent charts: ICD-10 diagnoses, conditions from them, LOINC results with units, +07:00 times', () => {
    const records = population.people.flatMap((p) => p.records);
    for (const { resources } of records) {
      expect(resources.encounters.length).toBeGreaterThanOrEqual(1);
      expect(resources.encounters.length).toBeLessThanOrEqual(4);
      const encounterIds = new Set(resources.encounters.map((e) => e.id));
      const diagnosisCodes = new Set(resources.encounters.flatMap((e) => e.diagnoses.map((d) => d.code.code)));
      for (const encounter of resources.encounters) {
        expect(encounter.diagnoses[0]?.role).toBe('PRIMARY');
        expect(encounter.period.start).toMatch(ISO_DATE_TIME_VN);
        expect(encounter.period.end).toMatch(ISO_DATE_TIME_VN);
        expect(Date.parse(encounter.period.end as string)).toBeGreaterThan(Date.parse(encounter.period.start as string));
      }
      for (const condition of resources.conditions) {
        expect(diagnosisCodes.has(condition.code.code)).toBe(true);
        expect(encounterIds.has(condition.encounterId as string)).toBe(true);
      }
      for (const observation of resources.observations) {
        expect(observation.code.system).toBe('http://loinc.org');
        expect(typeof observation.valueQuantity?.value).toBe('number');
        expect(observation.valueQuantity?.unit).toBeTruthy();
        expect(observation.effectiveDateTime).toMatch(ISO_DATE_TIME_VN);
      }
    }
    const kinds = ['observations', 'medications', 'procedures', 'allergies'] as const;
    for (const kind of kinds) expect(records.some((r) => r.resources[kind].length > 0)).toBe(true);
  });

  it('writes names in NFC with family name first', () => {
    for (const person of population.people) {
      expect(person.name.full).toBe(person.name.full.normalize('NFC'));
      expect(person.name.full).toBe([person.name.family, ...person.name.given].join(' '));
    }
    expect(population.people.some((p) => p.name.family === 'Nguyễn')).toBe(true);
  });
});

describe('facilityRecordsOf', () => {
  it('returns every chart of one facility with its person, and nothing for an unknown facility', () => {
    const population = generatePopulation({ seed: 7, size: 40, facilities: DEMO_FACILITIES });
    const total = DEMO_FACILITIES.reduce((sum, f) => sum + facilityRecordsOf(population, f.code).length, 0);
    expect(total).toBe(population.people.reduce((sum, p) => sum + p.records.length, 0));
    const first = facilityRecordsOf(population, DEMO_FACILITIES[0]?.code as string);
    for (const { person, record } of first) expect(person.records).toContain(record);
    expect(facilityRecordsOf(population, '01999')).toEqual([]);
  });
});
