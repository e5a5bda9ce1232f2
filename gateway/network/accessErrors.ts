import type { GraphQLFormattedError } from 'graphql';
import type { AccessRuling } from './applyAccessRules';

/** One FORBIDDEN error per patient outside the caller's care relationship (on that patient's entity). */
export function outsideCareErrors(ruling: AccessRuling): GraphQLFormattedError[] {
  return ruling.outsideCare.map((index) => ({
    message: 'This patient is outside your care relationship and you hold no break-the-glass grant for them (access rule "needs-care"), so no data was fetched. In an emergency, use breakTheGlass with a reason.',
    path: ['_entities', index],
    extensions: { code: 'FORBIDDEN', rule: 'needs-care' },
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
