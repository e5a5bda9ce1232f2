import { createLogger } from '../../../core/logging/logger';
import { startDemoHospital, type SyntheticDemoHospital } from '../../../demo/hospitals/startDemoHospital';
import { patientRepresentation } from '../../../demo/patientRepresentation';
import { createDemoPopulation, DEMO_FACILITIES } from '../../../demo/population/generatePopulation';
import type { FacilityRecord, SyntheticPerson } from '../../../demo/population/types';
import { postSignedGraphQL, testSigning } from '../../helpers/signedPost';

const population = createDemoPopulation();
const facility = DEMO_FACILITIES[0] as (typeof DEMO_FACILITIES)[number];
const ENTITIES = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Patient { encounters { match { method confidence agreed } } } }
}`;

type Entities = { _entities: { encounters: { match: { method: string; confidence: number; agreed: string[] } }[] }[] };

function chart(predicate: (record: FacilityRecord) => boolean): SyntheticPerson {
  const person = population.people.find((p) => {
    const here = p.records.filter((r) => r.facilityCode === facility.code);
    return here.length === 1 && predicate(here[0]!) && here[0]!.resources.encounters.length > 0;
  });
  if (!person) throw new Error('the demo population has no such chart at this facility');
  return person;
}

describe('match { method confidence agreed } of a hospital’s clinical items', () => {
  let hospital: SyntheticDemoHospital;

  beforeAll(async () => {
    hospital = await startDemoHospital({ facility, population, logger: createLogger({ level: 'error', write: () => undefined }), port: 0, signing: testSigning(facility.code) });
  }, 60_000);

  afterAll(async () => {
    await hospital.stop();
  });

  it('says which identifier matched, or which demographic fields the matcher found in agreement', async () => {
    const byId = chart((r) => r.hasNationalId);
    const byDemographics = chart((r) => !r.hasNationalId && !r.hasInsuranceNumber);
    const { body } = await postSignedGraphQL<Entities>(hospital.url, facility.code, ENTITIES, {
      representations: [patientRepresentation(byId), { ...patientRepresentation(byDemographics), name: { full: byDemographics.name.full.toUpperCase() } }],
    });
    expect(body.errors).toBeUndefined();
    const [idPatient, demoPatient] = body.data?._entities ?? [];
    expect(idPatient?.encounters[0]?.match).toEqual({ method: 'NATIONAL_ID', confidence: 1, agreed: ['nationalId'] });
    expect(demoPatient?.encounters[0]?.match).toEqual({ method: 'DEMOGRAPHICS', confidence: 0.8, agreed: ['fullName', 'birthDate', 'gender'] });
  });
});
