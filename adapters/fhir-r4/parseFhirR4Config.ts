import { ConfigError } from '../../core/config/ConfigError';
import type { ConfigReader } from '../../core/config/ConfigReader';
import { DEFAULT_CODE_SYSTEM_ALIASES, type CodeSystemAliases } from './chooseCoding';
import { BIRTH_DATE_SEARCHES, FHIR_R4_DEFAULTS, type FhirAuth, type FhirR4Config } from './FhirR4Config';
import { DEFAULT_IDENTIFIER_SYSTEMS, type IdentifierSystems } from './identifierSystems';

const KEYS = [
  'kind', 'baseUrl', 'auth', 'timeoutMs', 'pageSize', 'maxPages', 'maxResources', 'maxUrlLength', 'maxResponseBytes',
  'birthDateSearch', 'countAtServer', 'identifierSystems', 'codeSystems', 'allowInsecureHttp',
] as const;

/**
 * Reads the `adapter:` section of a fhir-r4 hospital YAML, e.g.
 *
 * ```yaml
 * adapter:
 *   kind: fhir-r4
 *   baseUrl: https://fhir.example.vn/fhir
 *   auth: { bearerToken: … }          # or { username: …, password: … }
 *   timeoutMs: 10000
 *   pageSize: 100
 *   maxPages: 50
 *   birthDateSearch: or               # or batch (Medplum), off
 *   countAtServer: true               # false: population questions page Encounters instead
 *   identifierSystems:                # a URI or a list of URIs each
 *     nationalId: [urn:oid:vn:national-id, http://fhir.hl7.org.vn/core/sid/cccd]
 *     socialInsuranceNumber: urn:oid:vn:bhxh-code
 * ```
 *
 * Unknown keys are rejected. Health data travels only over https, except to this machine
 * (127.0.0.1, ::1, localhost) or where `allowInsecureHttp: true` says so explicitly.
 */
export function parseFhirR4Config(adapter: ConfigReader): FhirR4Config {
  adapter.rejectUnknownKeys(KEYS);
  adapter.oneOf('kind', ['fhir-r4']);
  const d = FHIR_R4_DEFAULTS;
  return {
    baseUrl: baseUrlOf(adapter, adapter.boolean('allowInsecureHttp', false)),
    auth: authOf(adapter.optionalObject('auth')),
    timeoutMs: adapter.integer('timeoutMs', { min: 100, max: 300_000, default: d.timeoutMs }),
    pageSize: adapter.integer('pageSize', { min: 1, max: 1000, default: d.pageSize }),
    maxPages: adapter.integer('maxPages', { min: 1, max: 10_000, default: d.maxPages }),
    maxResources: adapter.integer('maxResources', { min: 1, max: 1_000_000, default: d.maxResources }),
    maxUrlLength: adapter.integer('maxUrlLength', { min: 512, max: 1_000_000, default: d.maxUrlLength }),
    maxResponseBytes: adapter.integer('maxResponseBytes', { min: 1024, max: 1024 * 1024 * 1024, default: d.maxResponseBytes }),
    birthDateSearch: adapter.oneOf('birthDateSearch', BIRTH_DATE_SEARCHES, d.birthDateSearch),
    countAtServer: adapter.boolean('countAtServer', d.countAtServer),
    identifierSystems: identifierSystemsOf(adapter.optionalObject('identifierSystems')),
    codeSystems: codeSystemsOf(adapter.optionalObject('codeSystems')),
  };
}

