/**
 * A source's HTTPS server settings (docs/security.md "Gateway → source over mutual TLS"): its
 * certificate and key, and the CA whose client certificates it accepts. Below both the source
 * configs that read it (adapters/config) and the server that uses it (subgraphs/serveSubgraph).
 */
export interface SubgraphTls {
  readonly cert: string;
  readonly key: string;
  /** CA certificate(s) whose client certificates are accepted; absent: no client certificate asked. */
  readonly clientCa?: string;
}
