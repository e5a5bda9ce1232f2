import { parse } from 'yaml';
import { DEFAULT_CODE_SYSTEM_ALIASES } from '../../../../adapters/fhir-r4/chooseCoding';
import { FHIR_R4_DEFAULTS } from '../../../../adapters/fhir-r4/FhirR4Config';
import { DEFAULT_IDENTIFIER_SYSTEMS } from '../../../../adapters/fhir-r4/identifierSystems';
import { parseFhirR4Config } from '../../../../adapters/fhir-r4/parseFhirR4Config';
import { ConfigError } from '../../../../core/config/ConfigError';
import { ConfigReader } from '../../../../core/config/ConfigReader';

/** Parses the `adapter:` section of a hospital YAML, as the CLI would. */
function parseAdapter(yaml: string): ReturnType<typeof parseFhirR4Config> {
  return parseFhirR4Config(ConfigReader.root(parse(yaml), 'hospital.yaml').object('adapter'));
}

function errorOf(yaml: string): string {
  try {
    parseAdapter(yaml);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseFhirR4Config', () => {
  it('reads a full section', () => {
    const config = parseAdapter(`
adapter:
  kind: fhir-r4
  baseUrl: https://fhir.example.vn/fhir/
  auth: { bearerToken: s3cret }
  timeoutMs: 5000
  pageSize: 50
  maxPages: 20
  maxResources: 2000
  maxUrlLength: 4000
  maxResponseBytes: 1048576
  birthDateSearch: batch
  countAtServer: false
  identifierSystems:
    nationalId: [urn:oid:vn:national-id, http://fhir.hl7.org.vn/core/sid/cccd]
    socialInsuranceNumber: http://fhir.hl7.org.vn/core/sid/bhyt
  codeSystems:
    icd10: http://fhir.hl7.org.vn/core/CodeSystem/icd-10-vn
`);
    expect(config).toEqual({
      baseUrl: 'https://fhir.example.vn/fhir',
      auth: { kind: 'bearer', token: 's3cret' },
      timeoutMs: 5000,
      pageSize: 50,
      maxPages: 20,
      maxResources: 2000,
      maxUrlLength: 4000,
      maxResponseBytes: 1048576,
      birthDateSearch: 'batch',
      countAtServer: false,
      identifierSystems: {
        nationalId: ['urn:oid:vn:national-id', 'http://fhir.hl7.org.vn/core/sid/cccd'],
        insuranceCard: DEFAULT_IDENTIFIER_SYSTEMS.insuranceCard,
        socialInsuranceNumber: ['http://fhir.hl7.org.vn/core/sid/bhyt'],
      },
      codeSystems: { icd10: [...DEFAULT_CODE_SYSTEM_ALIASES.icd10, 'http://fhir.hl7.org.vn/core/CodeSystem/icd-10-vn'], loinc: DEFAULT_CODE_SYSTEM_ALIASES.loinc },
    });
  });

  it('fills defaults and reads basic auth', () => {
    const config = parseAdapter('adapter: { kind: fhir-r4, baseUrl: "https://fhir.example.vn/fhir", auth: { username: his, password: pw } }');
    expect(config).toEqual({ ...FHIR_R4_DEFAULTS, baseUrl: 'https://fhir.example.vn/fhir', auth: { kind: 'basic', username: 'his', password: 'pw' } });
  });

  it('allows plain http to this machine only', () => {
    expect(parseAdapter('adapter: { kind: fhir-r4, baseUrl: "http://127.0.0.1:8080/fhir" }').baseUrl).toBe('http://127.0.0.1:8080/fhir');
    expect(errorOf('adapter: { kind: fhir-r4, baseUrl: "http://fhir.example.vn/fhir" }')).toBe(
      'hospital.yaml: adapter.baseUrl: expected an https:// URL: patient data must not travel unencrypted (set allowInsecureHttp: true to override)',
    );
    expect(parseAdapter('adapter: { kind: fhir-r4, baseUrl: "http://10.0.0.5/fhir", allowInsecureHttp: true }').baseUrl).toBe('http://10.0.0.5/fhir');
  });

  it.each([
    ['an unknown key', 'adapter: { kind: fhir-r4, baseUrl: "https://x.vn/fhir", pagesize: 10 }', /adapter\.pagesize: unknown key \(known: kind, baseUrl/],
    ['another adapter kind', 'adapter: { kind: sql-his, baseUrl: "https://x.vn/fhir" }', /adapter\.kind: expected one of fhir-r4, got a string/],
    ['a missing base URL', 'adapter: { kind: fhir-r4 }', /adapter\.baseUrl: expected a non-empty string, got nothing/],
    ['a base URL that is not a URL', 'adapter: { kind: fhir-r4, baseUrl: "fhir.example.vn" }', /adapter\.baseUrl: expected an absolute http\(s\) URL/],
    ['credentials in the URL', 'adapter: { kind: fhir-r4, baseUrl: "https://u:p@x.vn/fhir" }', /adapter\.baseUrl: expected a URL without credentials/],
    ['a query in the URL', 'adapter: { kind: fhir-r4, baseUrl: "https://x.vn/fhir?a=1" }', /adapter\.baseUrl: expected the FHIR base URL, without \?query/],
    ['both kinds of auth', 'adapter: { kind: fhir-r4, baseUrl: "https://x.vn/fhir", auth: { bearerToken: t, username: u, password: p } }', /adapter\.auth\.bearerToken: expected either bearerToken or username and password, not both/],
    ['empty auth', 'adapter: { kind: fhir-r4, baseUrl: "https://x.vn/fhir", auth: {} }', /adapter\.auth\.bearerToken: expected bearerToken, or username and password/],
    ['a user without password', 'adapter: { kind: fhir-r4, baseUrl: "https://x.vn/fhir", auth: { username: u } }', /adapter\.auth\.password: expected a non-empty string/],
    ['a page size over 1000', 'adapter: { kind: fhir-r4, baseUrl: "https://x.vn/fhir", pageSize: 5000 }', /adapter\.pageSize: expected at most 1000, got 5000/],
    ['an unknown birth date search', 'adapter: { kind: fhir-r4, baseUrl: "https://x.vn/fhir", birthDateSearch: each }', /adapter\.birthDateSearch: expected one of or, batch, off/],
    ['a system list with a number', 'adapter: { kind: fhir-r4, baseUrl: "https://x.vn/fhir", identifierSystems: { nationalId: [1] } }', /adapter\.identifierSystems\.nationalId: expected a system URI or a list of system URIs/],
    ['a system with a |', 'adapter: { kind: fhir-r4, baseUrl: "https://x.vn/fhir", identifierSystems: { nationalId: "a|b" } }', /a URI has no spaces, commas or \|/],
    ['an unknown identifier kind', 'adapter: { kind: fhir-r4, baseUrl: "https://x.vn/fhir", identifierSystems: { passport: x } }', /adapter\.identifierSystems\.passport: unknown key/],
  ])('rejects %s with a message naming the key', (_case, yaml, expected) => {
    const message = errorOf(yaml);
    expect(message).toMatch(expected);
    expect(message.startsWith('hospital.yaml: adapter.')).toBe(true);
  });
});
