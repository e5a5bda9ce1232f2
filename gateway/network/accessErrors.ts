import type { GraphQLFormattedError } from 'graphql';
import type { AccessRuling } from './applyAccessRules';

/** One FORBIDDEN error per patient outside the clinician's care (on that patient's entity). */
export function outsideCareErrors(ruling: AccessRuling): GraphQLFormattedError[] {
  return ruling.outsideCare.map((index) => ({
    message: 'This patient is not in the care of your facility, so no clinical data was fetched. In an emergency, use breakTheGlass with a reason.',
    path: ['_entities', index],
    extensions: { code: 'FORBIDDEN' },
  }));
}

/** One CONSENT_DENIED error per facility a patient's consent withholds (it was not asked). */
export function withheldFacilityErrors(ruling: AccessRuling): GraphQLFormattedError[] {
  return [...ruling.withheldFacilities].flatMap(([index, facilities]) =>
    facilities.map((facilityCode) => ({
      message: `The patient has withheld the records of facility ${facilityCode}; they were not fetched.`,
      path: ['_entities', index],
      extensions: { code: 'CONSENT_DENIED', facilityCode },
    })),
  );
}
