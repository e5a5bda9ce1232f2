import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import type { Population, SyntheticPerson } from '../../../demo/population/types';
import { startDemoNetwork, type DemoNetwork } from '../../../demo/startDemoNetwork';
import { directCohortRows } from '../../helpers/directCohortRows';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL } from '../../helpers/postGraphQL';
import { tokenFor } from '../../helpers/tokens';

interface Row {
  readonly pseudonym: string;
  readonly ageBand: string | null;
  readonly sex: string | null;
  readonly province: string;
  readonly encounterClass: string;
  readonly icd10Codes: string[];
  readonly month: string | null;
}
interface Page {
  readonly rows: Row[];
  readonly pageInfo: { readonly endCursor: string | null; readonly hasNextPage: boolean };
  readonly threshold: number;
  readonly withheldRows: number;
  readonly withheldReason: string | null;
}

const PAGE = `query Cohort($facilityCodes: [String!], $from: Date, $to: Date, $icd10Prefixes: [String!], $first: Int, $after: String, $project: String) {
  cohort(facilityCodes: $facilityCodes, from: $from, to: $to, icd10Prefixes: $icd10Prefixes, first: $first, after: $after, project: $project) {
    rows { pseudonym ageBand sex province encounterClass icd10Codes month }
    pageInfo { endCursor hasNextPage }
    threshold withheldRows withheldReason
  }
}`;

type Question = Readonly<Record<string, unknown>>;

async function page(url: string, token: string, question: Question, after: string | null = null) {
  return postGraphQL<{ cohort: Page }>(url, PAGE, { ...question, after }, token);
}

/** Every page of a question, as a client pages: `after: endCursor` until there is no next page. */
async function allPages(url: string, token: string, question: Question): Promise<Page[]> {
  const pages: Page[] = [];
  let after: string | null = null;
  do {
    const { status, body } = await page(url, token, question, after);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const current = body.data?.cohort;
    if (!current) throw new Error('no page');
    pages.push(current);
    after = current.pageInfo.endCursor;
    expect(pages.length).toBeLessThan(500);
  } while (after !== null);
  expect(pages.at(-1)?.pageInfo.hasNextPage).toBe(false);
  return pages;
}

/** The encounters a question selects, straight from the generated population (what the sources hold). */
const directRows = directCohortRows;

/** What a released row says, without its pseudonym: for comparing multisets. */
function rowText(row: { province: string; month: string | null; encounterClass: string; codes: readonly string[] }): string {
  return JSON.stringify([row.province, row.month, row.encounterClass, row.codes]);
}

