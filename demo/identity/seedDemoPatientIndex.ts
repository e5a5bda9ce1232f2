import type { MatchGender } from '../../core/matching/MatchRecord';
import type { PatientRegistration, SqlPatientIndex } from '../../subgraphs/identity/SqlPatientIndex';
import type { Population } from '../population/types';
import { buildDemoPatientIndex } from './buildDemoPatientIndex';

/**
 * Fills a persistent patient index with the demo population the way a real one learns: the
 * people (with their national IDs), then every facility record registered as the hospital holds
 * it — with the national ID and the card only when the hospital recorded them — matched and
 * linked by the one matcher. Idempotent: a second run re-links the same records.
 */
export async function seedDemoPatientIndex(index: SqlPatientIndex, population: Population): Promise<void> {
  await index.upsertPeople(buildDemoPatientIndex(population).map((p) => ({ ...p })));
  const registrations: PatientRegistration[] = population.people.flatMap((person) =>
    person.records.map((record) => ({
      facilityCode: record.facilityCode,
      localId: record.localPatientId,
      record: {
        nationalId: record.hasNationalId ? person.nationalId : null,
        insuranceNumber: record.hasInsuranceNumber ? person.insuranceNumber : null,
        fullName: person.name.full,
        birthDate: person.birthDate,
        gender: person.gender.toLowerCase() as MatchGender,
      },
    })),
  );
  await index.register(registrations, 'load:demo');
}
