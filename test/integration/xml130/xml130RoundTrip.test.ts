import { existsSync } from 'node:fs';
import type { Encounter, MedicationRequest, Observation, Procedure } from '../../../contracts/model/clinical';
import { silentLogger } from '../../../core/logging/logger';
import { startXml130DemoHospital, type Xml130DemoHospital } from '../../../demo/hospitals/startXml130DemoHospital';
import { facilityRecordsOf } from '../../../demo/population/facilityRecordsOf';
import { createDemoPopulation, DEMO_FACILITIES } from '../../../demo/population/generatePopulation';
import { progressNotesOf } from '../../../demo/xml130/progressNotesOf';
import { postSignedGraphQL, testSigning } from '../../helpers/signedPost';
import { patientRepresentation } from '../../../demo/patientRepresentation';

/**
 * The whole xml130 path, end to end: the demo writer turns a facility's synthetic charts into QĐ
 * 130 claim files, the adapter indexes the folder, and the clinical subgraph serves it over real
 * HTTP. What comes out must be what the generator put in.
 */
const population = createDemoPopulation();
const facility = DEMO_FACILITIES[1] as (typeof DEMO_FACILITIES)[number];
const charts = facilityRecordsOf(population, facility.code);

const ENTITIES = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Patient {
      nationalId
      encounters { id status class period { start end } reasonText diagnoses { code { system code display } role rank } departmentCodes
        cost { total insurancePaid patientCoPay patientSelfPay insuranceCardUsed } source { facilityCode system } match { method } }
      conditions { id code { system code display } clinicalStatus recordedDate encounterId }
      observations { id status code { system code display } valueQuantity { value unit code } valueString interpretation effectiveDateTime encounterId }
      medications { id status medication { system code display } dosageText quantity { value unit code } route authoredOn encounterId }
      procedures { id status code { system code display } performedDateTime encounterId }
      allergies { id }
    }
  }
}`;

interface PatientAnswer {
  nationalId: string;
  encounters: (Encounter & { source: { facilityCode: string; system: string }; match: { method: string } })[];
  conditions: { id: string; code: { system: string; code: string; display: string | null }; clinicalStatus: string; recordedDate: string; encounterId: string }[];
  observations: Observation[];
  medications: MedicationRequest[];
  procedures: Procedure[];
  allergies: { id: string }[];
}


const local = (id: string | null): string | null => (id === null ? null : id.replace(`${facility.code}:`, ''));
const byKey = <T>(key: (item: T) => string) => (a: T, b: T): number => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

describe('xml130 adapter round trip (writer → files → adapter → clinical subgraph over HTTP)', () => {
  let hospital: Xml130DemoHospital;
  let answers: Map<string, PatientAnswer>;

  beforeAll(async () => {
    hospital = await startXml130DemoHospital({ facility, population, logger: silentLogger, hosoPerFile: 30, signing: testSigning(facility.code) });
    hospital.calls.resetStats();
    const { status, body } = await postSignedGraphQL<{ _entities: PatientAnswer[] }>(hospital.url, facility.code, ENTITIES, {
      representations: charts.map(({ person }) => patientRepresentation(person)),
    });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    answers = new Map((body.data?._entities ?? []).map((answer) => [answer.nationalId, answer]));
  }, 120_000); // starts PGlite and indexes the folder: well over jest's 30 s on a loaded machine

  afterAll(async () => {
    await hospital.stop();
  }, 60_000);

  it('indexes every HOSO the writer wrote, with no problem, and asks the source once per kind for the whole batch', () => {
    expect(hospital.written.files.length).toBeGreaterThan(1);
    expect(hospital.adapter.stats()).toMatchObject({ files: hospital.written.files.length, hoso: hospital.written.hoso, rejectedHoso: 0, problems: 0 });
    const calls = hospital.calls.stats();
    expect(calls.findPatients).toBe(1);
    expect(calls.loadResources).toEqual({ encounters: 1, conditions: 1, observations: 1, medications: 1, procedures: 1, allergies: 1 });
  });

  it('returns each chart matched by the identifiers it was registered with', () => {
    for (const { person, record } of charts) {
      const answer = answers.get(person.nationalId);
      const expected = record.hasNationalId ? 'NATIONAL_ID' : record.hasInsuranceNumber ? 'INSURANCE_NUMBER' : 'DEMOGRAPHICS';
      expect(answer?.encounters.map((e) => e.match.method)).toEqual(record.resources.encounters.map(() => expected));
      expect(answer?.encounters.every((e) => e.source.system === 'xml130' && e.source.facilityCode === facility.code)).toBe(true);
    }
  });

  it('gives back XML1 as the generator’s encounters: ids, class, +07:00 periods, diagnoses, departments and costs', () => {
    for (const { person, record } of charts) {
      const answer = answers.get(person.nationalId);
      const got = (answer?.encounters ?? []).map(({ source: _s, match: _m, ...encounter }) => ({ ...encounter, id: local(encounter.id) }));
      expect(got.sort(byKey((e) => e.id ?? ''))).toEqual([...record.resources.encounters].sort(byKey((e) => e.id)));
      for (const encounter of got) expect(encounter.period.start).toMatch(/\+07:00$/);
    }
  });

  it('gives back the diagnoses of XML1 as conditions of their encounter, recorded at discharge', () => {
    for (const { person, record } of charts) {
      const conditions = answers.get(person.nationalId)?.conditions ?? [];
      const expected = record.resources.encounters.flatMap((e) => e.diagnoses.map((d) => ({
        code: d.code, clinicalStatus: 'UNKNOWN', recordedDate: e.period.end, encounterId: e.id,
      })));
      const got = conditions.map(({ id: _id, ...c }) => ({ ...c, encounterId: local(c.encounterId) }));
      const key = byKey((c: { encounterId: string | null; code: { code: string } }) => `${c.encounterId}|${c.code.code}`);
      expect(got.sort(key)).toEqual(expected.sort(key));
      expect(new Set(conditions.map((c) => c.code.code))).toEqual(new Set(record.resources.conditions.map((c) => c.code.code)));
    }
  });

  it('gives back XML2 as the generator’s medications: code, name and strength, dosage, quantity and unit, route, time', () => {
    for (const { person, record } of charts) {
      const got = (answers.get(person.nationalId)?.medications ?? []).map(({ id: _id, status: _status, ...m }) => ({ ...m, encounterId: local(m.encounterId) }));
      const expected = record.resources.medications.map(({ id: _id, status: _status, ...m }) => m);
      const key = byKey((m: { authoredOn: string | null; medication: { code: string } }) => `${m.authoredOn}|${m.medication.code}`);
      expect(got.sort(key)).toEqual(expected.sort(key));
    }
  });

  it('gives back XML3 as the generator’s procedures (ICD-9-CM), the supply rows left out', () => {
    for (const { person, record } of charts) {
      const got = (answers.get(person.nationalId)?.procedures ?? []).map(({ id: _id, ...p }) => ({ ...p, encounterId: local(p.encounterId) }));
      const expected = record.resources.procedures.map(({ id: _id, ...p }) => p);
      const key = byKey((p: Procedure | (typeof got)[number]) => `${p.performedDateTime}|${p.code.code}`);
      expect(got.sort(key)).toEqual(expected.sort(key));
    }
  });

  it('gives back XML4 as the generator’s results (value, unit, interpretation, time) and XML5 as progress notes', () => {
    for (const { person, record } of charts) {
      const observations = answers.get(person.nationalId)?.observations ?? [];
      const results = observations.filter((o) => o.code.code !== '11506-3').map((o) => ({
        code: o.code.code, display: o.code.display, value: o.valueQuantity?.value, unit: o.valueQuantity?.unit,
        interpretation: o.interpretation, effectiveDateTime: o.effectiveDateTime, encounterId: local(o.encounterId), status: o.status,
      }));
      const expectedResults = record.resources.observations.map((o) => ({
        code: o.code.code, display: o.code.display, value: o.valueQuantity?.value, unit: o.valueQuantity?.unit,
        interpretation: o.interpretation, effectiveDateTime: o.effectiveDateTime, encounterId: o.encounterId, status: 'FINAL',
      }));
      const key = byKey((o: { effectiveDateTime: string | null; code: string }) => `${o.effectiveDateTime}|${o.code}`);
      expect(results.sort(key)).toEqual(expectedResults.sort(key));

      const notes = observations.filter((o) => o.code.code === '11506-3')
        .map((o) => ({ text: o.valueString, at: o.effectiveDateTime, encounterId: local(o.encounterId) }));
      const expectedNotes = record.resources.encounters.flatMap((e) =>
        progressNotesOf(e, record.resources.observations).map((n) => ({ ...n, encounterId: e.id })));
      const noteKey = byKey((n: { at: string | null; text: string | null }) => `${n.at}|${n.text}`);
      expect(notes.sort(noteKey)).toEqual(expectedNotes.sort(noteKey));
      expect(answers.get(person.nationalId)?.allergies).toEqual([]); // QĐ 130 has no allergy table
    }
  });

  it('answers encounterCount and diagnosisCounts over XML1 as the generator’s encounters add up', async () => {
    const encounters = charts.flatMap(({ record }) => record.resources.encounters);
    const expected = new Map<string, number>();
    for (const e of encounters) {
      const code = e.diagnoses.find((d) => d.role === 'PRIMARY')?.code.code ?? '';
      expected.set(code, (expected.get(code) ?? 0) + 1);
    }
    const from = '2025-01-01';
    const inWindow = encounters.filter((e) => (e.period.start ?? '').slice(0, 10) >= from).length;
    const { body } = await postSignedGraphQL<{ encounterCount: number; window: number; diagnosisCounts: { code: string; encounters: number }[] }>(
      hospital.url,
      facility.code,
      `{ encounterCount window: encounterCount(from: "${from}") diagnosisCounts(first: 100) { code encounters } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.encounterCount).toBe(encounters.length);
    expect(body.data?.window).toBe(inWindow);
    expect(new Map(body.data?.diagnosisCounts.map((row) => [row.code, row.encounters]))).toEqual(expected);
  });

  it('removes its temporary folder on stop', async () => {
    const other = await startXml130DemoHospital({ facility, population, logger: silentLogger, config: { watch: false }, signing: testSigning(facility.code) });
    expect(existsSync(other.folder)).toBe(true);
    await other.stop();
    expect(existsSync(other.folder)).toBe(false);
  }, 120_000);
});