function counted(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

/**
 * The demo population made alike on every quasi-identifier but the province: everyone a woman
 * born on 1 January 1960 (age band 65-69 through 2025), every encounter ambulatory, on 15 June of
 * its year, with its diagnoses reduced to one J06.9 — so every group is large, nothing is
 * withheld, and each released row can be compared with the population.
 */
function alike(population: Population): Population {
  const person = (p: SyntheticPerson): SyntheticPerson => ({
    ...p,
    birthDate: '1960-01-01',
    gender: 'FEMALE',
    records: p.records.map((record) => ({
      ...record,
      resources: {
        ...record.resources,
        encounters: record.resources.encounters.map((encounter) => ({
          ...encounter,
          class: 'AMBULATORY' as const,
          period: { start: midJune(encounter.period.start), end: midJune(encounter.period.end) },
          diagnoses: encounter.diagnoses.slice(0, 1).map((d) => ({ ...d, role: 'PRIMARY' as const, rank: 1, code: { ...d.code, code: 'J06.9' } })),
        })),
      },
    })),
  });
  return { ...population, people: population.people.map(person) };
}

/** 15 June (noon, Viet Nam time) of an instant's year: every encounter of a year in one month. */
function midJune(instant: string | null): string | null {
  return instant === null ? null : `${instant.slice(0, 4)}-06-15T05:00:00.000Z`;
}

describe('de-identified cohort rows through the real gateway (docs/analytics.md)', () => {
  const natural = createDemoPopulation();
  const facilities = natural.facilities.slice(0, 3);
  const codes = facilities.map((f) => f.code);
  let network: DemoNetwork;
  let analyst: string;

  beforeAll(async () => {
    network = await startDemoNetwork({
      logger: captureLogger().logger,
      population: natural,
      hospitalKinds: { [codes[2] ?? '']: 'xml130' },
      facilities,
    });
    analyst = await tokenFor('analyst', { sub: 'cohort-analyst' });
  }, 180_000);

  afterAll(async () => {
    await network.stop();
  });

  it('pages across the three hospitals (synthetic and QĐ 130): every encounter counted once, released rows among them', async () => {
    const question = { from: '2024-01-01', to: '2026-06-30', first: 60 };
    const pages = await allPages(network.gateway.url, analyst, question);
    const expected = directRows(natural, codes, question.from, question.to, null);
    expect(pages.length).toBeGreaterThan(3);
    expect(pages.reduce((n, p) => n + p.rows.length + p.withheldRows, 0)).toBe(expected.length);
    for (const p of pages) expect(p.rows.length + p.withheldRows).toBeLessThanOrEqual(60);
    const released = counted(pages.flatMap((p) => p.rows.map((r) => rowText({ ...r, codes: r.icd10Codes }))));
    const available = counted(expected.map(rowText));
    for (const [text, n] of released) expect(n).toBeLessThanOrEqual(available.get(text) ?? 0);
  }, 180_000);

  it('withholds a small cohort: no rows, the count and the reason', async () => {
    // The rarest main-diagnosis category in the window: fewer people than the threshold.
    const rows = directRows(natural, codes, '2024-01-01', '2026-06-30', null);
    const people = new Map<string, Set<string>>();
    for (const row of rows) for (const code of row.codes) people.set(code.slice(0, 3), (people.get(code.slice(0, 3)) ?? new Set()).add(row.person));
    const rare = [...people].filter(([, who]) => who.size > 0 && who.size < 10).sort((a, b) => a[1].size - b[1].size)[0]?.[0];
    if (rare === undefined) throw new Error('the demo population has no rare category');
    const question = { from: '2024-01-01', to: '2026-06-30', icd10Prefixes: [rare], first: 1000 };
    const expected = directRows(natural, codes, question.from, question.to, [rare]);
    const [only] = await allPages(network.gateway.url, analyst, question);
    expect(only).toEqual({ rows: [], pageInfo: { endCursor: null, hasNextPage: false }, threshold: 10, withheldRows: expected.length, withheldReason: 'COHORT_BELOW_THRESHOLD' });
  }, 120_000);

  it('answers no direct identifier through any field, alias or fragment, and no hidden field at all', async () => {
    const identifiers = natural.people.flatMap((p) => [p.nationalId, p.name.full, p.birthDate, ...(p.insuranceNumber ? [p.insuranceNumber] : []), ...p.records.map((r) => r.localPatientId)]);
    const query = `{ a: cohort(from: "2024-01-01", first: 1000) { ...P } b: cohort(from: "2024-01-01", first: 1000) { x: rows { ... on CohortRow { y: pseudonym z: month } } } }
      fragment P on CohortPage { rows { pseudonym ageBand sex province encounterClass icd10Codes month } threshold withheldRows }`;
    // Two cohort fields in one operation are refused (each has its own pages); asked one at a time:
    const both = await postGraphQL(network.gateway.url, query, {}, analyst);
    expect(both.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    for (const single of [
      `{ a: cohort(from: "2024-01-01", first: 1000) { ...P } } fragment P on CohortPage { rows { pseudonym ageBand sex province encounterClass icd10Codes month } threshold withheldRows }`,
      `{ b: cohort(from: "2024-01-01", first: 1000) { x: rows { ... on CohortRow { y: pseudonym z: month } } } }`,
    ]) {
      const { status, text } = await postGraphQL(network.gateway.url, single, {}, analyst);
      expect(status).toBe(200);
      for (const id of identifiers) expect(text).not.toContain(`"${id}"`);
      expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    }
    for (const hidden of [
      '{ cohort { rows { networkPseudonym } } }',
      '{ cohort { rows { who: place } } }',
      '{ cohort { ...R } } fragment R on CohortPage { rows { networkPseudonym } }',
      '{ cohort { rows { ... on CohortRow { place } } } }',
      '{ cohort { rows { patient { nationalId } } } }',
    ]) {
      const { status, body } = await postGraphQL(network.gateway.url, hidden, {}, analyst);
      expect(status).toBe(400);
      expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    }
  }, 120_000);

  it('refuses a tampered cursor, a cursor of another question and bad arguments with 400', async () => {
    const question = { from: '2024-01-01', to: '2026-06-30', first: 50 };
    const first = await page(network.gateway.url, analyst, question);
    const cursor = first.body.data?.cohort.pageInfo.endCursor;
    if (!cursor) throw new Error('one page only');
    const flipped = `${cursor.slice(0, 20)}${cursor[20] === 'A' ? 'B' : 'A'}${cursor.slice(21)}`;
    for (const [q, after] of [[question, flipped], [{ ...question, to: '2026-06-29' }, cursor], [question, 'not a cursor']] as const) {
      const { status, body } = await page(network.gateway.url, analyst, q, after);
      expect(status).toBe(400);
      expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    }
    for (const bad of [{ first: 0 }, { first: 1001 }, { first: -5 }, { from: '2026-01-01', to: '2025-01-01' }, { icd10Prefixes: ['not a code'] }]) {
      const { status, body } = await page(network.gateway.url, analyst, { ...question, ...bad });
      expect(status).toBe(400);
      expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    }
  }, 120_000);

  it('refuses a role without `aggregate` access (registrar, patient)', async () => {
    for (const token of [await tokenFor('registrar', { facilityCode: codes[0] ?? null }), await tokenFor('patient', { sub: natural.people[0]?.nationalId ?? '' })]) {
      const { status, body } = await page(network.gateway.url, token, { first: 10 });
      expect(status).toBe(403);
      expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(body.data ?? null).toBeNull();
    }
  });

  it('audits every cohort question with its filters and the rows released and withheld', async () => {
    const sub = 'cohort-audit';
    const token = await tokenFor('analyst', { sub });
    const { body } = await page(network.gateway.url, token, { from: '2025-01-01', to: '2025-12-31', icd10Prefixes: ['J'], first: 200 });
    const answer = body.data?.cohort;
    if (!answer) throw new Error('no page');
    const [record] = await network.audit.read({ sub });
    expect(record?.aggregates).toEqual([
      {
        field: 'Query.cohort',
        arguments: { from: '2025-01-01', to: '2025-12-31', icd10Prefixes: ['J'], first: 200, after: null },
        cellsReleased: answer.rows.length,
        cellsSuppressed: answer.withheldRows,
      },
    ]);
  });
});

describe('cohort rows of a population alike on every quasi-identifier: every row released exactly once, in order', () => {
  const population = alike(createDemoPopulation());
  const facilities = population.facilities.slice(0, 3);
  const codes = facilities.map((f) => f.code);
  let network: DemoNetwork;

  beforeAll(async () => {
    network = await startDemoNetwork({
      logger: captureLogger().logger,
      population,
      hospitalKinds: 'synthetic',
      facilities,
      cohortProjects: [{ id: 'respiratory-2025', secret: Buffer.alloc(32, 7), members: ['cohort-analyst'] }],
    });
  }, 180_000);

  afterAll(async () => {
    await network.stop();
  });

  it('returns, page after page, exactly the encounters of the question with one pseudonym per person', async () => {
    const from = '2025-01-01';
    const to = '2025-12-31';
    // Sources in registry order, each in its own (encounter id) order: the order pages follow.
    const expected = directRows(population, codes, from, to, ['J06']).sort((a, b) =>
      a.facilityCode === b.facilityCode ? (a.encounterId < b.encounterId ? -1 : 1) : codes.indexOf(a.facilityCode) - codes.indexOf(b.facilityCode),
    );
    // A page size whose every page holds at least ten people of each province on it (so nothing is withheld).
    const fits = (size: number): boolean => {
      for (let start = 0; start < expected.length; start += size) {
        const byProvince = new Map<string, Set<string>>();
        for (const row of expected.slice(start, start + size)) byProvince.set(row.province, (byProvince.get(row.province) ?? new Set()).add(row.person));
        if ([...byProvince.values()].some((people) => people.size < 10)) return false;
      }
      return true;
    };
    const first = [40, 45, 50, 55, 60, 70, 80, 90, 100].find((size) => fits(size) && expected.length > 2 * size);
    if (first === undefined) throw new Error('no page size fits the population');
    const analyst = await tokenFor('analyst');
    const pages = await allPages(network.gateway.url, analyst, { from, to, icd10Prefixes: ['J06'], first });
    expect(pages.length).toBe(Math.ceil(expected.length / first) + (expected.length % first === 0 ? 1 : 0));
    expect(pages.every((p) => p.withheldRows === 0)).toBe(true);
    const rows = pages.flatMap((p) => p.rows);
    expect(rows.map((r) => rowText({ ...r, codes: r.icd10Codes }))).toEqual(expected.map((r) => rowText({ ...r, codes: ['J06.9'] })));
    expect(rows.every((r) => r.ageBand === '65-69' && r.sex === 'FEMALE')).toBe(true);
    // One pseudonym per person and facility record, across pages; never one for two people.
    const byPerson = new Map<string, Set<string>>();
    const byPseudonym = new Map<string, Set<string>>();
    rows.forEach((row, i) => {
      const who = `${expected[i]?.person}@${expected[i]?.facilityCode}`;
      byPerson.set(who, (byPerson.get(who) ?? new Set()).add(row.pseudonym));
      byPseudonym.set(row.pseudonym, (byPseudonym.get(row.pseudonym) ?? new Set()).add(expected[i]?.person ?? ''));
    });
    expect([...byPerson.values()].every((s) => s.size === 1)).toBe(true);
    expect([...byPseudonym.values()].every((s) => s.size === 1)).toBe(true);
  }, 180_000);

  it('gives a person a pseudonym of the question: another question cannot be joined on it, a project can', async () => {
    const analyst = await tokenFor('analyst', { sub: 'cohort-analyst' });
    const question = { facilityCodes: [codes[0]], from: '2025-01-01', to: '2025-12-31', icd10Prefixes: ['J06'], first: 1000 };
    const first = await page(network.gateway.url, analyst, question);
    const again = await page(network.gateway.url, analyst, question);
    const a = new Set(first.body.data?.cohort.rows.map((r) => r.pseudonym));
    const b = new Set(again.body.data?.cohort.rows.map((r) => r.pseudonym));
    expect(a.size).toBeGreaterThan(10);
    expect([...a].filter((p) => b.has(p))).toEqual([]);

    const inProject = await page(network.gateway.url, analyst, { ...question, project: 'respiratory-2025' });
    const inProjectAgain = await page(network.gateway.url, analyst, { ...question, project: 'respiratory-2025' });
    const p1 = inProject.body.data?.cohort.rows.map((r) => r.pseudonym) ?? [];
    expect(p1.length).toBeGreaterThan(10);
    expect(inProjectAgain.body.data?.cohort.rows.map((r) => r.pseudonym)).toEqual(p1);
    expect(p1.filter((p) => a.has(p))).toEqual([]);

    const outsider = await tokenFor('analyst', { sub: 'someone-else' });
    const refused = await page(network.gateway.url, outsider, { ...question, project: 'respiratory-2025' });
    expect(refused.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const unknown = await page(network.gateway.url, analyst, { ...question, project: 'no-such-project' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  }, 120_000);

});

describe('cohort rows from every kind of adapter: FHIR R4 and the three HIS schemas (keyset-paged SQL)', () => {
  const population = createDemoPopulation();
  const kinds = { '01901': 'fhir-r4', '79902': 'sql-his-vendor', '48903': 'sql-his-modern', '92904': 'sql-his-legacy' } as const;
  const facilities = population.facilities.filter((f) => f.code in kinds);
  let network: DemoNetwork;

  beforeAll(async () => {
    // A generous source deadline: the in-process FHIR server reads the window's Encounters per page, on a loaded machine.
    network = await startDemoNetwork({ logger: captureLogger().logger, population, hospitalKinds: kinds, facilities, hospitalTimeoutMs: 60_000 });
  }, 240_000);

  afterAll(async () => {
    await network.stop();
  });

  it('pages through every hospital: each answers, and every encounter of the question is counted once', async () => {
    const analyst = await tokenFor('analyst');
    const codes = facilities.map((f) => f.code);
    expect(codes).toHaveLength(4);
    for (const question of [{ from: '2024-01-01', to: '2026-06-30', first: 150, icd10Prefixes: null }, { from: '2025-01-01', to: '2025-12-31', icd10Prefixes: ['J', 'E11'], first: 40 }]) {
      const pages = await allPages(network.gateway.url, analyst, question);
      const expected = directRows(population, codes, question.from, question.to, question.icd10Prefixes);
      expect(pages.length).toBeGreaterThan(2);
      expect(pages.reduce((n, p) => n + p.rows.length + p.withheldRows, 0)).toBe(expected.length);
      // Each hospital's own count, asked alone, is its part: no hospital silently left out.
      for (const code of codes) {
        const own = await allPages(network.gateway.url, analyst, { ...question, facilityCodes: [code], first: 1000 });
        expect(own.reduce((n, p) => n + p.rows.length + p.withheldRows, 0)).toBe(expected.filter((r) => r.facilityCode === code).length);
      }
    }
  }, 240_000);
});
