import { spawn, type ChildProcess } from 'node:child_process';
import { DEMO_HEAP_OPTION } from '../demo/demoHeapLimit';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { issueDevelopmentToken } from '../gateway/auth/developmentAuth';
import { loadAverage } from './peers/peerStatistics';
import { recordBenchmarkResults } from './recordBenchmarkResults';

/**
 * The demo's memory as `npm start` runs it (issue 9: ≤ 600 MB after start and under load): the
 * compiled demo (`dist/`) in a child process with a fresh state folder, started once to fill its
 * cache (PGlite's initdb template) and again to be measured. Total RSS of the process tree from
 * /proc 2 s after the banner, its peak while DEMO_MEMORY_CLIENTS clients send the banner's
 * merged-patient query for DEMO_MEMORY_SECONDS (each client its own clinician token, so the
 * demo's per-caller rate limit answers most requests instead of refusing them), and after.
 * Several checkouts (DEMO_MEMORY_CHECKOUTS, comma-separated, each built with `npm run build`) run
 * alternately, DEMO_MEMORY_ROUNDS rounds, for before/after figures on one machine.
 *
 * Run: `npm run build && npm run bench:demo-memory`.
 */
interface Run {
  readonly checkout: string;
  readonly readyS: number;
  readonly cpuToReadyS: number;
  readonly afterStartMb: number;
  readonly peakMb: number;
  readonly afterLoadMb: number;
  readonly requests: number;
  readonly ok: number;
  readonly failed: number;
}

const PAGE_KB = 4;

async function main(): Promise<void> {
  const checkouts = (process.env.DEMO_MEMORY_CHECKOUTS ?? resolve(__dirname, '..')).split(',').map((c) => resolve(c.trim()));
  const rounds = Number(process.env.DEMO_MEMORY_ROUNDS ?? 2);
  const clients = Number(process.env.DEMO_MEMORY_CLIENTS ?? 10);
  const seconds = Number(process.env.DEMO_MEMORY_SECONDS ?? 15);
  for (const checkout of checkouts) {
    if (!existsSync(join(checkout, 'dist', 'cli', 'main.js'))) throw new Error(`${checkout}: no dist/ (run npm run build there)`);
  }
  const runs: Run[] = [];
  for (let round = 0; round < rounds; round += 1) {
    for (const checkout of round % 2 === 0 ? checkouts : [...checkouts].reverse()) {
      const run = await measure(checkout, clients, seconds);
      process.stderr.write(`${JSON.stringify(run)}\n`);
      runs.push(run);
    }
  }
  report(runs, { clients, seconds, rounds, checkouts });
}