function baseUrlOf(adapter: ConfigReader, allowInsecureHttp: boolean): string {
  const text = adapter.string('baseUrl');
  const fail = (expectation: string): never => failAt(adapter, 'baseUrl', expectation);
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    fail('expected an absolute http(s) URL, e.g. https://fhir.example.vn/fhir');
  }
  if (!url) return fail('expected an absolute http(s) URL');
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail('expected an https:// URL');
  if (url.username !== '' || url.password !== '') fail('expected a URL without credentials (put them under adapter.auth)');
  if (url.search !== '' || url.hash !== '') fail('expected the FHIR base URL, without ?query or #fragment');
  const loopback = ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
  if (url.protocol === 'http:' && !loopback && !allowInsecureHttp) {
    fail('expected an https:// URL: patient data must not travel unencrypted (set allowInsecureHttp: true to override)');
  }
  return url.href.replace(/\/+$/, '');
}

function authOf(auth: ConfigReader | undefined): FhirAuth {
  if (auth === undefined) return { kind: 'none' };
  auth.rejectUnknownKeys(['bearerToken', 'username', 'password']);
  const hasToken = auth.has('bearerToken');
  const hasUser = auth.has('username') || auth.has('password');
  if (hasToken && hasUser) {
    failAt(auth, 'bearerToken', 'expected either bearerToken or username and password, not both');
  }
  if (hasToken) return { kind: 'bearer', token: auth.string('bearerToken') };
  if (hasUser) return { kind: 'basic', username: auth.string('username'), password: auth.string('password') };
  return failAt(auth, 'bearerToken', 'expected bearerToken, or username and password');
}

function identifierSystemsOf(section: ConfigReader | undefined): IdentifierSystems {
  if (section === undefined) return DEFAULT_IDENTIFIER_SYSTEMS;
  section.rejectUnknownKeys(['nationalId', 'insuranceCard', 'socialInsuranceNumber']);
  return {
    nationalId: systemsOf(section, 'nationalId', DEFAULT_IDENTIFIER_SYSTEMS.nationalId),
    insuranceCard: systemsOf(section, 'insuranceCard', DEFAULT_IDENTIFIER_SYSTEMS.insuranceCard),
    socialInsuranceNumber: systemsOf(section, 'socialInsuranceNumber', DEFAULT_IDENTIFIER_SYSTEMS.socialInsuranceNumber),
  };
}

function codeSystemsOf(section: ConfigReader | undefined): CodeSystemAliases {
  if (section === undefined) return DEFAULT_CODE_SYSTEM_ALIASES;
  section.rejectUnknownKeys(['icd10', 'loinc']);
  // Configured aliases add to the canonical URIs, which always count.
  return {
    icd10: [...new Set([...DEFAULT_CODE_SYSTEM_ALIASES.icd10, ...systemsOf(section, 'icd10', [])])],
    loinc: [...new Set([...DEFAULT_CODE_SYSTEM_ALIASES.loinc, ...systemsOf(section, 'loinc', [])])],
  };
}

/** A system URI or a non-empty list of them. */
function systemsOf(section: ConfigReader, key: string, defaults: readonly string[]): readonly string[] {
  if (!section.has(key)) return defaults;
  const expectation = 'expected a system URI or a list of system URIs (e.g. urn:oid:vn:national-id)';
  let systems: string[];
  try {
    systems = [section.string(key)];
  } catch (stringError) {
    if (!(stringError instanceof ConfigError)) throw stringError;
    try {
      systems = section.stringList(key);
    } catch (listError) {
      if (!(listError instanceof ConfigError)) throw listError;
      return failAt(section, key, expectation);
    }
  }
  if (systems.length === 0 || systems.some((system) => !/^[^\s|,]+$/.test(system))) {
    failAt(section, key, `${expectation}; a URI has no spaces, commas or |`);
  }
  return systems;
}

/**
 * Fails at `section.key` the way ConfigReader's own accessors do (with the file name, which the
 * reader keeps private: it is taken from the error the reader raises for a key that cannot exist).
 */
function failAt(section: ConfigReader, key: string, expectation: string): never {
  let file: string | undefined;
  try {
    section.object('\u0000');
  } catch (error) {
    if (error instanceof ConfigError) file = error.file;
  }
  throw new ConfigError(section.path ? `${section.path}.${key}` : key, expectation, file);
}
