import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { postGraphQL } from '../helpers/postGraphQL';
import { runAsPostgresAdmin } from '../helpers/postgresAdmin';
import { runCli, startCli } from '../helpers/runCli';

const DATABASE = 'readme_contract_demo_index';
const INDEX_URL = `postgres://postgres@127.0.0.1:5432/${DATABASE}`;

/**
 * README "Quick start" and "Configuration": the demo's environment variables, set as a user sets
 * them in the shell — `PORT` and `HOST` (no options), `PATIENT_GRAPH_INDEX=postgres://…` for the
 * patient index, `LOG_LEVEL` (JSON lines on stderr, without PHI).
 */
describe('patient-graph demo configured by environment variables only', () => {
  let demo: Awaited<ReturnType<typeof startCli>>;

  beforeAll(async () => {
    await runAsPostgresAdmin(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await runAsPostgresAdmin(`CREATE DATABASE ${DATABASE}`);
    const stateDir = join(mkdtempSync(join(tmpdir(), 'pg-readme-env-')), '.patient-graph');
    demo = await startCli(['demo'], 'Press Ctrl+C to stop.', 120_000, { PORT: '0', HOST: '127.0.0.2', PATIENT_GRAPH_INDEX: INDEX_URL, PATIENT_GRAPH_STATE_DIR: stateDir, LOG_LEVEL: 'debug' });
  }, 150_000);

  afterAll(async () => {
    if (demo.child.exitCode === null) {
      const closed = new Promise((resolve) => demo.child.on('close', resolve));
      demo.child.kill('SIGTERM');
      await closed;
    }
    await runAsPostgresAdmin(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  }, 60_000);

  it('listens where PORT and HOST say, keeps the patient index in the PostgreSQL PATIENT_GRAPH_INDEX names, and logs JSON lines without the patient', async () => {
    const out = demo.stdout();
    // PORT=0: any free port, on HOST's address (not the default 127.0.0.1).
    const url = /gateway\s+(http:\/\/127\.0\.0\.2:(\d+)\/graphql)/.exec(out);
    expect(url).not.toBeNull();
    expect(url?.[2]).not.toBe('4000');
    expect(out).toContain(`patient index:   PostgreSQL ${INDEX_URL}`);

    // The example query, then a registrar's match review: the index in that database answers both.
    const token = /-H 'authorization: Bearer (\S+)'/.exec(out)?.[1];
    const query = JSON.parse(/-d '(.*)'/.exec(out)?.[1] ?? '{}') as { query: string };
    const example = await postGraphQL<{ patient: { nationalId: string; name: { full: string } } }>(url?.[1] ?? '', query.query, {}, token);
    expect(example.body.errors).toBeUndefined();
    const registrar = /registrar at \d{5}\s+(\S+)/.exec(out)?.[1];
    const reviews = await postGraphQL<{ matchReviews: unknown[] }>(url?.[1] ?? '', '{ matchReviews(first: 5) { id decision } }', {}, registrar);
    expect(reviews.body.errors).toBeUndefined();

    const client = new Client({ connectionString: INDEX_URL });
    await client.connect();
    try {
      const tables = await client.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'identity_%'");
      expect(tables.rows.length).toBeGreaterThan(0);
      // Every person of the demo's index is in that database.
      const people = Number(/patient index of (\d+) people/.exec(out)?.[1]);
      const persons = await client.query<{ n: string }>('SELECT count(*)::text AS n FROM identity_person');
      expect(Number(persons.rows[0]?.n)).toBeGreaterThanOrEqual(people);
    } finally {
      await client.end();
    }

    // LOG_LEVEL=debug: log lines on stderr, each a JSON object, none naming the patient just read.
    const lines = demo.stderr().split('\n').filter((line) => line.trim() !== '');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    const patient = example.body.data?.patient;
    expect(demo.stderr()).not.toContain(patient?.nationalId ?? 'no patient');
    expect(demo.stderr()).not.toContain(patient?.name.full ?? 'no patient');
  }, 120_000);
});

describe('patient-graph token in production', () => {
  it('refuses to print a development token when NODE_ENV=production (exit 1, no token on stdout)', async () => {
    const { code, stdout, stderr } = await runCli(['token', '--role', 'analyst'], { NODE_ENV: 'production' });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('refused');
  }, 60_000);
});
