import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLSchema } from 'graphql';
import { parseFacilityCode } from '../../core/identifiers/facilityCode';
import type { Logger } from '../../core/logging/logger';
import type { ClinicalResourceKind, DiagnosisCount, PatientMatch, RecordIdentifier, SourceRef } from '../../contracts/model/clinical';
import { loadContract } from '../../contracts/loadContract';
import type { ClinicalAdapter, Facility } from './ClinicalAdapter';
import { createClinicalLoaders, type ClinicalLoaders } from './createClinicalLoaders';
import { guardAdapter } from './guardAdapter';
import { DateScalar, DateTimeScalar, PartialDateTimeScalar } from '../../contracts/scalars';
import { AS_RECORDED_RESOLVERS } from './asRecordedResolvers';
import { toDeceasedStatus, type DeceasedStatus } from './toDeceasedStatus';
import { checkMatchOptions, patientMatchOf, type MatchOptions } from './matchPatients';
import { PatientChangeCursorCodec } from './PatientChangeCursorCodec';
import { isFacilityAsked, parseAnalyticsArguments } from './parseAnalyticsArguments';
import { rankDiagnosisCounts } from './rankDiagnosisCounts';
import { PatientGraphError } from '../../core/errors/PatientGraphError';
import { parsePopulationArguments } from './population/parsePopulationArguments';
import { patientPseudonym } from './population/patientPseudonym';
import { toPopulationCell, type PopulationCell } from './population/toPopulationCell';
import type { PlacedCohortRow } from './population/CohortQuery';
import { sortNewestFirst } from './sortNewestFirst';
import { toClinicalItem, type ClinicalItem } from './toClinicalItem';
import { sensitiveEncounterIds, withholdSensitive } from './withholdSensitive';
import { reportValueProblems } from './valueProblems';
import { patientKeysOf, toPatientReference, type PatientReference } from './toPatientReference';

export interface ClinicalSubgraphOptions {
  readonly facility: Facility;
  readonly adapter: ClinicalAdapter;
  readonly logger: Logger;
  /** Matching threshold of this facility (default: every rule of `matchPatients`). */
  readonly match?: MatchOptions;
  /**
   * The network's analytics key (at least 32 bytes), shared by the sources and never by the
   * gateway: keyed pseudonyms let the gateway count a person seen at several hospitals once.
   * Without it, the source refuses distinct-patient counts.
   */
  readonly analyticsKey?: Buffer;
}

/** Per-request context: fresh loaders, so nothing is cached across requests. */
export interface ClinicalContext {
  readonly loaders: ClinicalLoaders;
}

export interface ClinicalSubgraph {
  readonly schema: GraphQLSchema;
  readonly createContext: () => Promise<ClinicalContext>;
}

type Args = Readonly<Record<string, unknown>>;

/** Rows of a cohort page when `first` is null (the contract's default is 100 too). */
const DEFAULT_COHORT_PAGE = 100;

/**
 * A source's cohort page: its rows with their network pseudonyms and places (both `@inaccessible`,
 * read by the gateway only), and whether it has more. Pseudonyms for clients and the disclosure
 * fields are the gateway's.
 */
interface SourceCohortPage {
  readonly rows: readonly PlacedCohortRow[];
  readonly pageInfo: { readonly endCursor: string | null; readonly hasNextPage: boolean };
}

/** Largest page of the registration feed. */
const MAX_CHANGES_PAGE = 1000;

/** What a source says of disclosure: nothing done (true counts); the gateway fills these in. */
const SOURCE_DISCLOSURE_FIELDS = {
  suppressed: (): boolean => false,
  suppressionReason: (): null => null,
  roundedTo: (): number => 1,
};

/**
 * One hospital's clinical subgraph (docs/architecture.md §4): the clinical contract, resolved through the
 * facility's adapter. `Patient` entities arrive through federation `_entities` with their
 * `@requires`d match keys; each clinical field matches the person at this facility (one
 * `findPatients` per request) and loads their records (one `loadResources` per kind per request).
 */
