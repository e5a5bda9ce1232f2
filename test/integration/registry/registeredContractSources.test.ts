import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { generateSigningSecret } from '../../../core/security/generateSigningSecret';
import { examplePatient } from '../../../demo/examplePatient';
import { FileSourceRecordStore } from '../../../gateway/registry/FileSourceRecordStore';
import { serveSubgraph, type RunningSubgraph } from '../../../subgraphs/serveSubgraph';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL } from '../../helpers/postGraphQL';
import { startRegistryTestNetwork, type Replica, type RegistryTestNetwork } from '../../helpers/startRegistryTestNetwork';
import { tokenFor } from '../../helpers/tokens';

/** Three radiology systems (synthetic), each its own facility code, all serving the `imaging` contract. */
const CODES = ['01091', '01092', '01093'] as const;
const NARROW_CODE = '01094';

const DIRECTIVES = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
directive @policy(policies: [[String!]!]!) on FIELD_DEFINITION | OBJECT | SCALAR | ENUM
directive @merge(strategy: String!, key: String, orderBy: String, direction: String, limitArg: String) on FIELD_DEFINITION
directive @sensitiveCode(path: String!) on FIELD_DEFINITION
`;

const IMAGING_SDL = `${DIRECTIVES}
type Query {
  "Studies per modality across every radiology source."
  imagingModalities: [ModalityCount!] @policy(policies: [["aggregate"]]) @merge(strategy: "SUM_BY_KEY", key: "modality", orderBy: "modality")
}

type ModalityCount @policy(policies: [["aggregate"]]) {
  modality: String!
  studies: Int!
}

type Patient @key(fields: "nationalId") {
  nationalId: ID!
  "Studies from every radiology source, newest first; items coded in a withheld category are dropped."
  imagingStudies: [ImagingStudy!] @policy(policies: [["clinical"]]) @merge(strategy: "CONCAT", orderBy: "performedAt", direction: "DESC") @sensitiveCode(path: "reasonCode")
  "Free-text findings: uncoded, so withheld whole from a patient who withholds a sensitive category."
  imagingFindings: [String!] @policy(policies: [["clinical"]]) @merge(strategy: "CONCAT")
}

