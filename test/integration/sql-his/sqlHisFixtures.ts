import type { ClinicalResourceKind, ClinicalResources } from '../../../contracts/model/clinical';
import type { FacilityRecord, Population, SyntheticPerson } from '../../../demo/population/types';
import type { GraphQLHttpResponse } from '../../helpers/postGraphQL';
import { postSignedGraphQL } from '../../helpers/signedPost';
import { patientRepresentation } from '../../../demo/patientRepresentation';

/** What the clinical contract exposes of every kind (all fields but provenance). */
const CODING = 'code { system code display }';
export const ALL_FIELDS_QUERY = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Patient {
      nationalId
      encounters { id status class period { start end } reasonText diagnoses { ${CODING} role rank } departmentCodes
        cost { total insurancePaid patientCoPay patientSelfPay insuranceCardUsed } }
      conditions { id ${CODING} clinicalStatus recordedDate encounterId }
      observations { id status ${CODING} valueQuantity { value unit code } valueString interpretation effectiveDateTime encounterId }
      medications { id status medication { system code display } dosageText quantity { value unit code } route authoredOn encounterId }
      procedures { id status ${CODING} performedDateTime encounterId }
      allergies { id ${CODING} category criticality reactionText recordedDate }
    }
  }
}`;

export const MATCH_QUERY = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Patient { nationalId encounters { id match { method confidence } source { facilityCode system } } }
  }
}`;

export type PatientEntity = { nationalId: string } & { [K in ClinicalResourceKind]: (Record<string, unknown> & { id: string })[] };

/** The representation the gateway sends: key plus the `@requires`d locator and match keys. */
export function representationOf(person: SyntheticPerson, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...patientRepresentation(person), ...overrides };
}

/** POSTs `_entities` to a hospital, signed as its gateway would. */
export function postEntities(
  hospital: { readonly url: string; readonly facility: { readonly code: string } },
  people: readonly Record<string, unknown>[],
  query = ALL_FIELDS_QUERY,
): Promise<GraphQLHttpResponse<{ _entities: PatientEntity[] }>> {
  return postSignedGraphQL<{ _entities: PatientEntity[] }>(hospital.url, hospital.facility.code, query, { representations: people });
}

/** People with exactly one chart at the facility matching `predicate`, with that chart. */
export function chartsAt(
  population: Population,
  facilityCode: string,
  predicate: (record: FacilityRecord, person: SyntheticPerson) => boolean = () => true,
): { person: SyntheticPerson; record: FacilityRecord }[] {
  return population.people.flatMap((person) => {
    const here = person.records.filter((r) => r.facilityCode === facilityCode);
    return here.length === 1 && predicate(here[0] as FacilityRecord, person) ? [{ person, record: here[0] as FacilityRecord }] : [];
  });
}

/**
 * A chart as the contract must return it: the generator's resources with facility-prefixed ids
 * (and encounter references), sorted by id so order does not matter. Kinds in `absent` are [].
 */
export function expectedChart(record: FacilityRecord, facilityCode: string, absent: readonly ClinicalResourceKind[] = []): Record<ClinicalResourceKind, unknown[]> {
  const prefix = (id: string | null): string | null => (id === null ? null : `${facilityCode}:${id}`);
  const kinds = Object.keys(record.resources) as ClinicalResourceKind[];
  return Object.fromEntries(kinds.map((kind) => {
    const items = absent.includes(kind) ? [] : (record.resources[kind] as readonly ClinicalResources[ClinicalResourceKind][]).map((item) => ({
      ...item,
      id: prefix(item.id),
      ...('encounterId' in item ? { encounterId: prefix(item.encounterId) } : {}),
    }));
    return [kind, byId(items)];
  })) as Record<ClinicalResourceKind, unknown[]>;
}

export function byId<T extends { id: string | null }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => ((a.id ?? '') < (b.id ?? '') ? -1 : 1));
}
