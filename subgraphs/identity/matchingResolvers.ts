import type { GraphQLFieldResolver } from 'graphql';
import { PatientGraphError } from '../../core/errors/PatientGraphError';
import type { MatchGender, MatchRecord } from '../../core/matching/MatchRecord';
import { parseBirthDate } from '../../core/matching/parseBirthDate';
import type { AdministrativeGender } from '../../contracts/model/patient';
import type { SignedPrincipal } from '../../core/security/requestSignature';
import type { IdentityContext } from './createIdentitySubgraph';
import type { PatientIndex } from './PatientIndex';
import type { PatientLink, PatientMatching } from './PatientMatching';
import { parseFacilityCode } from '../../core/identifiers/facilityCode';
import { parseNationalId } from '../../core/identifiers/nationalId';
import type { Logger } from '../../core/logging/logger';
import { learnFromAnswers, type AnswerLearningOptions, type AnsweredPatient, type LearningIndex } from './learnFromAnswers';

const MAX_SEARCH = 50;
const MAX_REVIEWS = 100;
/** Largest batch of `learnFromAnswers` (the gateway sends at most this many per call). */
export const MAX_ANSWERS = 100;

interface SearchArgs {
  readonly name: string;
  readonly birthDate: string;
  readonly gender?: AdministrativeGender | null;
  readonly province?: string | null;
  readonly first?: number | null;
}

/**
 * `searchPatients`, `matchReviews` and `resolveMatch` (docs/identity.md §2). The gateway checks the
 * field policies; the subgraph checks again who asks (defense in depth) and applies the care
 * relationship to search: a clinician finds only people whose record locator includes their
 * facility, so a search never reveals who else exists. Registrars see and decide every review;
 * the index records each decision with the registrar's subject.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the resolver map of @apollo/subgraph types sources and args as any
type FieldResolvers = Record<string, GraphQLFieldResolver<any, IdentityContext>>;

export function matchingResolvers(
  matching: PatientMatching | undefined,
  index: PatientIndex,
  learning: ({ readonly index: LearningIndex } & AnswerLearningOptions) | undefined,
  logger: Logger,
): { Query: FieldResolvers; Mutation: FieldResolvers } {
  const need = (): PatientMatching => {
    if (!matching) throw new PatientGraphError('PATIENT_INDEX_READ_ONLY', 'This patient index cannot search or review matches.');
    return matching;
  };
  const toReview = async (link: PatientLink): Promise<Record<string, unknown>> => ({ ...link, patient: await index.get(link.nationalId) });
  return {
    Query: {
      searchPatients: async (_source, args: SearchArgs, context: IdentityContext) => {
        const principal = requireRole(context.principal, ['clinician', 'registrar']);
        const first = args.first ?? 10;
        if (!Number.isInteger(first) || first < 1 || first > MAX_SEARCH) throw new PatientGraphError('BAD_USER_INPUT', `"first" must be between 1 and ${MAX_SEARCH}`);
        const hits = await need().search(searchRecord(args), principal.role === 'clinician' ? MAX_SEARCH : first);
        const visible = [];
        for (const hit of hits) {
          if (principal.role === 'clinician' && !(await context.facilityCodes.load(hit.patient)).includes(principal.facilityCode ?? '')) continue;
          visible.push({ patient: hit.patient, decision: hit.match.decision, confidence: hit.match.confidence, agreed: hit.match.agreed });
          if (visible.length === first) break;
        }
        return visible;
      },
      matchReviews: async (_source, args: { first?: number | null; after?: string | null }, context: IdentityContext) => {
        requireRole(context.principal, ['registrar']);
        const first = args.first ?? 20;
        if (!Number.isInteger(first) || first < 1 || first > MAX_REVIEWS) throw new PatientGraphError('BAD_USER_INPUT', `"first" must be between 1 and ${MAX_REVIEWS}`);
        if (args.after != null && !/^\d{1,18}$/.test(args.after)) throw new PatientGraphError('BAD_USER_INPUT', '"after" must be the id of a review');
        return Promise.all((await need().pendingReviews(first, args.after ?? null)).map(toReview));
      },
    },
    Mutation: {
      resolveMatch: async (_source, args: { linkId: string; accept: boolean }, context: IdentityContext) => {
        const principal = requireRole(context.principal, ['registrar']);
        const link = await need().resolve(args.linkId, args.accept, `registrar:${principal.sub}`);
        if (!link) throw new PatientGraphError('MATCH_REVIEW_NOT_FOUND', 'No such review.');
        return toReview(link);
      },
      // Only the gateway reaches the subgraph (signed); it calls this after an answer, never delaying it.
      learnFromAnswers: async (_source, args: { answers: readonly AnsweredPatient[] }) => {
        if (!learning) throw new PatientGraphError('PATIENT_INDEX_READ_ONLY', 'This patient index does not learn from answers.');
        const answers = parseAnswers(args.answers);
        const outcome = await learnFromAnswers(learning.index, answers, learning);
        // Counts and facility codes only: never who, never what the record says.
        logger.info('identity.learned-from-answers', { answers: answers.length, ...outcome });
        return outcome.registered;
      },
    },
  };
}

function requireRole(principal: SignedPrincipal | null, roles: readonly string[]): SignedPrincipal {
  if (!principal || !roles.includes(principal.role)) throw new PatientGraphError('FORBIDDEN', 'This role may not use this field.');
  return principal;
}

function searchRecord(args: SearchArgs): MatchRecord {
  if (args.name.trim() === '') throw new PatientGraphError('BAD_USER_INPUT', '"name" must not be empty');
  if (!/^\d{4}(-\d{2}-\d{2})?$/.test(args.birthDate) || !parseBirthDate(args.birthDate)) {
    throw new PatientGraphError('BAD_USER_INPUT', '"birthDate" must be YYYY-MM-DD or YYYY');
  }
  return {
    fullName: args.name,
    birthDate: args.birthDate,
    gender: args.gender ? (args.gender.toLowerCase() as MatchGender) : null,
    province: args.province ?? null,
  };
}

function parseAnswers(answers: readonly AnsweredPatient[]): AnsweredPatient[] {
  if (answers.length > MAX_ANSWERS) throw new PatientGraphError('BAD_USER_INPUT', `"answers" holds at most ${MAX_ANSWERS} pairs`);
  return answers.map(({ facilityCode, nationalId }) => {
    const facility = parseFacilityCode(facilityCode);
    if (facility.kind === 'invalid') throw new PatientGraphError('INVALID_IDENTIFIER', `Invalid "facilityCode": ${facility.reason}.`);
    const person = parseNationalId(nationalId);
    if (person.kind === 'invalid') throw new PatientGraphError('INVALID_IDENTIFIER', `Invalid "nationalId": ${person.reason}.`);
    return { facilityCode: facility.value, nationalId: person.value.value };
  });
}
