import { DEFAULT_OPERATION_LIMITS } from '../../../gateway/limits/OperationLimits';
import { patientGraphCostModel } from '../../../gateway/limits/patientGraphCostModel';
import { documentLimitsStep } from '../../../gateway/pipeline/documentLimitsStep';
import { requestPipelineWith, send, startLimitsTestServer, SYNTHETIC_NATIONAL_ID, type ClientResponse, type LimitsTestServer } from './startLimitsTestServer';

const README_PATIENT = `query ($id: ID!) { patient(nationalId: $id) {
  nationalId name { full } birthDate gender facilityCodes
  encounters { id period { start end } source { facilityCode facilityName } match { method confidence } diagnoses { code { system code display } } }
  insuranceCard { number status validTo beneficiaryGroup benefitLevel }
  insuredVisits { facilityCode admittedAt dischargedAt }
} }`;

/** 7 levels, every one behind a fragment. */
const DEEP_FRAGMENT_CHAIN = `{ patients(first: 1) { ...Page } }
fragment Page on PatientConnection { edges { ...Edge } }
fragment Edge on PatientEdge { node { ...Record } }
fragment Record on Patient { encounters { ...Visit } }
fragment Visit on Encounter { diagnoses { ...Diagnosis } }
fragment Diagnosis on EncounterDiagnosis { code { code } }`;

function expectLimitError(response: ClientResponse, limit: string, max: number, actual: number): void {
  expect(response.status).toBe(400);
  expect(response.body.data).toBeUndefined();
  expect(response.body.errors).toHaveLength(1);
  expect(response.body.errors?.[0]?.extensions).toEqual({ code: 'OPERATION_LIMIT_EXCEEDED', limit, max, actual });
}

describe('the document limits step in the request pipeline (real Apollo Server over HTTP)', () => {
  let server: LimitsTestServer;

  beforeAll(async () => {
    const limits = { ...DEFAULT_OPERATION_LIMITS, maxDepth: 6 };
    server = await startLimitsTestServer([requestPipelineWith({ documentLimits: documentLimitsStep(limits, patientGraphCostModel) }, { limits })]);
  });

  afterAll(async () => {
    await server.stop();
  });

  it('runs an operation within every limit', async () => {
    const response = await send(server.url, { query: README_PATIENT, variables: { id: SYNTHETIC_NATIONAL_ID } });
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data).toEqual({ patient: expect.objectContaining({ nationalId: SYNTHETIC_NATIONAL_ID }) as unknown });
  });

  it('refuses an alias bomb with 400 before any resolver runs', async () => {
    const before = server.executions();
    const aliases = Array.from({ length: 16 }, (_, i) => `p${i}: patient(nationalId: "0790990000${String(i).padStart(2, '0')}") { name { full } }`);
    const response = await send(server.url, { query: `{ ${aliases.join('\n')} }` });
    expectLimitError(response, 'aliases', 15, 16);
    expect(response.body.errors?.[0]?.message).toBe('The operation uses 16 aliases; this gateway allows at most 15.');
    expect(server.executions()).toBe(before);
  });

  it('refuses an operation nested too deep through a chain of fragments', async () => {
    const response = await send(server.url, { query: DEEP_FRAGMENT_CHAIN });
    expectLimitError(response, 'depth', 6, 7);
  });

  it('refuses too many root fields even when each is cheap', async () => {
    const fields = Array.from({ length: 11 }, (_, i) => `c${i}: encounterCount`).join(' ');
    expectLimitError(await send(server.url, { query: `{ ${fields} }` }), 'rootFields', 10, 11);
  });

  it('prices a list by the `first` variable of the request', async () => {
    const query = 'query Page($n: Int) { patients(first: $n) { edges { node { encounters { id diagnoses { rank } source { facilityCode } } } } } }';
    expect((await send(server.url, { query, variables: { n: 10 } })).status).toBe(200);
    // 1 + 100 × (edge 1 + node 1 + encounters 20 × (1 + diagnoses 5 + source 1))
    expectLimitError(await send(server.url, { query, variables: { n: 100 } }), 'cost', 5000, 1 + 100 * (2 + 20 * 7));
  });

  it('refuses an oversized document before parsing it', async () => {
    const padding = ' '.repeat(DEFAULT_OPERATION_LIMITS.maxDocumentBytes);
    const query = `{ encounterCount ${padding}}`;
    const response = await send(server.url, { query });
    expectLimitError(response, 'documentBytes', DEFAULT_OPERATION_LIMITS.maxDocumentBytes, Buffer.byteLength(query));
    expect(server.parsedSources.some((source) => source.length > DEFAULT_OPERATION_LIMITS.maxDocumentBytes)).toBe(false);
  });

  it('refuses at construction limits that make no sense', () => {
    expect(() => documentLimitsStep({ maxCost: -1 }, patientGraphCostModel)).toThrow(/maxCost must be a positive integer/);
  });
});