export function createClinicalSubgraph(options: ClinicalSubgraphOptions): ClinicalSubgraph {
  const { facility } = options;
  if (parseFacilityCode(facility.code).kind !== 'valid') {
    throw new Error(`createClinicalSubgraph: facility code "${facility.code}" is not a MA_CSKCB code (5 digits, province first)`);
  }
  const match = options.match ?? {};
  checkMatchOptions(match);
  const adapter = guardAdapter(options.adapter, facility, options.logger.child({ facilityCode: facility.code }));
  const source: SourceRef = { facilityCode: facility.code, facilityName: facility.name, system: adapter.system };

  const resolvers = {
    Date: DateScalar,
    DateTime: DateTimeScalar,
    PartialDateTime: PartialDateTimeScalar,
    ...AS_RECORDED_RESOLVERS,
    Query: {
      diagnosisCounts: async (_root: unknown, args: Args): Promise<DiagnosisCount[]> => {
        const { facilityCodes, filter, first } = parseAnalyticsArguments(args);
        if (!isFacilityAsked(facilityCodes, facility.code)) return [];
        return rankDiagnosisCounts(await adapter.diagnosisCounts(filter), first);
      },
      encounterCount: async (_root: unknown, args: Args): Promise<number> => {
        const { facilityCodes, filter } = parseAnalyticsArguments(args);
        return isFacilityAsked(facilityCodes, facility.code) ? adapter.encounterCount(filter) : 0;
      },
      population: async (_root: unknown, args: Args): Promise<PopulationCell[]> => {
        const { facilityCodes, filter } = parseAnalyticsArguments({ facilityCodes: args.facilityCodes, from: args.from, to: args.to });
        const query = parsePopulationArguments(args, filter);
        if (!isFacilityAsked(facilityCodes, facility.code)) return [];
        if (!adapter.population) {
          throw new PatientGraphError('SOURCE_ERROR', `${facility.name} does not answer population questions yet`, { facilityCode: facility.code });
        }
        const key = options.analyticsKey;
        if (query.measure === 'PATIENTS' && key === undefined) {
          throw new PatientGraphError('SOURCE_ERROR', `${facility.name} has no network analytics key, so it cannot take part in distinct-patient counts`, { facilityCode: facility.code });
        }
        const rows = await adapter.population(query, (basis) => (key ? patientPseudonym(key, basis) : ''));
        return rows.map((row) => toPopulationCell(row, query.groupBy));
      },
      cohort: async (_root: unknown, args: Args): Promise<SourceCohortPage> => {
        const { facilityCodes, filter, first } = parseAnalyticsArguments({ facilityCodes: args.facilityCodes, from: args.from, to: args.to, first: args.first });
        const { from, to, icd10Prefixes, encounterClasses } = parsePopulationArguments({ ...args, measure: 'ENCOUNTERS', groupBy: [] }, filter);
        if (args.after !== undefined && args.after !== null && typeof args.after !== 'string') throw new PatientGraphError('BAD_USER_INPUT', '`after` is a place of this source');
        if (!isFacilityAsked(facilityCodes, facility.code)) return { rows: [], pageInfo: { endCursor: null, hasNextPage: false } };
        if (!adapter.cohort) {
          throw new PatientGraphError('SOURCE_ERROR', `${facility.name} does not answer cohort questions yet`, { facilityCode: facility.code });
        }
        const key = options.analyticsKey;
        // Without the network key a row could only name its person in clear: refused, like PATIENTS.
        if (key === undefined) {
          throw new PatientGraphError('SOURCE_ERROR', `${facility.name} has no network analytics key, so it cannot take part in cohort questions`, { facilityCode: facility.code });
        }
        const after = typeof args.after === 'string' ? args.after : null;
        const page = await adapter.cohort({ from, to, icd10Prefixes, encounterClasses }, (basis) => patientPseudonym(key, basis), after, first ?? DEFAULT_COHORT_PAGE);
        return { rows: page.rows, pageInfo: { endCursor: page.endPlace ?? after, hasNextPage: page.hasNextPage } };
      },
      patientChanges: async (_root: unknown, args: Args) => {
        if (!adapter.patientsChangedSince) {
          throw new PatientGraphError('SOURCE_ERROR', `${facility.name} does not publish patient changes yet`, { facilityCode: facility.code });
        }
        const first = args.first ?? 100;
        if (typeof first !== 'number' || !Number.isInteger(first) || first < 1 || first > MAX_CHANGES_PAGE) {
          throw new PatientGraphError('BAD_USER_INPUT', `"first" must be between 1 and ${MAX_CHANGES_PAGE}`);
        }
        const after = typeof args.after === 'string' ? PatientChangeCursorCodec.decode(args.after) : null;
        const page = await adapter.patientsChangedSince(String(args.changedSince), first, after);
        return {
          patients: page.patients,
          endCursor: page.end ? PatientChangeCursorCodec.encode(page.end) : null,
          hasNextPage: page.hasNextPage,
        };
      },
      clinicalSources: (_root: unknown, args: Args): SourceRef[] =>
        isFacilityAsked(parseAnalyticsArguments(args).facilityCodes, facility.code) ? [source] : [],
    },
    // A source reports true counts; disclosure control belongs to the gateway, after the merge
    // (`@disclose` in the contract), because only the network-wide count says whether a cell is small.
    DiagnosisCount: SOURCE_DISCLOSURE_FIELDS,
    PopulationCell: SOURCE_DISCLOSURE_FIELDS,
    Patient: {
      // Federation `_entities`: the representation is the key plus the @requires'd fields. Async on
      // purpose: @apollo/subgraph lets a synchronous throw fail the whole `_entities` list, while a
      // rejected promise fails only this entity (error path `_entities.<i>`).
      __resolveReference: async (representation: unknown): Promise<PatientReference> => toPatientReference(representation),
      encounters: clinicalField('encounters', source),
      conditions: clinicalField('conditions', source),
      observations: clinicalField('observations', source),
      medications: clinicalField('medications', source),
      procedures: clinicalField('procedures', source),
      allergies: clinicalField('allergies', source),
      sourceIdentifiers: sourceIdentifiersField(source),
      matchedRecords: matchedRecordsField,
      deceased: async (patient: PatientReference, _args: Args, context: ClinicalContext): Promise<DeceasedStatus[]> =>
        (await context.loaders.match.load(patientKeysOf(patient))).flatMap((record) => toDeceasedStatus(record, source)),
    },
  };

  return {
    schema: buildSubgraphSchema([{ typeDefs: loadContract('clinical').typeDefs, resolvers }]),
    createContext: () => Promise.resolve({ loaders: createClinicalLoaders(adapter, match) }),
  };
}

