import autocannon from 'autocannon';

/** What the soak asks its load generator (JSON in argv[2]). */
export interface SoakLoad {
  readonly url: string;
  readonly token: string;
  readonly body: string;
  readonly connections: number;
  readonly seconds: number;
}

/** What the load generator answers over IPC when done. */
export interface SoakLoadResult {
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Connection errors, autocannon's timeouts (10 s without an answer) included. */
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly graphqlErrors: number;
  /** This process's RSS at the end (autocannon's own memory, kept out of the demo's figure). */
  readonly rssMb: number;
}

/**
 * The soak's load generator in its own process (bench/runSoak.ts forks it), so the demo process's
 * RSS and CPU are the demo's alone; its own RSS is reported beside them.
 */
async function main(): Promise<void> {
  const load = JSON.parse(process.argv[2] ?? '{}') as SoakLoad;
  let graphqlErrors = 0;
  const result = await autocannon({
    url: load.url,
    method: 'POST',
    connections: load.connections,
    duration: load.seconds,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${load.token}` },
    body: load.body,
    setupClient: (client) => {
      client.on('body', (body: Buffer) => {
        if (body.includes('"errors"')) graphqlErrors += 1;
      });
    },
  });
  const answer: SoakLoadResult = {
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    graphqlErrors,
    rssMb: process.memoryUsage().rss / 1024 / 1024,
  };
  process.send?.(answer);
}

main().catch((error: unknown) => {
  process.stderr.write(`soak load generator failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
