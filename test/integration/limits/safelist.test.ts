import { buildPersistedQueryManifest } from '../../../gateway/limits/buildPersistedQueryManifest';
import { DEFAULT_OPERATION_LIMITS } from '../../../gateway/limits/OperationLimits';
import { documentLimitsStep } from '../../../gateway/pipeline/documentLimitsStep';
import { OperationSafelist } from '../../../gateway/limits/OperationSafelist';
import { patientGraphCostModel } from '../../../gateway/limits/patientGraphCostModel';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import { startDemoNetwork } from '../../../demo/startDemoNetwork';
import type { SafelistMode } from '../../../gateway/limits/admitToSafelist';
import { captureLogger } from '../../helpers/captureLogger';
import { sha256Hex } from '../../../core/crypto/sha256Hex';
import { requestPipelineWith, send, startLimitsTestServer, SYNTHETIC_NATIONAL_ID, type ClientResponse, type LimitsTestServer } from './startLimitsTestServer';

const manifest = buildPersistedQueryManifest([
  {
    path: 'clinicalApp.graphql',
    text: `query PatientName($id: ID!) { patient(nationalId: $id) { ...Name } }
           fragment Name on Patient { name { full } }
           query EncounterCount { encounterCount }`,
  },
]);
const safelist = OperationSafelist.fromManifest(manifest);
const registered = (name: string): { id: string; body: string } => {
  const operation = manifest.operations.find((o) => o.name === name);
  if (!operation) throw new Error(`no operation ${name} in the test manifest`);
  return operation;
};
const PATIENT_NAME = registered('PatientName');
const ENCOUNTER_COUNT = registered('EncounterCount');
const VARIABLES = { id: SYNTHETIC_NATIONAL_ID };
const UNREGISTERED = '{ patients(first: 100) { edges { node { nationalId name { full } } } } }';
const apq = (sha256Hash: string): Record<string, unknown> => ({ extensions: { persistedQuery: { version: 1, sha256Hash } } });

function expectNotAllowed(response: ClientResponse, operationId?: string): void {
  expect(response.status).toBe(403);
  expect(response.body.data).toBeUndefined();
  expect(response.body.errors?.[0]?.extensions).toEqual({ code: 'OPERATION_NOT_ALLOWED', ...(operationId ? { operationId } : {}) });
}

function expectPatientName(response: ClientResponse): void {
  expect(response.status).toBe(200);
  expect(response.body.errors).toBeUndefined();
  expect(response.body.data).toEqual({ patient: { name: { full: 'Nguyễn Thị Mẫu' } } });
}

/** The safelist as the gateway's request pipeline checks it on arrival (with the document limits when given). */
const safelisted = (list: OperationSafelist, mode: SafelistMode, withLimits = false) =>
  requestPipelineWith(withLimits ? { documentLimits: documentLimitsStep(DEFAULT_OPERATION_LIMITS, patientGraphCostModel) } : {}, {
    safelist: { safelist: list, mode },
    ...(withLimits ? { limits: DEFAULT_OPERATION_LIMITS } : {}),
  });

