import { buildSubgraphSchema } from '@apollo/subgraph';
import DataLoader from 'dataloader';
import type { GraphQLSchema } from 'graphql';
import type { CardCheckResult, InsuredVisitRecord } from '../../adapters/vss/CardCheckResult';
import type { CardCheckInput, VssClient } from '../../adapters/vss/VssClient';
import { PatientGraphError } from '../../core/errors/PatientGraphError';
import { parseInsuranceNumber, type InsuranceNumber } from '../../core/identifiers/insuranceNumber';
import type { Logger } from '../../core/logging/logger';
import { loadContract } from '../../contracts/loadContract';
import { toInsuranceCard, type InsuranceCardView } from './toInsuranceCard';
import { WITHHELD_FACILITIES_KEY } from '../../core/consent/consentRepresentationKeys';

export interface InsuranceSubgraphOptions {
  /** The VSS client (only its card check is used). */
  readonly vss: Pick<VssClient, 'checkCard'>;
  readonly logger: Logger;
}

/** Per-request context: one loader, so `insuranceCard` and `insuredVisits` share one VSS call. */
export interface InsuranceContext {
  readonly cardChecks: DataLoader<CardCheckInput, CardCheckResult, string>;
}

export interface InsuranceSubgraph {
  readonly schema: GraphQLSchema;
  readonly createContext: () => Promise<InsuranceContext>;
}

/**
 * `Patient` as the gateway sends it to this subgraph: the key plus the `@requires`d look-up
 * inputs from the identity subgraph (federation `_entities` representation).
 */
interface PatientRepresentation {
  readonly nationalId: string;
  readonly insuranceNumber?: string | null;
  readonly name?: { readonly full?: string | null } | null;
  readonly birthDate?: string | null;
  /** Facilities the patient's consent withholds from this caller (set by the gateway). */
  readonly [WITHHELD_FACILITIES_KEY]?: readonly string[];
}

type Lookup =
  | { readonly kind: 'no-card' }
  | { readonly kind: 'unusable'; readonly error: PatientGraphError }
  | { readonly kind: 'ready'; readonly card: InsuranceNumber; readonly input: CardCheckInput };

const SOURCE = { source: 'vss' } as const;

/**
 * The insurance contract (contracts/insurance.graphql) over the VSS card check.
 *
 * - `insuranceCard`: null when the person has no card number; the typed check result otherwise.
 *   Look-up inputs that cannot be sent to VSS (malformed card code, no birth date) and VSS
 *   failures are field errors with a registered code.
 * - `insuredVisits`: VSS's visit history when it matched the card; `[]` when there is no card or
 *   VSS matched none to this person. When VSS could not answer it is a field error and `null`
 *   (the field is nullable so an outage never nulls the patient, and never reads as "no visits").
 */
export function createInsuranceSubgraph(options: InsuranceSubgraphOptions): InsuranceSubgraph {
  const logger = options.logger.child({ subgraph: 'insurance' });
  const resolvers = {
    Patient: {
      __resolveReference: (representation: PatientRepresentation): PatientRepresentation => representation,
      insuranceCard: async (patient: PatientRepresentation, _args: unknown, context: InsuranceContext): Promise<InsuranceCardView | null> => {
        const lookup = lookupOf(patient);
        if (lookup.kind === 'no-card') return null;
        if (lookup.kind === 'unusable') throw lookup.error;
        return toInsuranceCard(await context.cardChecks.load(lookup.input), lookup.card);
      },
      insuredVisits: async (patient: PatientRepresentation, _args: unknown, context: InsuranceContext): Promise<readonly InsuredVisitRecord[]> => {
        const lookup = lookupOf(patient);
        if (lookup.kind !== 'ready') return [];
        const withheld = new Set(patient[WITHHELD_FACILITIES_KEY] ?? []);
        return visitsOf(await context.cardChecks.load(lookup.input)).filter((visit) => !withheld.has(visit.facilityCode));
      },
    },
  };
  // The module-list form types resolvers with any context; ours take InsuranceContext.
  const schema = buildSubgraphSchema([{ typeDefs: loadContract('insurance').typeDefs, resolvers }]);
  const createContext = async (): Promise<InsuranceContext> => ({
    cardChecks: new DataLoader<CardCheckInput, CardCheckResult, string>(
      async (inputs) => {
        logger.debug('insurance.card_checks', { count: inputs.length });
        return Promise.all(inputs.map((input) => options.vss.checkCard(input).catch((error: unknown) => asError(error))));
      },
      { cacheKeyFn: (input) => `${input.cardNumber}\u0000${input.fullName}\u0000${input.birthDate}` },
    ),
  });
  return { schema, createContext };
}

function lookupOf(patient: PatientRepresentation): Lookup {
  const cardNumber = patient.insuranceNumber?.trim();
  if (!cardNumber) return { kind: 'no-card' };
  const card = parseInsuranceNumber(cardNumber);
  if (card.kind === 'invalid') {
    return { kind: 'unusable', error: new PatientGraphError('INVALID_IDENTIFIER', 'The insurance number on record is not a valid card code; VSS was not asked.', SOURCE) };
  }
  const fullName = patient.name?.full?.trim();
  const birthDate = patient.birthDate;
  if (!fullName || !birthDate) {
    // VSS checks the card against name and birth date (§6.2); it cannot be asked without both.
    return { kind: 'unusable', error: new PatientGraphError('BAD_USER_INPUT', 'The card check needs the name and birth date on record; VSS was not asked.', SOURCE) };
  }
  return { kind: 'ready', card: card.value, input: { cardNumber: card.value.value, fullName, birthDate } };
}

function visitsOf(result: CardCheckResult): readonly InsuredVisitRecord[] {
  if (result.kind === 'card') return result.visits;
  switch (result.status) {
    case 'SERVICE_ERROR':
    case 'LOOKUP_NOT_AUTHORIZED':
      // VSS did not say there are no visits; it did not answer. An empty list would be a lie.
      throw new PatientGraphError('SOURCE_ERROR', `VSS could not return the visit history (maKetQua ${result.resultCode}).`, SOURCE);
    default:
      return [];
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
