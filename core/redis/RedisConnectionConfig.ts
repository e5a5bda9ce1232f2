/** A Redis endpoint as `host:port`. */
export interface RedisNode {
  readonly host: string;
  readonly port: number;
}

/**
 * Where a shared Redis is (README "State and Redis"): one server, a Sentinel-watched master, or a
 * Cluster; ioredis speaks all three. Passwords come from the URL (one server) or `password`.
 */
export type RedisConnectionConfig =
  | { readonly mode: 'server'; readonly url: string }
  | { readonly mode: 'sentinel'; readonly sentinels: readonly RedisNode[]; readonly masterName: string; readonly password?: string; readonly tls?: boolean }
  | { readonly mode: 'cluster'; readonly nodes: readonly RedisNode[]; readonly password?: string; readonly tls?: boolean };
