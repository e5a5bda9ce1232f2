/** A GraphQL-over-HTTP response as a client sees it. */
export interface GraphQLHttpResponse<TData = Record<string, unknown>> {
  readonly status: number;
  readonly body: {
    readonly data?: TData | null;
    readonly errors?: readonly { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
    readonly extensions?: Record<string, unknown>;
  };
  readonly text: string;
}

/** POSTs a GraphQL request to a real server, as any client would (with a bearer token when given). */
export async function postGraphQL<TData = Record<string, unknown>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
): Promise<GraphQLHttpResponse<TData>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as GraphQLHttpResponse<TData>['body'], text };
}
