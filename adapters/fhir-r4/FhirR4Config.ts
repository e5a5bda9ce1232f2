import { DEFAULT_CODE_SYSTEM_ALIASES, type CodeSystemAliases } from './chooseCoding';
import { DEFAULT_IDENTIFIER_SYSTEMS, type IdentifierSystems } from './identifierSystems';

/** How the adapter authenticates to the FHIR server. */
export type FhirAuth =
  | { readonly kind: 'none' }
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'basic'; readonly username: string; readonly password: string };

/**
 * How demographic candidates are searched (`Patient?birthdate=`):
 * - `or`: one search, the dates comma-separated (FHIR multipleOr, search.html#combining) — HAPI FHIR;
 * - `batch`: one FHIR batch request (http.html#transaction) holding one search per date, for servers
 *   that reject an OR-list of dates (Medplum 4.5.2 answers 400): one round trip, one entry per date;
 * - `off`: no demographic candidates (records without national ID or BHXH code are not found).
 */
export type BirthDateSearch = 'or' | 'batch' | 'off';

export const BIRTH_DATE_SEARCHES: readonly BirthDateSearch[] = ['or', 'batch', 'off'];

/** The `adapter:` section of a fhir-r4 hospital, validated (see parseFhirR4Config). */
export interface FhirR4Config {
  /** FHIR R4 base URL, without a trailing slash. */
  readonly baseUrl: string;
  readonly auth: FhirAuth;
  /** Deadline of one HTTP request (each page of a search is one). */
  readonly timeoutMs: number;
  /** `_count` of every search. */
  readonly pageSize: number;
  /** Most pages one search may take (following `Bundle.link[next]`) before it fails. */
  readonly maxPages: number;
  /** Most resources one search may return before it fails. */
  readonly maxResources: number;
  /** Longest search URL; longer OR-lists are split over several searches. */
  readonly maxUrlLength: number;
  /** Largest answer (one page) read before it is refused. */
  readonly maxResponseBytes: number;
  readonly birthDateSearch: BirthDateSearch;
  /**
   * Population questions whose cells a search fixes (encounters by month, class, facility; see
   * README.md) counted at the server with `_summary=count` per cell: needs the `sa`/`lt` date
   * prefixes and `status:not`. False: every question pages Encounters and counts here.
   */
  readonly countAtServer: boolean;
  readonly identifierSystems: IdentifierSystems;
  readonly codeSystems: CodeSystemAliases;
}

/** Defaults: what most FHIR servers accept (8 KB request line; `_count` up to 1000). */
export const FHIR_R4_DEFAULTS: Omit<FhirR4Config, 'baseUrl'> = {
  auth: { kind: 'none' },
  timeoutMs: 10_000,
  pageSize: 100,
  maxPages: 50,
  maxResources: 10_000,
  maxUrlLength: 8_000,
  maxResponseBytes: 64 * 1024 * 1024,
  birthDateSearch: 'or',
  countAtServer: true,
  identifierSystems: DEFAULT_IDENTIFIER_SYSTEMS,
  codeSystems: DEFAULT_CODE_SYSTEM_ALIASES,
};

/** A config from code (demo, tests): the defaults, a base URL and any overrides. */
export function fhirR4Config(baseUrl: string, overrides: Partial<Omit<FhirR4Config, 'baseUrl'>> = {}): FhirR4Config {
  return { ...FHIR_R4_DEFAULTS, ...overrides, baseUrl: baseUrl.replace(/\/+$/, '') };
}
