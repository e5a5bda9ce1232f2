import { VssClient } from '../../../adapters/vss/VssClient';
import { parseInsuranceNumber } from '../../../core/identifiers/insuranceNumber';
import { silentLogger } from '../../../core/logging/logger';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import type { Population, SyntheticPerson } from '../../../demo/population/types';
import { DEMO_VSS_ACCOUNT } from '../../../demo/vss/demoVssAccount';
import { startVssSimulator, type RunningVssSimulator } from '../../../demo/vss/VssSimulator';
import type { RunningSubgraph } from '../../../subgraphs/serveSubgraph';
import { serveInsuranceSubgraph } from '../../../subgraphs/insurance/serveInsuranceSubgraph';
import { postSignedGraphQL, testSigning } from '../../helpers/signedPost';

const ENTITIES = /* GraphQL */ `
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Patient {
        nationalId
        insuranceCard {
          number status resultCode message beneficiaryGroup benefitLevel provinceCode socialInsuranceNumber
          registeredFacilityCode validFrom validTo livingAreaCode fiveYearsContinuousFrom
          newCard { number validFrom validTo registeredFacilityCode }
        }
        insuredVisits { recordId facilityCode facilityName admittedAt dischargedAt diagnosisText dischargeStatus treatmentResult }
      }
    }
  }
`;

const CARD_ONLY = /* GraphQL */ `
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) { ... on Patient { nationalId insuranceCard { status resultCode } } }
  }
`;

