import { generateNonce } from '../../core/security/generateNonce';
import { signRequest, type SignedPrincipal } from '../../core/security/requestSignature';
import type { GraphQLHttpResponse } from './postGraphQL';

export interface TestSigning {
  readonly secret: string;
  /** Facility code, `identity` or `insurance`. */
  readonly target: string;
  readonly principal?: SignedPrincipal | null;
  /** Default: now. */
  readonly timestampMs?: number;
  /** Default: a fresh random nonce. */
  readonly nonce?: string;
}

/** A GraphQL POST exactly as it goes on the wire: body bytes and headers, signature included. */
export interface SignedRequest {
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** Signs a GraphQL operation as the gateway would (`fetchFromSource`). */
export function signGraphQLRequest(query: string, variables: Record<string, unknown>, signing: TestSigning): SignedRequest {
  const body = JSON.stringify({ query, variables });
  const signature = signRequest({
    secret: signing.secret,
    method: 'POST',
    target: signing.target,
    body,
    principal: signing.principal ?? null,
    timestampMs: signing.timestampMs ?? Date.now(),
    nonce: signing.nonce ?? generateNonce(),
  });
  return { body, headers: { 'content-type': 'application/json', ...signature } };
}

/** POSTs a request as given (signed, tampered or replayed) to a real server. */
export async function postRequest(url: string, request: SignedRequest): Promise<GraphQLHttpResponse & { readonly headers: Headers }> {
  const response = await fetch(url, { method: 'POST', headers: request.headers, body: request.body });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as GraphQLHttpResponse['body'], text, headers: response.headers };
}

/** Signs and POSTs a GraphQL operation to a subgraph, as its gateway would. */
export async function signedPost(url: string, query: string, variables: Record<string, unknown>, signing: TestSigning): Promise<GraphQLHttpResponse> {
  return postRequest(url, signGraphQLRequest(query, variables, signing));
}

/** The signing secret of subgraphs that tests start and call directly. */
export const TEST_SUBGRAPH_SECRET = 'test-subgraph-signing-secret-0123456789abcdef';

/** `signing` for a subgraph a test starts (target: facility code, `identity` or `insurance`). */
export function testSigning(target: string): { secret: string; target: string } {
  return { secret: TEST_SUBGRAPH_SECRET, target };
}

/** Signs with the test secret and POSTs, as the gateway would call that subgraph. */
export function postSignedGraphQL<TData = Record<string, unknown>>(
  url: string,
  target: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLHttpResponse<TData> & { readonly headers: Headers }> {
  return postRequest(url, signGraphQLRequest(query, variables, testSigning(target))) as Promise<GraphQLHttpResponse<TData> & { readonly headers: Headers }>;
}