describe('the safelist in the request pipeline (real Apollo Server over HTTP)', () => {
  describe('enforcing', () => {
    let server: LimitsTestServer;

    beforeAll(async () => {
      server = await startLimitsTestServer([safelisted(safelist, 'enforce', true)]);
    });

    afterAll(async () => {
      await server.stop();
    });

    it('runs a registered operation named by its APQ hash alone', async () => {
      expectPatientName(await send(server.url, { ...apq(PATIENT_NAME.id), variables: VARIABLES }));
    });

    it('runs a registered operation named by documentId, in a POST body or a GET parameter', async () => {
      expectPatientName(await send(server.url, { documentId: `sha256:${PATIENT_NAME.id}`, variables: VARIABLES }));
      const viaGet = await send(server.url, { documentId: ENCOUNTER_COUNT.id }, { method: 'GET' });
      expect(viaGet.status).toBe(200);
      expect(viaGet.body.data).toEqual({ encounterCount: 3 });
    });

    it('runs a registered operation sent as full text, whatever its layout', async () => {
      expectPatientName(await send(server.url, { query: PATIENT_NAME.body, variables: VARIABLES }));
      const oneLine = 'query PatientName($id: ID!) { patient(nationalId: $id) { ...Name } } fragment Name on Patient { name { full } }';
      expectPatientName(await send(server.url, { query: oneLine, variables: VARIABLES }));
    });

    it('refuses an unregistered text with 403 before parsing or executing it', async () => {
      const executions = server.executions();
      expectNotAllowed(await send(server.url, { query: UNREGISTERED }), sha256Hex(UNREGISTERED));
      expect(server.executions()).toBe(executions);
      expect(server.parsedSources).not.toContain(UNREGISTERED);
    });

    it('refuses an unknown hash or document id with 403, not an invitation to register it', async () => {
      const unknown = sha256Hex(UNREGISTERED);
      expectNotAllowed(await send(server.url, apq(unknown)), unknown);
      expectNotAllowed(await send(server.url, { documentId: `sha256:${unknown}` }), unknown);
      expectNotAllowed(await send(server.url, { documentId: 'not-a-hash' }));
    });

    it('does not let APQ registration smuggle an operation in', async () => {
      const hash = sha256Hex(UNREGISTERED);
      expectNotAllowed(await send(server.url, { query: UNREGISTERED, ...apq(hash) }), hash);
      expectNotAllowed(await send(server.url, apq(hash)), hash);
    });

    it('still applies the operation limits to registered operations', async () => {
      const aliases = Array.from({ length: 16 }, (_, i) => `c${i}: encounterCount`).join(' ');
      const bomb = `query Bomb { ${aliases} }`;
      const bombManifest = buildPersistedQueryManifest([{ path: 'bomb.graphql', text: bomb }]);
      const withBomb = OperationSafelist.fromManifest(bombManifest);
      const limited = await startLimitsTestServer([safelisted(withBomb, 'enforce', true)]);
      try {
        const response = await send(limited.url, apq(bombManifest.operations[0]!.id));
        expect(response.status).toBe(400);
        expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'OPERATION_LIMIT_EXCEEDED', limit: 'aliases' });
      } finally {
        await limited.stop();
      }
    });
  });

  describe('off', () => {
    let server: LimitsTestServer;

    beforeAll(async () => {
      // Apollo's own APQ off: registered operations still resolve by id, from the safelist.
      server = await startLimitsTestServer([safelisted(safelist, 'off')], { persistedQueries: false });
    });

    afterAll(async () => {
      await server.stop();
    });

    it('runs unregistered operations', async () => {
      const response = await send(server.url, { query: UNREGISTERED });
      expect(response.status).toBe(200);
      expect(response.body.errors).toBeUndefined();
    });

    it('serves registered operations by id even without Apollo’s APQ', async () => {
      expectPatientName(await send(server.url, { ...apq(PATIENT_NAME.id), variables: VARIABLES }));
    });

    it('leaves unknown hashes to Apollo Server', async () => {
      const response = await send(server.url, apq(sha256Hex(UNREGISTERED)));
      expect(response.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
    });
  });

  it('the gateway refuses to start enforcing an empty safelist, which would refuse every client operation', async () => {
    const empty = OperationSafelist.fromManifest({ format: 'apollo-persisted-query-manifest', version: 1, operations: [] });
    const population = createDemoPopulation(10);
    // A network that did start is stopped again, so a missing refusal fails the test instead of hanging it.
    const outcome = await startDemoNetwork({ logger: captureLogger().logger, population, facilities: population.facilities.slice(0, 1), hospitalKinds: 'synthetic', safelist: { safelist: empty, mode: 'enforce' } }).then(
      async (network) => {
        await network.stop();
        return 'started';
      },
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    expect(outcome).toMatch(/safelist mode "enforce" with an empty manifest would refuse every client operation/);
  }, 120_000);
});