async function measure(checkout: string, clients: number, seconds: number): Promise<Run> {
  const stateDir = mkdtempSync(join(tmpdir(), 'patient-graph-demo-memory-'));
  try {
    // The first start fills the cache (initdb template), as a user's first `npm start` does.
    const first = await startDemo(checkout, stateDir);
    await stopDemo(first.child);
    const demo = await startDemo(checkout, stateDir);
    try {
      const cpuToReadyS = treeCpuSeconds(demo.child.pid ?? 0);
      await sleep(2_000);
      const afterStartMb = treeRssMb(demo.child.pid ?? 0);
      let peakMb = afterStartMb;
      const sampler = setInterval(() => (peakMb = Math.max(peakMb, treeRssMb(demo.child.pid ?? 0))), 500);
      const tokens = await Promise.all(Array.from({ length: clients }, (_, i) => clinicianToken(demo.token, `demo-memory-${i}`)));
      let next = 0;
      const result = await autocannon({
        url: demo.gatewayUrl,
        method: 'POST',
        connections: clients,
        duration: seconds,
        headers: { 'content-type': 'application/json' },
        body: demo.body,
        setupClient: (client) => {
          client.setHeaders({ 'content-type': 'application/json', authorization: `Bearer ${tokens[next++ % tokens.length] ?? ''}` });
        },
      });
      clearInterval(sampler);
      await sleep(2_000);
      const afterLoadMb = treeRssMb(demo.child.pid ?? 0);
      return {
        checkout,
        readyS: demo.readyS,
        cpuToReadyS,
        afterStartMb,
        peakMb: Math.max(peakMb, afterLoadMb),
        afterLoadMb,
        requests: result.requests.total,
        ok: result['2xx'],
        failed: result.errors + result.non2xx,
      };
    } finally {
      await stopDemo(demo.child);
    }
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}

interface StartedDemo {
  readonly child: ChildProcess;
  readonly readyS: number;
  readonly gatewayUrl: string;
  readonly token: string;
  readonly body: string;
}

/** Starts the compiled demo and resolves once its banner is complete (the curl example printed). */
function startDemo(checkout: string, stateDir: string): Promise<StartedDemo> {
  const program = `require(${JSON.stringify(join(checkout, 'dist', 'cli', 'main.js'))}).runCli(['demo', '--port', '0'])`;
  const started = performance.now();
  // With the heap limit `npm start` gives the demo (package.json).
  const child = spawn(process.execPath, [DEMO_HEAP_OPTION, '-e', program], {
    cwd: stateDir,
    env: { ...process.env, PATIENT_GRAPH_STATE_DIR: stateDir, LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise<StartedDemo>((resolvePromise, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.once('exit', (code) => reject(new Error(`the demo exited (${code ?? 'signal'}) before it was ready: ${err.slice(-2000)}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (!out.includes('Press Ctrl+C')) return;
      const readyS = (performance.now() - started) / 1000;
      const gatewayUrl = /gateway\s+(http:\/\/\S+\/graphql)/.exec(out)?.[1];
      const token = /authorization: Bearer ([\w.-]+)/.exec(out)?.[1];
      const body = / -d '(.*)'\n/.exec(out)?.[1];
      if (!gatewayUrl || !token || !body) reject(new Error(`unexpected banner: ${out}`));
      else resolvePromise({ child, readyS, gatewayUrl, token, body });
    });
  });
}

async function stopDemo(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.removeAllListeners('exit'); // the start-up's rejection
  const exited = new Promise<void>((resolvePromise) => child.once('exit', () => resolvePromise()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** A clinician token like the banner's (same facility), for another caller. */
async function clinicianToken(bannerToken: string, sub: string): Promise<string> {
  const payload = JSON.parse(Buffer.from(bannerToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { facility_code?: string };
  return issueDevelopmentToken({ role: 'clinician', sub, facilityCode: payload.facility_code ?? null });
}

/** The process and its descendants (a tsx child, spawned initdb), from /proc. */
function processTree(root: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // exited meanwhile
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i += 1) tree.push(...(parents.get(tree[i] ?? -1) ?? []));
  return tree;
}

function treeRssMb(root: number): number {
  let pages = 0;
  for (const pid of processTree(root)) {
    try {
      pages += Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
    } catch {
      // exited meanwhile
    }
  }
  return Math.round((pages * PAGE_KB) / 1024);
}

/** User + system CPU of the tree (all threads), from /proc (clock ticks of 1/100 s). */
function treeCpuSeconds(root: number): number {
  let ticks = 0;
  for (const pid of processTree(root)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // exited meanwhile
    }
  }
  return ticks / 100;
}

function report(runs: readonly Run[], setup: { clients: number; seconds: number; rounds: number; checkouts: readonly string[] }): void {
  const label = (checkout: string): string => (setup.checkouts.length === 1 ? 'this checkout' : `checkout ${setup.checkouts.indexOf(checkout) + 1}`);
  const lines = [
    `### The demo's memory: \`npm start\` after start and under ${setup.clients} clients — ${new Date().toISOString().slice(0, 10)}`,
    '',
    `Command: \`npm run build && DEMO_MEMORY_CLIENTS=${setup.clients} DEMO_MEMORY_SECONDS=${setup.seconds} DEMO_MEMORY_ROUNDS=${setup.rounds}${setup.checkouts.length > 1 ? ' DEMO_MEMORY_CHECKOUTS=<checkouts>' : ''} npm run bench:demo-memory\` (the compiled demo in its own process with a fresh state folder, second start measured; total RSS of its process tree; ${setup.clients} clients with their own clinician tokens for ${setup.seconds} s; runs in the order shown). Load average when done: ${loadAverage()}.`,
    '',
    '| run | ready s | CPU s to ready | RSS after start MB | peak RSS under load MB | RSS after load MB | requests | 2xx | failed |',
    '|---|---|---|---|---|---|---|---|---|',
    ...runs.map((r) => `| ${label(r.checkout)} | ${r.readyS.toFixed(1)} | ${r.cpuToReadyS.toFixed(1)} | ${r.afterStartMb} | ${r.peakMb} | ${r.afterLoadMb} | ${r.requests} | ${r.ok} | ${r.failed} |`),
    '',
  ];
  if (setup.checkouts.length > 1) lines.push(...setup.checkouts.map((c, i) => `Checkout ${i + 1}: ${c}.`), '');
  recordBenchmarkResults(lines.join('\n'));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolvePromise) => setTimeout(resolvePromise, ms));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:demo-memory failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