/** Resolver of one `Patient` list: matched records → their resources → contract items, newest first. */
function clinicalField<K extends ClinicalResourceKind>(kind: K, source: SourceRef) {
  return async (patient: PatientReference, args: Args, context: ClinicalContext): Promise<ClinicalItem<K>[]> => {
    // Only `encounters` declares the argument (clinical contract); elsewhere it is never set.
    const loader = args.includePossibleMatches === true ? context.loaders.matchWithPossible : context.loaders.match;
    const records = await loader.load(patientKeysOf(patient));
    const resources = context.loaders.resources[kind];
    const lists = await Promise.all(records.map((record) => resources.load(record.localId)));
    const withheld = patient.withheldCategories;
    const sensitive = withheld.length === 0
      ? new Set<string>()
      : sensitiveEncounterIds((await Promise.all(records.map((r) => context.loaders.resources.encounters.load(r.localId)))).flat(), withheld);
    const items = records.flatMap((record, i) =>
      withholdSensitive(kind, lists[i] ?? [], withheld, sensitive).map((resource) =>
        toClinicalItem<K>(resource, { source, match: patientMatchOf(record) }),
      ),
    );
    return sortNewestFirst(kind, items).map((item) => reportValueProblems(item, source.facilityCode));
  };
}

/** A record identifier as the contract serves it (`SourceIdentifier`): with provenance and match. */
interface SourceIdentifierItem extends RecordIdentifier {
  readonly source: SourceRef;
  readonly match: PatientMatch;
}

/**
 * `Patient.sourceIdentifiers`: the identifiers of every local record matched to the person, in the
 * matcher's order (strongest match first). Reads only the match loader: no resource is loaded.
 */
function sourceIdentifiersField(source: SourceRef) {
  return async (patient: PatientReference, _args: Args, context: ClinicalContext): Promise<SourceIdentifierItem[]> => {
    const records = await context.loaders.match.load(patientKeysOf(patient));
    return records.flatMap((record) => {
      const match = patientMatchOf(record);
      return record.identifiers.map((identifier) => ({ system: identifier.system, value: identifier.value, source, match }));
    });
  };
}

/** A matched record as `Patient.matchedRecords` serves it (contract `MatchedPatientRecord`). */
interface MatchedPatientRecordItem {
  readonly localId: string;
  readonly nationalId: string | null;
  readonly insuranceNumber: string | null;
  readonly fullName: string | null;
  readonly birthDate: string | null;
  readonly gender: string | null;
  readonly match: PatientMatch;
}

/**
 * `Patient.matchedRecords` (inaccessible): every local record the matcher gives the person, with
 * its demographics as the source holds them, so the patient index can link it from what the
 * source says (docs/identity.md §2). Reads only the match loader.
 */
async function matchedRecordsField(patient: PatientReference, _args: Args, context: ClinicalContext): Promise<MatchedPatientRecordItem[]> {
  const records = await context.loaders.match.load(patientKeysOf(patient));
  return records.map((record) => ({
    localId: record.localId,
    nationalId: record.held?.nationalId ?? null,
    insuranceNumber: record.held?.insuranceNumber ?? null,
    fullName: record.held?.fullName ?? null,
    birthDate: record.held?.birthDate ?? null,
    gender: record.held?.gender ?? null,
    match: patientMatchOf(record),
  }));
}
