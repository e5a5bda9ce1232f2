import type { IncomingMessage, ServerResponse } from 'node:http';

/** One thing a gateway needs before it can serve: the supergraph, the registry, a state store. */
export interface ReadinessCheck {
  readonly name: string;
  /** Resolves true when ready; false or a rejection (or no answer within the timeout) when not. */
  readonly check: () => Promise<boolean>;
}

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

const CHECK_TIMEOUT_MS = 2000;

/**
 * `GET /readyz` in front of a request listener (Kubernetes readiness convention): 200 when every
 * check passes, else 503 naming each one that does not, so a load balancer sends no traffic to a
 * replica that has not loaded its registry or cannot reach its state stores. `/healthz` (liveness)
 * stays with the HTTP edge: a replica that is alive but not ready must not be restarted for it.
 */
export function withReadiness(checks: readonly ReadinessCheck[], next: RequestListener): RequestListener {
  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://edge.local').pathname;
    if (path !== '/readyz') {
      next(req, res);
      return;
    }
    void Promise.all(checks.map(async (c) => ({ name: c.name, ready: await withinTimeout(c.check) }))).then((results) => {
      const notReady = results.filter((r) => !r.ready).map((r) => r.name);
      const body = notReady.length === 0 ? { status: 'ready', checks: results.map((r) => r.name) } : { status: 'not-ready', notReady };
      res.statusCode = notReady.length === 0 ? 200 : 503;
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.setHeader('cache-control', 'no-store');
      res.end(JSON.stringify(body));
    });
  };
}

async function withinTimeout(check: () => Promise<boolean>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check().catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
