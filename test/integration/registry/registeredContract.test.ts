import { randomUUID } from 'node:crypto';
import { buildSubgraphSchema } from '@apollo/subgraph';
import Redis from 'ioredis';
import { parse } from 'graphql';
import { generateSigningSecret } from '../../../core/security/generateSigningSecret';
import { examplePatient } from '../../../demo/examplePatient';
import { RedisSourceRecordStore } from '../../../gateway/registry/RedisSourceRecordStore';
import { serveSubgraph, type RunningSubgraph } from '../../../subgraphs/serveSubgraph';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL } from '../../helpers/postGraphQL';
import { startRegistryTestNetwork, type Replica, type RegistryTestNetwork } from '../../helpers/startRegistryTestNetwork';
import { tokenFor } from '../../helpers/tokens';

const REDIS_URL = 'redis://127.0.0.1:6379';
const IMAGING_CODE = '01098';
const CONFLICTING_CODE = '01097';

/** A radiology system's own contract: imaging studies per patient (synthetic). */
const IMAGING_SDL = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
directive @policy(policies: [[String!]!]!) on FIELD_DEFINITION | OBJECT | SCALAR | ENUM
directive @merge(strategy: String!, key: String, orderBy: String, direction: String, limitArg: String) on FIELD_DEFINITION

type Patient @key(fields: "nationalId") {
  nationalId: ID!
  "Studies performed on the patient, newest first."
  imagingStudies: [ImagingStudy!] @policy(policies: [["clinical"]]) @merge(strategy: "CONCAT")
  "Free text the contract forgot to protect: no field group, so nobody may read it."
  imagingNotes: [String!] @merge(strategy: "CONCAT")
}

type ImagingStudy @policy(policies: [["clinical"]]) {
  modality: String!
  bodySite: String!
}
`;

/** Composes on its own but not with the network: identity already owns a non-shareable Patient.gender. */
const CONFLICTING_SDL = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
directive @policy(policies: [[String!]!]!) on FIELD_DEFINITION | OBJECT | SCALAR | ENUM
directive @merge(strategy: String!) on FIELD_DEFINITION

type Patient @key(fields: "nationalId") {
  nationalId: ID!
  gender: Int @policy(policies: [["demographic"]]) @merge(strategy: "SUM")
}
`;

/** Serves well on its own, but a non-null Patient field and one without a merge rule cannot be served by the network. */
const STRICT_SDL = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
directive @policy(policies: [[String!]!]!) on FIELD_DEFINITION | OBJECT | SCALAR | ENUM
directive @merge(strategy: String!) on FIELD_DEFINITION