type ImagingStudy @policy(policies: [["clinical"]]) {
  performedAt: String!
  modality: String!
  facilityCode: String!
  "ICD-10 code of the reason for the study."
  reasonCode: String
}
`;

/** Drops `imagingFindings`: does not satisfy the contract the first source brought. */
const NARROW_SDL = IMAGING_SDL.replace(/ {2}"Free-text findings[^\n]*\n {2}imagingFindings[^\n]*\n/, '');

interface Study {
  performedAt: string;
  modality: string;
  facilityCode: string;
  reasonCode: string | null;
}

/** What each source holds for the example patient (synthetic); 01092's first study is for depression (F32). */
function studiesAt(code: string): Study[] {
  switch (code) {
    case '01091':
      return [
        { performedAt: '2024-01-10T08:00:00+07:00', modality: 'CT', facilityCode: code, reasonCode: 'J18' },
        { performedAt: '2022-05-02T09:00:00+07:00', modality: 'XR', facilityCode: code, reasonCode: null },
      ];
    case '01092':
      return [
        { performedAt: '2023-03-15T10:00:00+07:00', modality: 'MR', facilityCode: code, reasonCode: 'F32.1' },
        { performedAt: '2021-11-20T14:00:00+07:00', modality: 'CT', facilityCode: code, reasonCode: 'S06' },
      ];
    default:
      return [{ performedAt: '2024-06-01T07:30:00+07:00', modality: 'US', facilityCode: code, reasonCode: null }];
  }
}

const STUDIES_QUERY = `query Studies($id: ID!) { patient(nationalId: $id) { nationalId imagingStudies { performedAt modality facilityCode reasonCode } } }`;
const FULL_QUERY = `query Full($id: ID!) { patient(nationalId: $id) { nationalId imagingStudies { performedAt facilityCode } imagingFindings } }`;
const REGISTER = `mutation Register($input: RegisterSourceInput!) { registerSource(input: $input) { code contract } }`;
const CONSENT = `mutation($id: ID!, $codes: [String!]!, $categories: [SensitiveCategory!]!) { setConsent(nationalId: $id, optedOutFacilityCodes: $codes, optedOutCategories: $categories) { optedOutFacilityCodes } }`;

interface PatientData {
  patient: { nationalId: string; imagingStudies: Study[] | null; imagingFindings?: string[] | null } | null;
}

/**
 * A contract brought by several sources (docs/registry.md §7), through the real gateway and three
 * real signed HTTP sources: entity fields fan out to every source and merge by the contract's
 * `@merge` rules, root fields too; a source down costs only its part; consent and sensitive
 * categories refuse the field only, never the patient.
 */
describe('a registered contract served by several sources', () => {
  const logs = captureLogger();
  const dir = mkdtempSync(join(tmpdir(), 'registry-sources-'));
  const env: NodeJS.ProcessEnv = Object.fromEntries([...CODES, NARROW_CODE].map((code) => [`SECRET_${code}`, generateSigningSecret()]));
  /** National IDs each source was asked about, per source: who the gateway sent where. */
  const asked = new Map<string, string[]>();
  let network: RegistryTestNetwork;
  let replica: Replica;
  let sources: RunningSubgraph[] = [];
  let narrow: RunningSubgraph;
  let patientId: string;
  let treating: string;
  const admin = (): Promise<string> => tokenFor('admin', { sub: 'admin-imaging-sources' });
  const own = (): Promise<string> => tokenFor('patient', { sub: patientId });
  const query = async <T = PatientData>(text: string, token: string) => postGraphQL<T>(replica.gateway.url, text, { id: patientId }, token);
  const setConsent = async (codes: string[], categories: string[] = []) => {
    const { body } = await postGraphQL(replica.gateway.url, CONSENT, { id: patientId, codes, categories }, await own());
    expect(body.errors).toBeUndefined();
  };

  const serveImaging = (code: string, sdl: string): Promise<RunningSubgraph> =>
    serveSubgraph({
      name: `imaging-${code}`,
      schema: buildSubgraphSchema({
        typeDefs: parse(sdl),
        resolvers: {
          Query: { imagingModalities: () => Object.entries(countBy(studiesAt(code).map((s) => s.modality))).map(([modality, studies]) => ({ modality, studies })) },
          Patient: {
            __resolveReference: (ref: { nationalId: string }) => {
              asked.set(code, [...(asked.get(code) ?? []), ref.nationalId]);
              return { nationalId: ref.nationalId };
            },
            imagingStudies: (patient: { nationalId: string }) => (patient.nationalId === patientId ? studiesAt(code) : []),
            imagingFindings: (patient: { nationalId: string }) => (patient.nationalId === patientId ? [`findings at ${code}`] : []),
          },
        },
      }),
      context: async () => ({}),
      logger: logs.logger,
      host: '127.0.0.1',
      signing: { secret: env[`SECRET_${code}`] ?? '', target: code },
    });

  beforeAll(async () => {
    network = await startRegistryTestNetwork(logs.logger);
    const person = examplePatient(network.population);
    patientId = person.nationalId;
    treating = await tokenFor('clinician', { facilityCode: person.records[0]?.facilityCode ?? '' });
    sources = await Promise.all(CODES.map((code) => serveImaging(code, IMAGING_SDL)));
    narrow = await serveImaging(NARROW_CODE, NARROW_SDL);
    replica = await network.startReplica({ store: new FileSourceRecordStore(join(dir, 'registry.json')), seed: [], env });
  }, 120_000);

  afterAll(async () => {
    await replica?.stop();
    for (const source of sources) await source.stop().catch(() => undefined);
    await narrow?.stop();
    await network?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers three sources of one contract (the later ones satisfy the first one’s SDL) and refuses one that drops a field of it', async () => {
    for (const [index, code] of CODES.entries()) {
      const { body } = await postGraphQL(
        replica.gateway.url,
        REGISTER,
        { input: { code, name: `Radiology ${index + 1}`, contract: 'imaging', url: sources[index]?.url, signingSecretRef: `env:SECRET_${code}` } },
        await admin(),
      );
      expect(body.errors).toBeUndefined();
    }
    const refused = await postGraphQL(
      replica.gateway.url,
      REGISTER,
      { input: { code: NARROW_CODE, name: 'Narrow RIS', contract: 'imaging', url: narrow.url, signingSecretRef: `env:SECRET_${NARROW_CODE}` } },
      await admin(),
    );
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('REGISTRATION_REFUSED');
    expect(refused.body.errors?.[0]?.extensions?.failedChecks).toEqual(['contract']);
    expect(refused.body.errors?.[0]?.message).toContain("contract: Field 'imagingFindings' was removed from object type 'Patient'");
    expect(replica.registry.find(NARROW_CODE)).toBeUndefined();
    expect(replica.registry.registeredContracts().map((c) => [c.name, c.sources.map((s) => s.code)])).toEqual([['imaging', [...CODES]]]);
  });

  it('fans a patient’s fields out to every source and merges them by the contract’s @merge rule (newest first across sources)', async () => {
    asked.clear();
    const { body } = await query(STUDIES_QUERY, treating);
    expect(body.errors).toBeUndefined();
    const expected = CODES.flatMap(studiesAt).sort((a, b) => Date.parse(b.performedAt) - Date.parse(a.performedAt));
    expect(body.data?.patient).toEqual({ nationalId: patientId, imagingStudies: expected });
    expect(body.data?.patient?.imagingStudies?.map((s) => s.facilityCode)).toEqual(['01093', '01091', '01092', '01091', '01092']);
    for (const code of CODES) expect(asked.get(code)).toEqual([patientId]);
  });

  it('merges a root field of the contract across its sources (SUM_BY_KEY, ordered by its key)', async () => {
    const { body } = await postGraphQL<{ imagingModalities: { modality: string; studies: number }[] }>(
      replica.gateway.url,
      '{ imagingModalities { modality studies } }',
      {},
      await tokenFor('analyst'),
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.imagingModalities).toEqual([
      { modality: 'CT', studies: 2 },
      { modality: 'MR', studies: 1 },
      { modality: 'US', studies: 1 },
      { modality: 'XR', studies: 1 },
    ]);
  });

  it('does not ask a source the patient’s consent withholds: its items are missing, with CONSENT_DENIED on the field; withholding all refuses the field only', async () => {
    await setConsent(['01092']);
    try {
      asked.clear();
      const partial = await query(STUDIES_QUERY, treating);
      expect(partial.body.data?.patient?.imagingStudies?.map((s) => s.facilityCode)).toEqual(['01093', '01091', '01091']);
      expect(partial.body.errors).toEqual([expect.objectContaining({ path: ['patient', 'imagingStudies'], extensions: expect.objectContaining({ code: 'CONSENT_DENIED', facilityCode: '01092' }) })]);
      expect(asked.get('01092')).toBeUndefined();
      await setConsent([...CODES]);
      asked.clear();
      const none = await query(STUDIES_QUERY, treating);
      expect(none.body.data?.patient).toEqual({ nationalId: patientId, imagingStudies: null });
      expect(none.body.errors?.map((e) => [e.extensions?.code, e.extensions?.facilityCode, e.path])).toEqual(CODES.map((code) => ['CONSENT_DENIED', code, ['patient', 'imagingStudies']]));
      expect(asked.size).toBe(0);
      const ownRead = await query(STUDIES_QUERY, await own());
      expect(ownRead.body.errors).toBeUndefined();
      expect(ownRead.body.data?.patient?.imagingStudies).toHaveLength(5);
    } finally {
      await setConsent([]);
    }
  });

  it('drops the items of a withheld sensitive category and withholds an uncoded field, for everyone but the patient', async () => {
    await setConsent([], ['MENTAL_HEALTH']);
    try {
      const { body } = await query(FULL_QUERY, treating);
      expect(body.data?.patient?.imagingStudies?.map((s) => s.performedAt)).toEqual(['2024-06-01T07:30:00+07:00', '2024-01-10T08:00:00+07:00', '2022-05-02T09:00:00+07:00', '2021-11-20T14:00:00+07:00']);
      expect(body.data?.patient?.imagingFindings).toBeNull();
      expect(body.errors).toEqual([expect.objectContaining({ path: ['patient', 'imagingFindings'], extensions: expect.objectContaining({ code: 'CONSENT_DENIED', categories: ['MENTAL_HEALTH'] }) })]);
      const ownRead = await query(FULL_QUERY, await own());
      expect(ownRead.body.errors).toBeUndefined();
      expect(ownRead.body.data?.patient?.imagingStudies).toHaveLength(5);
      expect(ownRead.body.data?.patient?.imagingFindings).toEqual(CODES.map((code) => `findings at ${code}`));
    } finally {
      await setConsent([]);
    }
  });

  it('answers the other sources’ data with SOURCE_UNAVAILABLE for a source that is down', async () => {
    await sources[2]?.stop();
    const { body } = await query(STUDIES_QUERY, treating);
    expect(body.data?.patient?.imagingStudies?.map((s) => s.facilityCode)).toEqual(['01091', '01092', '01091', '01092']);
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]?.extensions?.code).toBe('SOURCE_UNAVAILABLE');
    expect(body.errors?.[0]?.extensions?.source).toBe('01093');
  });
});

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
