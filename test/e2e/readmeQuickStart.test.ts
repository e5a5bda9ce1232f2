import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { postGraphQL } from '../helpers/postGraphQL';
import { runProcess } from '../helpers/runCli';

const ROOT = join(__dirname, '..', '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const graphqlBlock = (containing: string): string => {
  const block = [...README.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1] ?? '').find((b) => b.includes(containing));
  if (!block) throw new Error(`README has no graphql block with ${containing}`);
  return block;
};

/**
 * A fresh clone of this checkout: every tracked or new file as it is now, but no `dist/` and no
 * `.patient-graph/` (both ignored by git), with the installed `node_modules` linked in (`npm ci`).
 */
function freshClone(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pg-readme-clone-'));
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split('\0').filter((f) => f !== '' && existsSync(join(ROOT, f)))) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(dir, file));
  }
  symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(dir, 'node_modules'));
  return dir;
}

/** The user's shell: no test settings, none of the variables that would change the demo's defaults. */
function userEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0' };
  for (const name of ['NODE_ENV', 'JEST_WORKER_ID', 'HOST', 'LOG_LEVEL', 'PATIENT_GRAPH_STATE_DIR', 'PATIENT_GRAPH_INDEX', 'PATIENT_GRAPH_MODE']) delete env[name];
  return env;
}

interface Started {
  readonly child: ChildProcessWithoutNullStreams;
  readonly stdout: () => string;
  readonly stderr: () => string;
}

