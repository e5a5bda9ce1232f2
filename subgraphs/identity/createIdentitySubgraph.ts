import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import DataLoader from 'dataloader';
import type { GraphQLSchema } from 'graphql';
import { PatientGraphError } from '../../core/errors/PatientGraphError';
import { parseNationalId } from '../../core/identifiers/nationalId';
import type { Logger } from '../../core/logging/logger';
import type { SignedPrincipal } from '../../core/security/requestSignature';
import { loadContract } from '../../contracts/loadContract';
import type { SubgraphRequestFacts } from '../http/requireSignature';
import { DateScalar } from '../../contracts/scalars';
import type { IndexedPatient, PatientIndex } from './PatientIndex';
import type { PatientMatching } from './PatientMatching';
import { matchingResolvers } from './matchingResolvers';
import type { AnswerLearningOptions, LearningIndex } from './learnFromAnswers';
import type { VisitHistoryLocator } from './RecordLocator';
import { PatientCursorCodec } from './PatientCursorCodec';

export interface IdentityContext {
  readonly facilityCodes: DataLoader<IndexedPatient, readonly string[]>;
  /** Facilities of undecided possible-match links, per national ID (empty without a learning index). */
  readonly possibleMatchFacilityCodes: DataLoader<string, readonly string[]>;
  /** The principal the gateway signed for; null without one (tests, health checks). */
  readonly principal: SignedPrincipal | null;
}

export interface IdentitySubgraph {
  readonly schema: GraphQLSchema;
  readonly createContext: (facts?: SubgraphRequestFacts) => Promise<IdentityContext>;
}

const MAX_PAGE_SIZE = 100;

/**
 * The identity subgraph (contract `identity`): the patient index and the record locator.
 * `facilityCodes` = facilities the index has linked ∪ facilities in the national visit history.
 */
export function createIdentitySubgraph(options: {
  index: PatientIndex;
  locator: VisitHistoryLocator;
  logger: Logger;
  cursors?: PatientCursorCodec;
  /** Search and review (the persistent index); without it those fields answer PATIENT_INDEX_READ_ONLY. */
  matching?: PatientMatching;
  /**
   * Learning from clinical answers (`learnFromAnswers`, docs/identity.md §2): the index to register
   * into and the sources it may ask. Without it the mutation answers PATIENT_INDEX_READ_ONLY.
   */
  learning?: { readonly index: LearningIndex } & AnswerLearningOptions;
}): IdentitySubgraph {
  const { index, locator } = options;
  const cursors = options.cursors ?? new PatientCursorCodec();
  const logger = options.logger.child({ subgraph: 'identity' });

  const matching = matchingResolvers(options.matching, index, options.learning, logger);
  const resolvers: GraphQLResolverMap<IdentityContext> = {
    Date: DateScalar,
    Query: {
      ...matching.Query,
      patient: async (_source, args: { nationalId: string }) => index.get(requireNationalId(args.nationalId)),
      patients: async (_source, args: { first?: number | null; after?: string | null }) => {
        const first = args.first ?? 20;
        if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
          throw new PatientGraphError('BAD_USER_INPUT', `"first" must be between 1 and ${MAX_PAGE_SIZE}`);
        }
        const page = await index.page(first, args.after ? cursors.decode(args.after) : null);
        const edges = page.patients.map((patient) => ({ cursor: cursors.encode(patient.nationalId), node: patient }));
        return {
          edges,
          // A function: GraphQL's default resolver calls it only when `totalCount` is selected,
          // so paging through 10 million people never counts them (PatientIndex.count).
          totalCount: () => index.count(),
          pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
        };
      },
    },
    Mutation: matching.Mutation,
    Patient: {
      __resolveReference: async (reference: { nationalId: string }) => index.get(reference.nationalId),
      facilityCodes: (patient: IndexedPatient, _args: unknown, context: IdentityContext) => context.facilityCodes.load(patient),
      possibleMatchFacilityCodes: (patient: IndexedPatient, _args: unknown, context: IdentityContext) => context.possibleMatchFacilityCodes.load(patient.nationalId),
    },
  };

  // buildSubgraphSchema types resolvers with an `unknown` context; ours is IdentityContext.
  const schema = buildSubgraphSchema({ typeDefs: loadContract('identity').typeDefs, resolvers: resolvers as GraphQLResolverMap<unknown> });

  const locateBatch = async (patients: readonly IndexedPatient[]): Promise<readonly (readonly string[])[]> => {
    const located = await locator
      .facilityCodesOf(patients.map((p) => ({ nationalId: p.nationalId, insuranceNumber: p.insuranceNumber, fullName: p.name.full, birthDate: p.birthDate })))
      .catch((error: unknown) => patients.map(() => (error instanceof Error ? error : new Error(String(error)))));
    return patients.map((patient, i) => {
      const visits = located[i];
      if (visits instanceof Error || visits === undefined) {
        // Fail soft: the index's own links still route; the VSS outage is in the log, not in the answer.
        logger.warn('locator.unavailable', { reason: visits instanceof Error ? visits.message : 'no answer' });
        return [...patient.linkedFacilityCodes].sort();
      }
      return [...new Set([...patient.linkedFacilityCodes, ...visits])].sort();
    });
  };

  const locatePossibleMatches = async (nationalIds: readonly string[]): Promise<readonly (readonly string[])[]> => {
    if (!options.matching) return nationalIds.map(() => []);
    const found = await options.matching.possibleMatchFacilities(nationalIds);
    return nationalIds.map((id) => found.get(id) ?? []);
  };

  return {
    schema,
    createContext: async (facts) => ({
      facilityCodes: new DataLoader(locateBatch, { cacheKeyFn: (p) => p.nationalId }),
      possibleMatchFacilityCodes: new DataLoader(locatePossibleMatches),
      principal: facts?.principal ?? null,
    }),
  };
}

function requireNationalId(value: string): string {
  const check = parseNationalId(value);
  if (check.kind === 'invalid') {
    throw new PatientGraphError('INVALID_IDENTIFIER', `Invalid argument "nationalId": ${check.reason}.`);
  }
  return check.value.value;
}
