import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDemoPopulation } from '../../demo/population/generatePopulation';
import { startDemoNetwork, type DemoNetwork } from '../../demo/startDemoNetwork';
import { captureLogger } from '../helpers/captureLogger';
import { runCli, runProcess, type ProcessResult } from '../helpers/runCli';
import { tokenFor } from '../helpers/tokens';

const ROOT = join(__dirname, '..', '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const DOCS = [README, ...readdirSync(join(ROOT, 'docs')).map((f) => readFileSync(join(ROOT, 'docs', f), 'utf8'))].join('\n');

/** The `sh` blocks of the README, as a user would paste them. */
const shellBlocks = [...README.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
const shellBlock = (containing: string): string => {
  const block = shellBlocks.find((b) => b.includes(containing));
  if (!block) throw new Error(`README has no sh block with ${containing}`);
  return block;
};

/** Runs a README shell block with bash in the repository, as a user would. */
async function bash(script: string, env: NodeJS.ProcessEnv = {}): Promise<ProcessResult> {
  return runProcess('bash', ['-euo', 'pipefail', '-c', script], { cwd: ROOT, env });
}

const population = createDemoPopulation(40);
const running = population.facilities.slice(0, 2);
const runningCodes = new Set(running.map((f) => f.code));
const person = population.people.find((p) => p.records.some((r) => runningCodes.has(r.facilityCode) && r.resources.encounters.length > 0));

describe('the README’s shell commands, run as written against a demo network', () => {
  let network: DemoNetwork;
  let origin: string;

  beforeAll(async () => {
    network = await startDemoNetwork({ logger: captureLogger().logger, population, hospitalKinds: 'synthetic', facilities: running });
    origin = new URL(network.gateway.url).origin;
  }, 120_000);

  afterAll(async () => {
    await network.stop();
  });

  it('an analyst token from `patient-graph token` and the curl query: an encounter count, no error', async () => {
    const script = shellBlock('npx patient-graph token --role analyst').replaceAll('http://127.0.0.1:4000', origin);
    const { code, stdout, stderr } = await bash(script);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const body = JSON.parse(stdout) as { data?: { encounterCount: number | null }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data).toHaveProperty('encounterCount');
  }, 120_000);

  it('the typed client example prints the patient’s timeline', async () => {
    const facilityCode = person?.records.find((r) => runningCodes.has(r.facilityCode))?.facilityCode ?? '';
    const script = shellBlock('examples/printPatientTimeline.ts')
      .replace('<a clinician token from npm start>', await tokenFor('clinician', { facilityCode }))
      .replace('http://127.0.0.1:4000/graphql', network.gateway.url)
      .replace('<national ID>', person?.nationalId ?? '');
    const { code, stdout, stderr } = await bash(script);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe(`${person?.name.full ?? ''} (${person?.nationalId ?? ''})`);
  }, 120_000);

  it('`patient-graph token --role <role>` prints a token the gateway accepts for that role only', async () => {
    const { code, stdout } = await runCli(['token', '--role', 'analyst']);
    expect(code).toBe(0);
    const ask = async (query: string) => (await (await fetch(network.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${stdout.trim()}` }, body: JSON.stringify({ query }) })).json()) as { errors?: { extensions?: { code?: string } }[] };
    expect((await ask('{ encounterCount }')).errors).toBeUndefined();
    expect((await ask(`{ patient(nationalId: "${person?.nationalId ?? ''}") { name { full } } }`)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  }, 120_000);
});

/**
 * Commands the docs show that no test runs, each with the reason. Any other command shown in
 * README.md or docs/ must be run by a test: a new one fails here until it is, or is listed.
 */
const NOT_RUN_BY_TESTS: Readonly<Record<string, string>> = {
  'npm ci': 'installs dependencies; the test run itself depends on it',
  'npm test': 'the test suite itself',
  'npm run build': 'npm start runs it in a fresh clone (test/e2e/readmeQuickStart.test.ts), then the compiled dist/',
  'npm run lint': 'run by CI (.ci/run), not by a test',
  'npm run typecheck': 'run by CI (.ci/run), not by a test',
  'npm run bench': 'benchmarks: minutes of load, results in bench/RESULTS.md',
  'npm run bench:analytics': 'benchmark',
  'npm run bench:cohort': 'benchmark',
  'npm run bench:identity': 'benchmark',
  'npm run bench:sql-population': 'benchmark',
  'npm run soak': 'five minutes of load',
  'npm run identity:pairs': 'regenerates test fixtures; a test checks they equal what it would write',
  '.ci/run': 'the CI entry point (installs Chromium, starts databases)',
};

/** The command a doc mention selects: `npm run x`, `npx patient-graph a b` → `patient-graph a b`, … */
function commandOf(mention: string): string | undefined {
  const words = mention.replace(/^npx (--no-install )?/, '').split(/\s+/);
  if (words[0] === 'npm') return words[1] === 'run' ? `npm run ${words[2] ?? ''}` : `npm ${words[1] ?? ''}`;
  if (words[0] === '.ci/run') return '.ci/run';
  if (words[0] !== 'patient-graph') return undefined;
  const path = words.slice(1).filter((w, i, all) => /^[a-z][a-z0-9-]*$/.test(w) && all.slice(0, i).every((p) => /^[a-z][a-z0-9-]*$/.test(p))).slice(0, 2);
  return ['patient-graph', ...path].join(' ');
}

/**
 * Subcommands a test runs through a helper of its own (`const cli = (...args) => runCli(['audit', ...args])`
 * then `cli('acknowledge-gap', …)`, or `args = ['identity', 'sync', …]` then `runCli(args)`): in a file
 * that calls runCli, a literal `'a', 'b'` pair or a `cli('b'` call after `runCli(['a', ...`.
 */
function commandsRunThroughHelpers(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return commandsRunThroughHelpers(join(dir, e.name));
    if (!e.name.endsWith('.ts')) return [];
    const text = readFileSync(join(dir, e.name), 'utf8');
    if (!text.includes('runCli(')) return [];
    const pairs = [...text.matchAll(/\[\s*'([a-z0-9-]+)',\s*'([a-z0-9-]+)'/g)].map((m) => `patient-graph ${m[1] ?? ''} ${m[2] ?? ''}`);
    const helper = /runCli\(\[\s*'([a-z0-9-]+)',\s*\.\.\.args/.exec(text)?.[1];
    const viaHelper = helper ? [...text.matchAll(/\bcli\('([a-z0-9-]+)'/g)].map((m) => `patient-graph ${helper} ${m[1] ?? ''}`) : [];
    return [...pairs, ...viaHelper];
  });
}

/** Every test source, to find which CLI paths and npm scripts tests run. */
function testSources(dir: string): string {
  return readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? testSources(join(dir, e.name)) : e.name.endsWith('.ts') ? readFileSync(join(dir, e.name), 'utf8') : '')).join('\n');
}

describe('every command the docs show is run by a test, or listed with a reason', () => {
  it('finds each in a test', () => {
    const tests = testSources(join(ROOT, 'test'));
    const ranCliPaths = new Set([
      ...[...tests.matchAll(/(?:runCli|startCli)\(\[\s*'([a-z0-9-]+)'(?:,\s*'([a-z0-9-]+)')?/g)].flatMap((m) => [`patient-graph ${m[1] ?? ''}`, ...(m[2] ? [`patient-graph ${m[1] ?? ''} ${m[2]}`] : [])]),
      ...commandsRunThroughHelpers(join(ROOT, 'test')),
    ]);
    // Scripts whose command a test runs directly: npm start is `patient-graph demo`, codegen is `schema codegen`.
    const ranScripts = new Map([['npm start', 'patient-graph demo'], ['npm run codegen', 'patient-graph schema codegen']]);
    const mentions = [...DOCS.matchAll(/`((?:npx |npm |patient-graph |\.ci\/run)[^`]*)`/g), ...shellBlocks.flatMap((b) => [...b.matchAll(/^(?:[A-Z_]+=\S+ |TOKEN=\$\()?((?:npx |npm )[^)#\n]*)/gm)])].map((m) => m[1] ?? '');
    const commands = [...new Set(mentions.map(commandOf).filter((c): c is string => c !== undefined))];
    const untested = commands.filter((command) => {
      if (NOT_RUN_BY_TESTS[command]) return false;
      const cli = ranScripts.get(command) ?? command;
      if (cli === 'patient-graph') return !tests.includes('runCli([])');
      // `patient-graph help <command>` and `<command> --help` are run by cliHelp.test.ts for every command.
      if (cli === 'patient-graph help' || cli.endsWith(' --help')) return !tests.includes("runCli(['help'");
      return ![...ranCliPaths].some((ran) => ran === cli || ran.startsWith(`${cli} `));
    });
    expect(commands.length).toBeGreaterThan(20);
    expect(untested).toEqual([]);
  });
});
