import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import fc from 'fast-check';
import { icd10Chapter } from '../../../adapters/sdk/population/icd10Chapter';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import { startDemoNetwork, type DemoNetwork } from '../../../demo/startDemoNetwork';
import { InMemoryRateLimiter } from '../../../gateway/limits/InMemoryRateLimiter';
import { captureLogger } from '../../helpers/captureLogger';
import { directCohortRows } from '../../helpers/directCohortRows';
import { postGraphQL, type GraphQLHttpResponse } from '../../helpers/postGraphQL';
import { tokenFor } from '../../helpers/tokens';

interface Row {
  readonly pseudonym: string;
  readonly ageBand: string | null;
  readonly sex: string | null;
  readonly province: string;
  readonly encounterClass: string;
  readonly icd10Codes: string[];
  readonly month: string | null;
  readonly period: string | null;
}
interface Page {
  readonly rows: Row[];
  readonly pageInfo: { readonly endCursor: string | null; readonly hasNextPage: boolean };
  readonly threshold: number;
  readonly withheldRows: number;
  readonly withheldReason: string | null;
  readonly detail: string;
}

const PAGE = `query Cohort($from: Date, $to: Date, $icd10Prefixes: [String!], $first: Int, $after: String, $detail: CohortDetail) {
  cohort(from: $from, to: $to, icd10Prefixes: $icd10Prefixes, first: $first, after: $after, detail: $detail) {
    rows { pseudonym ageBand sex province encounterClass icd10Codes month period }
    pageInfo { endCursor hasNextPage }
    threshold withheldRows withheldReason detail
  }
}`;

type Question = Readonly<{ from: string; to: string; icd10Prefixes: readonly string[] | null; first: number; detail?: string }>;

/** The people-per-group check, redone by the client on what it received: every quasi-identifier released. */
function smallestGroup(rows: readonly Row[]): number {
  const people = new Map<string, Set<string>>();
  for (const row of rows) {
    const key = JSON.stringify([row.ageBand, row.sex, row.province, row.encounterClass, row.icd10Codes, row.period, row.month]);
    people.set(key, (people.get(key) ?? new Set()).add(row.pseudonym));
  }
  return Math.min(...[...people.values()].map((who) => who.size));
}

