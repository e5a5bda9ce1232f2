import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postGraphQL } from '../helpers/postGraphQL';
import { runCli, startCli } from '../helpers/runCli';

describe('patient-graph demo (what npm start runs)', () => {
  it('starts the network, prints the gateway URL and an example query that returns a merged record, and stops on SIGTERM', async () => {
    // A state folder that does not exist yet, as in a fresh clone (`.patient-graph` is made by the first start).
    const stateDir = join(mkdtempSync(join(tmpdir(), 'pg-e2e-')), 'state', '.patient-graph');
    const demo = await startCli(['demo', '--port', '0'], 'Press Ctrl+C to stop.', 110_000, { PATIENT_GRAPH_STATE_DIR: stateDir });
    try {
      const out = demo.stdout();
      const url = /gateway\s+(http:\/\/127\.0\.0\.1:\d+\/graphql)/.exec(out)?.[1];
      expect(url).toBeDefined();
      expect(out).toMatch(/hospital \d{5}/);
      const query = /-d '(.*)'/.exec(out)?.[1];
      expect(query).toBeDefined();
      const { query: text } = JSON.parse(query ?? '{}') as { query: string };
      const token = /-H 'authorization: Bearer (\S+)'/.exec(out)?.[1];
      expect(token).toBeDefined();

      const anonymous = await fetch(url ?? '', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: text }) });
      expect(anonymous.status).toBe(401);

      const { status, body } = await postGraphQL<{ patient: { facilityCodes: string[]; encounters: { source: { facilityCode: string } }[]; insuranceCard: { status: string } } }>(url ?? '', text, {}, token);
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      const patient = body.data?.patient;
      expect(patient?.facilityCodes.length).toBeGreaterThanOrEqual(2);
      expect(new Set(patient?.encounters.map((e) => e.source.facilityCode))).toEqual(new Set(patient?.facilityCodes));
      expect(patient?.insuranceCard.status).toBe('VALID');

      // It says where the QĐ 130 claim files and the audit trail are, and the audit file is there.
      const folder = /QĐ 130 folder of (\d{5}): (\S+)/.exec(out);
      expect(folder?.[2]).toBeDefined();
      expect(readdirSync(folder?.[2] ?? '').some((name) => name.endsWith('.xml'))).toBe(true);
      // …and where its index is: a PGlite data directory on disk, no PostgreSQL needed.
      const index = /QĐ 130 index of (\d{5}):\s+(\S+) \(PGlite\)/.exec(out);
      expect(index?.[1]).toBe(folder?.[1]);
      expect(readdirSync(index?.[2] ?? '')).toContain('PG_VERSION');
      const audit = /audit trail:\s+(\S+)/.exec(out)?.[1];
      expect(audit).toBe(join(stateDir, 'audit.jsonl'));
      expect(readFileSync(audit ?? '', 'utf8')).toContain('"sub":"demo-clinician"');
      expect(out).toContain(`explorer         ${url?.replace(/graphql$/, '')}`);

      // The patient index is the persistent SQL one on PGlite, in the state directory it names:
      // match review answers (an in-memory index would say PATIENT_INDEX_READ_ONLY).
      const indexDir = /patient index:\s+PGlite data directory (\S+)/.exec(out)?.[1];
      expect(indexDir).toBe(join(stateDir, 'patient-index'));
      expect(existsSync(join(indexDir ?? '', 'PG_VERSION'))).toBe(true);
      const registrar = /registrar at \d{5}\s+(\S+)/.exec(out)?.[1];
      const reviews = await postGraphQL<{ matchReviews: unknown[] }>(url ?? '', '{ matchReviews(first: 5) { id decision } }', {}, registrar);
      expect(reviews.body.errors).toBeUndefined();
      expect(Array.isArray(reviews.body.data?.matchReviews)).toBe(true);
    } finally {
      demo.child.kill('SIGTERM');
    }
    const code = await new Promise<number | null>((resolve) => demo.child.on('close', resolve));
    expect(code).toBe(0);
  }, 150_000);
});

describe('patient-graph supergraph print', () => {
  it('prints the composed supergraph with the three contracts joined', async () => {
    const { code, stdout } = await runCli(['supergraph', 'print']);
    expect(code).toBe(0);
    expect(stdout).toContain('join__Graph');
    for (const contract of ['IDENTITY', 'CLINICAL', 'INSURANCE']) expect(stdout).toContain(contract);
  });

  it('prints the client schema without federation metadata or merge directives with --api', async () => {
    const { code, stdout } = await runCli(['supergraph', 'print', '--api']);
    expect(code).toBe(0);
    expect(stdout).toContain('type Patient');
    expect(stdout).not.toMatch(/join__|MergeStrategy|IdentifierKind/);
  });

  it('exits 2 with the usage on an unknown option', async () => {
    const { code, stderr } = await runCli(['supergraph', 'print', '--nope']);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown option '--nope'");
  });
});
