import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import { startDemoNetwork, type DemoNetwork } from '../../../demo/startDemoNetwork';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL } from '../../helpers/postGraphQL';
import { tokenFor } from '../../helpers/tokens';

/**
 * The cookbook in docs/analytics.md is a contract: every query in it is run through the real
 * gateway on the demo network and must answer exactly what the document says. With
 * UPDATE_COOKBOOK=1 the documented answers are rewritten from the gateway instead (review the diff).
 */
const DOC = join(__dirname, '../../../docs/analytics.md');
/** People in the cookbook's demo network (docs/analytics.md, "Cookbook"). */
const COOKBOOK_POPULATION = 2000;
const UPDATE = process.env.UPDATE_COOKBOOK === '1';

interface Recipe {
  readonly title: string;
  readonly query: string;
  /** Offsets of the json block's body in the document, for the update mode. */
  readonly answerStart: number;
  readonly answerEnd: number;
  readonly answer: string;
}

function recipesOf(doc: string): Recipe[] {
  const start = doc.indexOf('\n## Cookbook\n');
  if (start < 0) throw new Error('docs/analytics.md has no "Cookbook" section');
  const next = doc.indexOf('\n## ', start + 1);
  const end = next < 0 ? doc.length : next;
  const recipes: Recipe[] = [];
  const heading = /\n### (.+)\n[\s\S]*?```graphql\n([\s\S]*?)```\n\s*```json\n([\s\S]*?)```/g;
  heading.lastIndex = start;
  for (let match = heading.exec(doc); match && match.index < end; match = heading.exec(doc)) {
    const answer = match[3] ?? '';
    const answerEnd = match.index + match[0].length - 3;
    recipes.push({ title: match[1] ?? '', query: match[2] ?? '', answer, answerStart: answerEnd - answer.length, answerEnd });
  }
  return recipes;
}

const doc = readFileSync(DOC, 'utf8');
const recipes = recipesOf(doc);

describe('the analytics cookbook answers what docs/analytics.md says, on the demo network', () => {
  let network: DemoNetwork;
  let analyst: string;
  const answers = new Map<Recipe, string>();

  beforeAll(async () => {
    // The seeded demo population at 2,000 people and synthetic hospitals: deterministic, as the
    // document says (the default 200 people suppress nearly every cell of a chronic-disease table).
    // 48903 serves QĐ 130 claim files (the cost question reads their T_TONGCHI), the rest synthetic.
    network = await startDemoNetwork({ logger: captureLogger().logger, population: createDemoPopulation(COOKBOOK_POPULATION), hospitalKinds: { '48903': 'xml130' } });
    analyst = await tokenFor('analyst');
  }, 120_000);

  afterAll(async () => {
    await network.stop();
    if (UPDATE) {
      let updated = doc;
      for (const recipe of [...recipes].reverse()) {
        const answer = answers.get(recipe);
        if (answer !== undefined) updated = updated.slice(0, recipe.answerStart) + answer + updated.slice(recipe.answerEnd);
      }
      writeFileSync(DOC, updated);
    }
  });

  it('has twelve questions, each with a query and an answer', () => {
    expect(recipes.length).toBe(13);
    for (const recipe of recipes) expect(recipe.query).toMatch(/^\{/);
  });

  it.each(recipes.map((recipe) => [recipe.title, recipe] as const))('%s', async (_title, recipe) => {
    const { status, body } = await postGraphQL(network.gateway.url, recipe.query, {}, analyst);
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    answers.set(recipe, `${JSON.stringify(body.data, null, 2)}\n`);
    if (!UPDATE) expect(body.data).toEqual(JSON.parse(recipe.answer));
  });
});
