import type autocannon from 'autocannon';
import { generateNonce } from '../core/security/generateNonce';
import { signRequest } from '../core/security/requestSignature';

/** The signing secret of the subgraphs a benchmark starts and loads directly. */
const BENCH_SECRET = 'bench-subgraph-signing-secret-0123456789abcdef';

/** `signing` for a subgraph a benchmark starts. */
export function benchSigning(target: string): { secret: string; target: string } {
  return { secret: BENCH_SECRET, target };
}

/** Headers of one signed POST (fresh timestamp and nonce: the replay guard refuses repeats). */
export function signedHeaders(target: string, body: string): Record<string, string> {
  const signature = signRequest({ secret: BENCH_SECRET, method: 'POST', target, body, principal: null, timestampMs: Date.now(), nonce: generateNonce() });
  return { 'content-type': 'application/json', ...signature };
}

/** An autocannon request that signs itself anew each time it is sent. */
export function signedAutocannonRequest(target: string, body: string): autocannon.Request {
  return { method: 'POST', body, setupRequest: (request) => ({ ...request, headers: signedHeaders(target, body) }) };
}