function counted(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

/**
 * The cookbook's demo network (docs/analytics.md, "Cookbook"): 2,000 people, every demo hospital,
 * 48903 on QĐ 130 claim files — large enough that coarser rows are released at all.
 */
describe('coarser cohort rows (`detail`) through the real gateway (docs/analytics.md, "Coarser rows")', () => {
  const population = createDemoPopulation(2000);
  const codes = population.facilities.map((f) => f.code);
  let network: DemoNetwork;
  let analyst: string;

  beforeAll(async () => {
    // Rate limits off: paging to the end asks more pages a minute than an analyst's limit, and the
    // limits are not what this suite checks (test/integration/limits).
    network = await startDemoNetwork({ logger: captureLogger().logger, population, hospitalKinds: { '48903': 'xml130' }, rateLimits: { limiter: new InMemoryRateLimiter(), limitFor: () => null } });
    analyst = await tokenFor('analyst');
  }, 180_000);

  afterAll(async () => {
    await network.stop();
  });

  async function allPages(question: Question): Promise<Page[]> {
    const pages: Page[] = [];
    let after: string | null = null;
    do {
      const answer: GraphQLHttpResponse<{ cohort: Page }> = await postGraphQL<{ cohort: Page }>(network.gateway.url, PAGE, { ...question, after }, analyst);
      expect(answer.status).toBe(200);
      expect(answer.body.errors).toBeUndefined();
      const current: Page | undefined = answer.body.data?.cohort;
      if (!current) throw new Error('no page');
      pages.push(current);
      after = current.pageInfo.endCursor;
      expect(pages.length).toBeLessThan(200);
    } while (after !== null);
    return pages;
  }

  it('releases more rows at CHAPTER than at CODES on the same question, each encounter still counted once', async () => {
    const question = { from: '2025-01-01', to: '2025-12-31', icd10Prefixes: ['J'], first: 1000 };
    const expected = directCohortRows(population, codes, question.from, question.to, question.icd10Prefixes);
    const released: Record<string, Row[]> = {};
    for (const detail of ['CODES', 'CATEGORY', 'CHAPTER']) {
      const pages = await allPages({ ...question, detail });
      expect(pages.every((p) => p.detail === detail && p.threshold === 10)).toBe(true);
      expect(pages.reduce((n, p) => n + p.rows.length + p.withheldRows, 0)).toBe(expected.length);
      released[detail] = pages.flatMap((p) => p.rows);
    }
    const [atCodes, atCategory, atChapter] = [released.CODES ?? [], released.CATEGORY ?? [], released.CHAPTER ?? []];
    expect(atChapter.length).toBeGreaterThan(atCodes.length);
    expect(atChapter.length).toBeGreaterThanOrEqual(atCategory.length);
    expect(atCategory.length).toBeGreaterThanOrEqual(atCodes.length);
    // On this network a broad question's exact codes are nearly unique: CHAPTER is what answers.
    expect(atChapter.length).toBeGreaterThanOrEqual(expected.length / 5);
    // Each released CHAPTER row is one of the question's encounters, generalized: the main
    // diagnosis's chapter, the year, no month, a twenty-year band.
    const available = counted(expected.map((r) => JSON.stringify([r.province, r.encounterClass, [icd10Chapter(r.codes[0] ?? '')], r.month.slice(0, 4)])));
    const got = counted(atChapter.map((r) => JSON.stringify([r.province, r.encounterClass, r.icd10Codes, r.period])));
    for (const [text, n] of got) expect(n).toBeLessThanOrEqual(available.get(text) ?? 0);
    for (const row of atChapter) {
      expect(row.month).toBeNull();
      expect(row.ageBand).toMatch(/^(0-19|20-39|40-59|60-79|80\+)$/);
    }
    for (const row of atCategory) {
      expect(row.month).toBeNull();
      expect(row.period).toMatch(/^2025-Q[1-4]$/);
      expect(row.icd10Codes.every((c) => /^[A-Z]\d{2}$/.test(c))).toBe(true);
    }
    for (const row of atCodes) expect(row.period).toBe(row.month);
  }, 300_000);

  it('never releases a page holding a group of fewer people than the threshold, whatever the question (property)', async () => {
    const question = fc.record({
      // CHAPTER twice as likely: it is the level that releases rows on this network.
      detail: fc.constantFrom('CODES', 'CATEGORY', 'CHAPTER', 'CHAPTER'),
      icd10Prefixes: fc.option(fc.subarray(['J', 'E', 'I', 'K', 'M', 'Z'], { minLength: 1 }), { nil: null }),
      year: fc.constantFrom('2024', '2025'),
      half: fc.constantFrom(['01-01', '06-30'], ['07-01', '12-31'], ['01-01', '12-31']),
      first: fc.integer({ min: 10, max: 1000 }),
    });
    let releasedAny = 0;
    await fc.assert(
      fc.asyncProperty(question, async ({ detail, icd10Prefixes, year, half, first }) => {
        const asked = { from: `${year}-${half[0]}`, to: `${year}-${half[1]}`, icd10Prefixes, first: Math.max(first, 150), detail };
        const pages = await allPages(asked);
        const expected = directCohortRows(population, codes, asked.from, asked.to, icd10Prefixes);
        expect(pages.reduce((n, p) => n + p.rows.length + p.withheldRows, 0)).toBe(expected.length);
        for (const p of pages) {
          expect(p.rows.length + p.withheldRows).toBeLessThanOrEqual(asked.first);
          if (p.rows.length > 0) expect(smallestGroup(p.rows)).toBeGreaterThanOrEqual(p.threshold);
          releasedAny += p.rows.length;
        }
      }),
      // A question known to release rows comes first, so that the property is checked on released pages.
      { numRuns: 10, seed: 20261208, examples: [[{ detail: 'CHAPTER', icd10Prefixes: null, year: '2025', half: ['01-01', '12-31'], first: 1000 }]] },
    );
    // The property is not vacuous: some of the questions asked released rows.
    expect(releasedAny).toBeGreaterThan(0);
  }, 600_000);

  it('refuses a level that is not one, and a cursor of the question at another level, with 400', async () => {
    const literal = await postGraphQL(network.gateway.url, '{ cohort(detail: BLOCK) { withheldRows } }', {}, analyst);
    expect(literal.status).toBe(400);
    expect(literal.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const variable = await postGraphQL(network.gateway.url, PAGE, { detail: 'chapter' }, analyst);
    expect(variable.status).toBe(400);
    expect(variable.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    const question = { from: '2025-01-01', to: '2025-12-31', icd10Prefixes: null, first: 100 };
    const first = await postGraphQL<{ cohort: Page }>(network.gateway.url, PAGE, { ...question, detail: 'CODES' }, analyst);
    const cursor = first.body.data?.cohort.pageInfo.endCursor;
    if (!cursor) throw new Error('one page only');
    const switched = await postGraphQL(network.gateway.url, PAGE, { ...question, detail: 'CHAPTER', after: cursor }, analyst);
    expect(switched.status).toBe(400);
    expect(switched.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  }, 120_000);

  it('asks only the first hospital not done when it fills the page; the others keep their places', async () => {
    const ports = new Map(network.hospitals.map((h) => [Number(new URL(h.url).port), h.facility.code]));
    const asked: string[] = [];
    const onRequest = (message: unknown): void => {
      const { request } = message as { request: IncomingMessage };
      const code = ports.get(request.socket.localPort ?? -1);
      if (code !== undefined && request.method === 'POST') asked.push(code);
    };
    subscribe('http.server.request.start', onRequest);
    try {
      const question = { from: '2025-01-01', to: '2025-12-31', icd10Prefixes: null, first: 100, detail: 'CHAPTER' };
      const firstPage = await postGraphQL<{ cohort: Page }>(network.gateway.url, PAGE, { ...question, after: null }, analyst);
      expect(firstPage.status).toBe(200);
      expect(firstPage.body.errors).toBeUndefined();
      expect(firstPage.body.data?.cohort.pageInfo.hasNextPage).toBe(true);
      expect(asked).toEqual([network.hospitals[0]?.facility.code]);
      // Paged to the end, every encounter is still counted once (the hospitals not asked kept their places).
      asked.length = 0;
      const pages = await allPages({ ...question, first: 1000 });
      const expected = directCohortRows(population, codes, question.from, question.to, null);
      expect(pages.reduce((n, p) => n + p.rows.length + p.withheldRows, 0)).toBe(expected.length);
      // Fewer asks than every hospital on every page (as before this, when every hospital not done was asked each page).
      expect(asked.length).toBeLessThan(pages.length * network.hospitals.length);
    } finally {
      unsubscribe('http.server.request.start', onRequest);
    }
  }, 180_000);

  it('audits the level asked with', async () => {
    const sub = 'cohort-detail-audit';
    const token = await tokenFor('analyst', { sub });
    const { body } = await postGraphQL<{ cohort: Page }>(network.gateway.url, PAGE, { from: '2025-01-01', to: '2025-12-31', icd10Prefixes: ['J'], first: 500, detail: 'CHAPTER' }, token);
    const answer = body.data?.cohort;
    if (!answer) throw new Error('no page');
    const [record] = await network.audit.read({ sub });
    expect(record?.aggregates?.[0]).toMatchObject({ field: 'Query.cohort', arguments: { detail: 'CHAPTER' }, cellsReleased: answer.rows.length, cellsSuppressed: answer.withheldRows });
  }, 120_000);
});
