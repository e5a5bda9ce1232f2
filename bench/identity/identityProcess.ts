import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { generateNonce } from '../../core/security/generateNonce';
import { signRequest, type SignedPrincipal } from '../../core/security/requestSignature';

/** The identity subgraph running in its own process (bench/identity/serveIdentityIndex.ts). */
export interface IdentityProcess {
  readonly url: string;
  /** Resident set size of the subgraph's process now, in MB (from /proc, Linux). */
  rssMb(): number;
  /** One signed GraphQL request as a registrar; the parsed answer. */
  query(body: { query: string; variables: Record<string, unknown> }): Promise<unknown>;
  stop(): Promise<void>;
}

const REGISTRAR: SignedPrincipal = { sub: 'bench-registrar', role: 'registrar', facilityCode: '01001', purposeOfUse: 'treatment' };

export async function startIdentityProcess(indexUrl: string, secret: string): Promise<IdentityProcess> {
  // node itself (tsx as a loader), so the pid is the subgraph's process and not a wrapper's.
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'serveIdentityIndex.ts')], {
    env: { ...process.env, BENCH_INDEX_URL: indexUrl, BENCH_SIGNING_SECRET: secret },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`identity subgraph exited with ${code}`)));
    if (!child.stdout) throw new Error('identity subgraph: no stdout');
    createInterface({ input: child.stdout }).once('line', (line) => resolve(line.trim()));
  });
  const pid = child.pid ?? 0;
  return {
    url,
    rssMb: () => {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return match ? Number(match[1]) / 1024 : Number.NaN;
    },
    async query(request) {
      const body = JSON.stringify(request);
      const headers = signRequest({ secret, method: 'POST', target: 'identity', body, principal: REGISTRAR, timestampMs: Date.now(), nonce: generateNonce() });
      const response = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
      if (!response.ok) throw new Error(`identity subgraph answered ${response.status}`);
      return (await response.json());
    },
    stop: () => new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}