/** `npm start` in `cwd`, in its own process group (as a terminal runs it), resolved once it says it is ready. */
async function npmStart(cwd: string, timeoutMs: number): Promise<Started> {
  const child = spawn('npm', ['start'], { cwd, env: userEnvironment(), detached: true });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  // Not ready — too slow, or npm ended: end the whole group so nothing it started outlives the test.
  const endGroup = (): void => {
    try {
      process.kill(-(child.pid ?? 0), 'SIGKILL');
    } catch {
      // the group is already empty
    }
  };
  await new Promise<void>((resolve, reject) => {
    const onExit = (code: number | null): void => {
      clearTimeout(timer);
      endGroup();
      reject(new Error(`npm start exited with ${code} before it was ready; stdout: ${stdout}; stderr: ${stderr}`));
    };
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      endGroup();
      reject(new Error(`npm start not ready after ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (stdout.includes('Press Ctrl+C to stop.')) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve();
      }
    });
    child.once('exit', onExit);
  });
  return { child, stdout: () => stdout, stderr: () => stderr };
}

/**
 * Ctrl+C: SIGINT to the whole foreground process group. Resolves once npm has ended — by the signal
 * (npm re-raises it, the shell's 130) or with 0 — and no process of the group is left.
 */
async function ctrlC(started: Started): Promise<{ ended: boolean; groupLeft: boolean }> {
  const group = started.child.pid ?? 0;
  const closed = new Promise<boolean>((resolve) => started.child.on('close', (code, signal) => resolve(code === 0 || signal === 'SIGINT')));
  process.kill(-group, 'SIGINT');
  const ended = await closed;
  const alive = (): boolean => {
    try {
      process.kill(-group, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (let i = 0; i < 120 && alive(); i++) await new Promise((resolve) => setTimeout(resolve, 500));
  return { ended, groupLeft: alive() };
}

const running = (started: Started | undefined): started is Started => started !== undefined && started.child.exitCode === null && started.child.signalCode === null;

const printed = (out: string, pattern: RegExp): string => {
  const value = pattern.exec(out)?.[1];
  if (value === undefined) throw new Error(`npm start did not print ${String(pattern)}:\n${out}`);
  return value;
};

describe('README quick start, literally: `npm ci && npm start` in a fresh clone (no dist/, no .patient-graph/)', () => {
  let clone: string;
  let first: Started | undefined;

  beforeAll(() => {
    clone = freshClone();
  });

  afterAll(async () => {
    if (running(first)) await ctrlC(first);
    rmSync(clone, { recursive: true, force: true });
  });

  it('compiles once, starts the demo with its state in .patient-graph/, answers the printed curl and the README queries, and stops on Ctrl+C', async () => {
    expect(existsSync(join(clone, 'dist'))).toBe(false);
    expect(existsSync(join(clone, '.patient-graph'))).toBe(false);
    // Compiling all of dist/ on a loaded 2-core machine takes minutes; the start itself well under one.
    first = await npmStart(clone, 540_000);
    const out = first.stdout();
    expect(first.stderr()).toContain('compiling to dist/');
    expect(existsSync(join(clone, 'dist', '.build-stamp'))).toBe(true);

    // The gateway on 127.0.0.1 (HOST's default) at the port PORT asked for (0: any free one).
    const url = printed(out, /gateway\s+(http:\/\/127\.0\.0\.1:\d+\/graphql)/);
    // The audit trail and the persistent patient index in `.patient-graph/` of the working directory.
    expect(printed(out, /audit trail:\s+(\S+)/)).toBe(join(clone, '.patient-graph', 'audit.jsonl'));
    expect(printed(out, /patient index:\s+PGlite data directory (\S+)/)).toBe(join(clone, '.patient-graph', 'patient-index'));
    expect(existsSync(join(clone, '.patient-graph', 'patient-index', 'PG_VERSION'))).toBe(true);

    // The explorer at the gateway's address, without a token.
    const explorer = await fetch(url.replace(/graphql$/, ''));
    expect(explorer.status).toBe(200);
    expect(explorer.headers.get('content-type')).toContain('text/html');

    // The ready `curl` command it prints, pasted into a shell: the example patient from several hospitals.
    const curl = printed(out, /^(curl -s (?:.*\\\n)*.*)$/m);
    const ran = await runProcess('bash', ['-euo', 'pipefail', '-c', curl]);
    expect(ran.code).toBe(0);
    const answer = JSON.parse(ran.stdout) as { data?: { patient: { nationalId: string; facilityCodes: string[] } }; errors?: unknown };
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.patient.facilityCodes.length).toBeGreaterThanOrEqual(2);

    // README "Example queries": the national ID it shows is the one npm start prints.
    const nationalId = answer.data?.patient.nationalId ?? '';
    const patientQuery = graphqlBlock('patient(nationalId:');
    expect(patientQuery).toContain(`"${nationalId}"`);
    const token = (role: string): string => printed(out, new RegExp(`^  ${role}\\b.*?\\s(eyJ\\S+)$`, 'm'));

    interface Encounter { period: { start: string }; source: { facilityCode: string }; match: { method: string; confidence: number } }
    const merged = await postGraphQL<{ patient: { facilityCodes: string[]; encounters: Encounter[]; insuranceCard: { status: string } | null } }>(url, patientQuery, {}, token('clinician'));
    expect(merged.body.errors).toBeUndefined();
    const patient = merged.body.data?.patient;
    // Encounters only from the hospitals of the record locator, newest first, each with source and match.
    expect(patient?.encounters.length).toBeGreaterThan(1);
    for (const e of patient?.encounters ?? []) expect(patient?.facilityCodes).toContain(e.source.facilityCode);
    const starts = (patient?.encounters ?? []).map((e) => Date.parse(e.period.start));
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
    expect(patient?.encounters.every((e) => ['NATIONAL_ID', 'INSURANCE_NUMBER', 'DEMOGRAPHICS'].includes(e.match.method))).toBe(true);
    expect(patient?.insuranceCard?.status).toBeDefined();

    // The analytics example, as the analyst: no count from 1 to 9 leaves, released counts rounded to 5.
    interface Cell { encounters: number | null; suppressed: boolean; suppressionReason: string | null; roundedTo: number | null }
    const analytics = await postGraphQL<{ diagnosisCounts: Cell[]; encounterCount: number | null }>(url, graphqlBlock('diagnosisCounts('), {}, token('analyst'));
    expect(analytics.body.errors).toBeUndefined();
    const cells = analytics.body.data?.diagnosisCounts ?? [];
    expect(cells.length).toBe(10);
    for (const cell of cells) {
      if (cell.suppressed) expect({ encounters: cell.encounters, reason: ['BELOW_THRESHOLD', 'COMPLEMENTARY'].includes(cell.suppressionReason ?? '') }).toEqual({ encounters: null, reason: true });
      else expect({ multipleOf5: (cell.encounters ?? 1) % 5 === 0, small: (cell.encounters ?? 0) >= 1 && (cell.encounters ?? 0) <= 9, roundedTo: cell.roundedTo }).toEqual({ multipleOf5: true, small: false, roundedTo: 5 });
    }
    const count = analytics.body.data?.encounterCount;
    if (count !== null && count !== undefined) expect(count % 5).toBe(0);

    // Browsing the patient index, as the registrar: every person of the demo's index.
    const people = Number(printed(out, /patient index of (\d+) people/));
    const index = await postGraphQL<{ patients: { totalCount: number; edges: unknown[] } }>(url, graphqlBlock('patients(first:'), {}, token('registrar'));
    expect(index.body.errors).toBeUndefined();
    expect(index.body.data?.patients).toMatchObject({ totalCount: people });
    expect(index.body.data?.patients.edges).toHaveLength(20);

    // Ctrl+C stops every process: the gateway no longer answers.
    expect(await ctrlC(first)).toEqual({ ended: true, groupLeft: false });
    await expect(fetch(url.replace(/graphql$/, 'healthz'))).rejects.toThrow();
  }, 600_000);

  it('starts again from the compiled dist/ without compiling, with the same state folder', async () => {
    expect(existsSync(join(clone, 'dist', '.build-stamp'))).toBe(true);
    const again = await npmStart(clone, 180_000);
    try {
      expect(again.stderr()).not.toContain('compiling');
      expect(again.stdout()).toContain(`PGlite data directory ${join(clone, '.patient-graph', 'patient-index')}`);
    } finally {
      expect(await ctrlC(again)).toEqual({ ended: true, groupLeft: false });
    }
  }, 240_000);

  it('never runs stale compiled code: after a change to the sources, patient-graph runs the sources', async () => {
    const main = join(clone, 'cli', 'main.ts');
    const edited = readFileSync(main, 'utf8').replace("'print the version and exit'", "'print the version and exit (edited after the build)'");
    expect(edited).toContain('(edited after the build)');
    writeFileSync(main, edited);
    const { code, stdout } = await runProcess(process.execPath, [join(clone, 'bin', 'patient-graph.js'), '--help'], { cwd: clone, env: userEnvironment() });
    expect(code).toBe(0);
    expect(stdout).toContain('(edited after the build)');
  }, 120_000);
});