interface GraphQLResponse {
  data?: { _entities: (Record<string, unknown> | null)[] } | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

describe('insurance subgraph', () => {
  let population: Population;
  let simulator: RunningVssSimulator;
  let subgraph: RunningSubgraph;
  const used = new Set<SyntheticPerson>();

  beforeAll(async () => {
    population = createDemoPopulation();
    simulator = await startVssSimulator({ population, username: DEMO_VSS_ACCOUNT.username, logger: silentLogger });
    const vss = new VssClient({
      baseUrl: simulator.url,
      username: DEMO_VSS_ACCOUNT.username,
      password: DEMO_VSS_ACCOUNT.password,
      officer: DEMO_VSS_ACCOUNT.officer,
      timeoutMs: 2_000,
      logger: silentLogger,
    });
    subgraph = await serveInsuranceSubgraph({ vss, logger: silentLogger, host: '127.0.0.1', port: 0, signing: testSigning('insurance') });
  });

  afterEach(() => {
    simulator.setFailure('none');
  });

  afterAll(async () => {
    await subgraph.stop();
    await simulator.stop();
  });

  function person(predicate: (p: SyntheticPerson) => boolean): SyntheticPerson {
    const found = population.people.find((p) => !used.has(p) && predicate(p));
    if (!found) throw new Error('the demo population has no such person');
    used.add(found);
    return found;
  }

  /** The representation the gateway sends: key plus the @requires'd identity fields. */
  function representation(p: SyntheticPerson, overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return { __typename: 'Patient', nationalId: p.nationalId, insuranceNumber: p.insuranceNumber, name: { full: p.name.full }, birthDate: p.birthDate, ...overrides };
  }

  async function entities(representations: Record<string, unknown>[], query = ENTITIES): Promise<GraphQLResponse> {
    const { status, body } = await postSignedGraphQL(subgraph.url, 'insurance', query, { representations });
    expect(status).toBe(200);
    return body as GraphQLResponse;
  }

  const insuredVisitCount = (p: SyntheticPerson): number =>
    p.records.filter((r) => r.hasInsuranceNumber).reduce((sum, r) => sum + r.resources.encounters.length, 0);

  it('resolves the card and the visit history of each patient with one VSS call per patient', async () => {
    const people = [
      person((p) => p.card?.resultCode === '000' && insuredVisitCount(p) >= 2),
      person((p) => p.card?.resultCode === '000' && insuredVisitCount(p) >= 1),
    ];
    const before = simulator.stats().cardCheck;
    const result = await entities(people.map((p) => representation(p)));
    expect(result.errors).toBeUndefined();
    expect(simulator.stats().cardCheck - before).toBe(people.length);
    people.forEach((p, index) => {
      const entity = result.data?._entities[index] as Record<string, unknown>;
      const parts = parseInsuranceNumber(p.insuranceNumber as string);
      if (parts.kind !== 'valid') throw new Error('fixture card should be valid');
      expect(entity.nationalId).toBe(p.nationalId);
      expect(entity.insuranceCard).toEqual({
        number: p.insuranceNumber,
        status: 'VALID',
        resultCode: '000',
        message: expect.any(String),
        beneficiaryGroup: parts.value.beneficiaryGroup,
        benefitLevel: parts.value.benefitLevel,
        provinceCode: parts.value.provinceCode,
        socialInsuranceNumber: parts.value.socialInsuranceNumber,
        registeredFacilityCode: p.card?.registeredFacilityCode,
        validFrom: p.card?.validFrom,
        validTo: p.card?.validTo,
        livingAreaCode: p.card?.livingAreaCode,
        fiveYearsContinuousFrom: p.card?.fiveYearsContinuousFrom,
        newCard: null,
      });
      const visits = entity.insuredVisits as Record<string, unknown>[];
      expect(visits).toHaveLength(insuredVisitCount(p));
      for (const visit of visits) {
        expect(visit.admittedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\+07:00$/);
        expect(visit.dischargeStatus).toBe('DISCHARGED');
        expect(['CURED', 'IMPROVED']).toContain(visit.treatmentResult);
        expect(population.facilities.map((f) => f.code)).toContain(visit.facilityCode);
      }
      const admitted = visits.map((v) => Date.parse(v.admittedAt as string));
      expect(admitted).toEqual([...admitted].sort((a, b) => b - a));
    });
  });

  it('calls VSS once for a patient whose representation appears twice in a request', async () => {
    const p = person((x) => x.card?.resultCode === '010');
    const before = simulator.stats().cardCheck;
    const result = await entities([representation(p), representation(p)]);
    expect(simulator.stats().cardCheck - before).toBe(1);
    expect(result.data?._entities.map((e) => (e?.insuranceCard as { status: string }).status)).toEqual(['EXPIRED', 'EXPIRED']);
  });

  it('returns a null card and no visits for a patient without an insurance number, without calling VSS', async () => {
    const p = person((x) => x.insuranceNumber === null);
    const before = simulator.stats().cardCheck;
    const result = await entities([representation(p)]);
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities[0]).toEqual({ nationalId: p.nationalId, insuranceCard: null, insuredVisits: [] });
    expect(simulator.stats().cardCheck).toBe(before);
  });

  it('reports the new card of a 003 look-up', async () => {
    const p = person((x) => x.card?.resultCode === '003');
    const result = await entities([representation(p)]);
    expect(result.data?._entities[0]?.insuranceCard).toMatchObject({
      status: 'EXPIRED_NEW_CARD_ISSUED',
      newCard: {
        number: p.card?.newCard?.number,
        validFrom: p.card?.newCard?.validFrom,
        validTo: p.card?.newCard?.validTo,
        registeredFacilityCode: p.card?.newCard?.registeredFacilityCode,
      },
    });
  });

  it('reports a name VSS does not match as NAME_MISMATCH with the card parts and no visits', async () => {
    const p = person((x) => x.card?.resultCode === '000' && insuredVisitCount(x) >= 1);
    const result = await entities([representation(p, { name: { full: 'Zương Văn Sai' } })]);
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities[0]).toMatchObject({
      insuranceCard: { number: p.insuranceNumber, status: 'NAME_MISMATCH', resultCode: '060', validTo: null, socialInsuranceNumber: p.insuranceNumber?.slice(5) },
      insuredVisits: [],
    });
  });

  it('answers INVALID_IDENTIFIER for a malformed insurance number on record, without calling VSS', async () => {
    const p = person((x) => x.card?.resultCode === '000');
    const before = simulator.stats().cardCheck;
    const result = await entities([representation(p, { insuranceNumber: 'XX9' })], CARD_ONLY);
    expect(result.data?._entities[0]).toEqual({ nationalId: p.nationalId, insuranceCard: null });
    expect(result.errors?.[0]).toMatchObject({ path: ['_entities', 0, 'insuranceCard'], extensions: { code: 'INVALID_IDENTIFIER' } });
    expect(simulator.stats().cardCheck).toBe(before);
  });

  it('answers SOURCE_UNAVAILABLE on the card when VSS fails, with no personal data in the error', async () => {
    const p = person((x) => x.card?.resultCode === '000');
    simulator.setFailure('http500');
    const result = await entities([representation(p)], CARD_ONLY);
    expect(result.data?._entities[0]).toEqual({ nationalId: p.nationalId, insuranceCard: null });
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]).toMatchObject({ extensions: { code: 'SOURCE_UNAVAILABLE', source: 'vss' } });
    const text = JSON.stringify(result.errors);
    for (const secret of [p.name.full, p.nationalId, p.insuranceNumber as string, simulator.url]) expect(text).not.toContain(secret);
  });
});