type Patient @key(fields: "nationalId") {
  nationalId: ID!
  scans: [String!]! @policy(policies: [["clinical"]]) @merge(strategy: "CONCAT")
  scanCount: Int @policy(policies: [["clinical"]])
}
`;

const IMAGING_QUERY = `query Studies($id: ID!) { patient(nationalId: $id) { nationalId imagingStudies { modality bodySite } } }`;
const REGISTER = `mutation Register($input: RegisterSourceInput!) { registerSource(input: $input) { code contract routed } }`;

interface StudiesData {
  patient: { nationalId: string; imagingStudies: { modality: string; bodySite: string }[] } | null;
}

async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, attempts = 200): Promise<T> {
  let last = await probe();
  for (let i = 0; i < attempts && !done(last); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await probe();
  }
  return last;
}

async function serveContract(name: string, sdl: string, secret: string, code: string, logger: ReturnType<typeof captureLogger>['logger']): Promise<RunningSubgraph> {
  const resolvers = {
    Patient: {
      __resolveReference: (ref: { nationalId: string }) => ({ nationalId: ref.nationalId }),
      imagingStudies: () => [{ modality: 'CT', bodySite: 'chest' }],
      imagingNotes: () => ['synthetic note'],
      gender: () => 1,
      scans: () => [],
      scanCount: () => 0,
    },
  };
  return serveSubgraph({
    name,
    schema: buildSubgraphSchema({ typeDefs: parse(sdl), resolvers }),
    context: async () => ({}),
    logger,
    host: '127.0.0.1',
    signing: { secret, target: code },
  });
}

/**
 * A source that brings a contract the gateway does not ship (docs/registry.md §7): registered
 * through replica A, it is composed into the supergraph of both replicas (real Redis) without a
 * restart; a contract that does not compose is refused with the composition errors and the
 * running supergraph keeps answering; fields the contract leaves without a field group are denied.
 */
describe('a registered source bringing a new contract', () => {
  const logs = captureLogger();
  const prefix = `registry-contract-test:${process.pid}:${randomUUID()}:`;
  const env: NodeJS.ProcessEnv = { SECRET_IMAGING: generateSigningSecret(), SECRET_CONFLICTING: generateSigningSecret() };
  let network: RegistryTestNetwork;
  let replicaA: Replica;
  let replicaB: Replica;
  let imaging: RunningSubgraph;
  let conflicting: RunningSubgraph;
  let strict: RunningSubgraph;
  let patientId: string;
  const admin = (): Promise<string> => tokenFor('admin', { sub: 'admin-imaging' });
  const store = (): Promise<RedisSourceRecordStore> => RedisSourceRecordStore.connect({ url: REDIS_URL, keyPrefix: prefix, logger: logs.logger });
  const seed = (): ReturnType<RegistryTestNetwork['sourceOf']>[] => network.hospitals.map((h) => network.sourceOf(h.facility.code));
  const studies = async (replica: Replica) => postGraphQL<StudiesData>(replica.gateway.url, IMAGING_QUERY, { id: patientId }, await tokenFor('patient', { sub: patientId }));

  beforeAll(async () => {
    network = await startRegistryTestNetwork(logs.logger);
    patientId = examplePatient(network.population).nationalId;
    imaging = await serveContract('imaging', IMAGING_SDL, env.SECRET_IMAGING ?? '', IMAGING_CODE, logs.logger);
    conflicting = await serveContract('radiology', CONFLICTING_SDL, env.SECRET_CONFLICTING ?? '', CONFLICTING_CODE, logs.logger);
    strict = await serveContract('scans', STRICT_SDL, env.SECRET_CONFLICTING ?? '', CONFLICTING_CODE, logs.logger);
    replicaA = await network.startReplica({ store: await store(), seed: seed(), env });
    replicaB = await network.startReplica({ store: await store(), seed: seed(), env });
  }, 120_000);

  afterAll(async () => {
    await replicaA?.stop();
    await replicaB?.stop();
    await imaging?.stop();
    await conflicting?.stop();
    await strict?.stop();
    await network?.stop();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('does not know the new fields before the source registers', async () => {
    const { body } = await studies(replicaB);
    expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('registers through replica A and answers the new contract’s fields through replica B without a restart', async () => {
    const { body } = await postGraphQL<{ registerSource: { code: string; contract: string; routed: boolean } }>(
      replicaA.gateway.url,
      REGISTER,
      { input: { code: IMAGING_CODE, name: 'Radiology PACS', contract: 'imaging', url: imaging.url, signingSecretRef: 'env:SECRET_IMAGING' } },
      await admin(),
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.registerSource).toEqual({ code: IMAGING_CODE, contract: 'imaging', routed: false });
    const answer = await eventually(() => studies(replicaB), (r) => r.body.data?.patient?.imagingStudies !== undefined);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data?.patient).toEqual({ nationalId: patientId, imagingStudies: [{ modality: 'CT', bodySite: 'chest' }] });
    expect(replicaB.gateway.supergraphSdl).toContain('imaging');
    const fromA = await studies(replicaA);
    expect(fromA.body.data?.patient?.imagingStudies).toEqual([{ modality: 'CT', bodySite: 'chest' }]);
    const health = await postGraphQL<{ sources: { code: string; health: { status: string; circuit: string } | null }[] }>(replicaA.gateway.url, '{ sources { code health { status circuit } } }', {}, await admin());
    expect(health.body.data?.sources.find((s) => s.code === IMAGING_CODE)?.health).toEqual({ status: 'UP', circuit: 'CLOSED' });
  });

  it('denies to every role a field the contract leaves without a field group of the access model', async () => {
    const query = `query Notes($id: ID!) { patient(nationalId: $id) { imagingNotes } }`;
    for (const token of [await tokenFor('patient', { sub: patientId }), await admin(), await tokenFor('auditor')]) {
      const { status, body } = await postGraphQL(replicaB.gateway.url, query, { id: patientId }, token);
      expect(status).toBe(403);
      expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(body.errors?.[0]?.extensions?.fields).toContain('Patient.imagingNotes');
    }
  });

  it('applies the access model’s rules for the field groups the contract declares (care relationship for `clinical`)', async () => {
    const person = examplePatient(network.population);
    const treating = person.records[0]?.facilityCode ?? '';
    const stranger = network.population.facilities.find((f) => !person.records.some((r) => r.facilityCode === f.code))?.code ?? '';
    const lookup = `query Lookup($id: ID!) { patient(nationalId: $id) { nationalId } }`;
    const outside = await tokenFor('clinician', { facilityCode: stranger });
    expect((await postGraphQL(replicaB.gateway.url, lookup, { id: patientId }, outside)).body.errors).toBeUndefined();
    const refused = await postGraphQL(replicaB.gateway.url, IMAGING_QUERY, { id: patientId }, outside);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const allowed = await postGraphQL<StudiesData>(replicaB.gateway.url, IMAGING_QUERY, { id: patientId }, await tokenFor('clinician', { facilityCode: treating }));
    expect(allowed.body.errors).toBeUndefined();
    expect(allowed.body.data?.patient?.imagingStudies).toEqual([{ modality: 'CT', bodySite: 'chest' }]);
  });

  it('does not ask the source about a patient whose consent withholds its facility (CONSENT_DENIED), except for the patient themselves', async () => {
    const person = examplePatient(network.population);
    const treating = await tokenFor('clinician', { facilityCode: person.records[0]?.facilityCode ?? '' });
    const own = await tokenFor('patient', { sub: patientId });
    const setConsent = (codes: string[]) =>
      postGraphQL(replicaB.gateway.url, `mutation($id: ID!, $codes: [String!]!) { setConsent(nationalId: $id, optedOutFacilityCodes: $codes, optedOutCategories: []) { optedOutFacilityCodes } }`, { id: patientId, codes }, own);
    expect((await setConsent([IMAGING_CODE])).body.errors).toBeUndefined();
    try {
      const withheld = await postGraphQL<StudiesData>(replicaB.gateway.url, IMAGING_QUERY, { id: patientId }, treating);
      const denied = withheld.body.errors?.find((e) => e.extensions?.code === 'CONSENT_DENIED');
      expect(denied?.extensions?.facilityCode).toBe(IMAGING_CODE);
      // The field only: the patient stays (the field is nullable), the error names its path.
      expect(denied?.path).toEqual(['patient', 'imagingStudies']);
      expect(withheld.body.data?.patient).toEqual({ nationalId: patientId, imagingStudies: null });
      const ownRead = await studies(replicaB);
      expect(ownRead.body.data?.patient?.imagingStudies).toEqual([{ modality: 'CT', bodySite: 'chest' }]);
    } finally {
      await setConsent([]);
    }
  });

  it('refuses a contract that does not compose, quoting the composition error, and keeps the running supergraph', async () => {
    const before = replicaA.gateway.supergraphSdl;
    const { body } = await postGraphQL(
      replicaA.gateway.url,
      REGISTER,
      { input: { code: CONFLICTING_CODE, name: 'Conflicting RIS', contract: 'radiology', url: conflicting.url, signingSecretRef: 'env:SECRET_CONFLICTING' } },
      await admin(),
    );
    expect(body.errors?.[0]?.extensions?.code).toBe('REGISTRATION_REFUSED');
    expect(body.errors?.[0]?.extensions?.failedChecks).toEqual(['contract']);
    expect(body.errors?.[0]?.message).toContain('composition: Non-shareable field "Patient.gender" is resolved from multiple subgraphs');
    expect(replicaA.registry.find(CONFLICTING_CODE)).toBeUndefined();
    expect(replicaA.gateway.supergraphSdl).toBe(before);
    const still = await studies(replicaA);
    expect(still.body.data?.patient?.imagingStudies).toEqual([{ modality: 'CT', bodySite: 'chest' }]);
  });

  it('refuses a contract whose Patient fields are non-null, or lack a @merge rule, naming each field (a withheld patient would lose the whole patient)', async () => {
    const { body } = await postGraphQL(
      replicaA.gateway.url,
      REGISTER,
      { input: { code: CONFLICTING_CODE, name: 'Strict RIS', contract: 'scans', url: strict.url, signingSecretRef: 'env:SECRET_CONFLICTING' } },
      await admin(),
    );
    expect(body.errors?.[0]?.extensions?.code).toBe('REGISTRATION_REFUSED');
    expect(body.errors?.[0]?.extensions?.failedChecks).toEqual(['contract']);
    expect(body.errors?.[0]?.message).toContain('Patient.scans is non-null; a registered contract\'s Patient fields must be nullable');
    expect(body.errors?.[0]?.message).toContain('Patient.scanCount has no @merge rule');
    expect(replicaA.registry.find(CONFLICTING_CODE)).toBeUndefined();
  });

  it('composes every registered contract before a restarted replica reports ready', async () => {
    await replicaB.stop();
    replicaB = await network.startReplica({ store: await store(), seed: seed(), env });
    expect((await fetch(new URL('/readyz', replicaB.gateway.url))).status).toBe(200);
    const { body } = await studies(replicaB);
    expect(body.errors).toBeUndefined();
    expect(body.data?.patient?.imagingStudies).toEqual([{ modality: 'CT', bodySite: 'chest' }]);
  }, 60_000);

  it('leaves out a stored contract that does not compose (two registrations at once), says why in `sources`, and keeps serving the rest', async () => {
    // What a second replica's registration, racing the first, could leave in the store.
    const writer = await store();
    try {
      await writer.create({
        code: CONFLICTING_CODE,
        name: 'Racing RIS',
        contract: 'radiology',
        contractSdl: CONFLICTING_SDL,
        url: conflicting.url,
        signingSecretRef: 'env:SECRET_CONFLICTING',
        limits: { deadlineMs: 5000, concurrency: 4 },
        status: 'active',
        registeredBy: 'admin-racing',
        registeredAt: new Date().toISOString(),
      });
    } finally {
      await writer.close();
    }
    const listed = await eventually(
      async () => (await postGraphQL<{ sources: { code: string; problem: string | null }[] }>(replicaB.gateway.url, '{ sources { code problem } }', {}, await admin())).body.data?.sources ?? [],
      (sources) => sources.some((s) => s.code === CONFLICTING_CODE && s.problem !== null),
    );
    expect(listed.find((s) => s.code === CONFLICTING_CODE)?.problem).toContain('Non-shareable field "Patient.gender"');
    const { body } = await studies(replicaB);
    expect(body.data?.patient?.imagingStudies).toEqual([{ modality: 'CT', bodySite: 'chest' }]);
    expect(replicaB.gateway.supergraphSdl).not.toContain('radiology');
    await postGraphQL(replicaA.gateway.url, `mutation { removeSource(code: "${CONFLICTING_CODE}") { code } }`, {}, await admin());
  });

  it('takes the fields out of the supergraph of every replica when the source is removed', async () => {
    const removed = await postGraphQL(replicaA.gateway.url, `mutation { removeSource(code: "${IMAGING_CODE}") { code } }`, {}, await admin());
    expect(removed.body.errors).toBeUndefined();
    const answer = await eventually(() => studies(replicaB), (r) => r.body.errors?.[0]?.extensions?.code === 'GRAPHQL_VALIDATION_FAILED');
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});
