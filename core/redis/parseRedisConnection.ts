import type { ConfigReader } from '../config/ConfigReader';
import type { RedisConnectionConfig, RedisNode } from './RedisConnectionConfig';

/** The keys `parseRedisConnection` reads; the caller's `rejectUnknownKeys` adds them to its own. */
export const REDIS_CONNECTION_KEYS = ['url', 'sentinel', 'cluster'] as const;

/**
 * Reads exactly one of (README "State and Redis"):
 * - `url: redis://[:password@]host:port[/db]` (or `rediss://`): one server;
 * - `sentinel: { masterName, nodes: ["host:port", …], password?, tls? }`: a master watched by Sentinel;
 * - `cluster: { nodes: ["host:port", …], password?, tls? }`: a Redis Cluster. The key prefix must then
 *   hold a hash tag (`{patient-graph}:`): the gateway reads and writes several keys in one command
 *   (consent of a batch, the audit chain), which Cluster allows only within one slot.
 */
export function parseRedisConnection(section: ConfigReader, keyPrefix: string | undefined): RedisConnectionConfig {
  const given = REDIS_CONNECTION_KEYS.filter((key) => section.has(key));
  if (given.length !== 1) {
    section.fail(given[1] ?? 'url', `expected exactly one of url (one server), sentinel or cluster, got ${given.length === 0 ? 'none' : given.join(' and ')}`, 'always');
  }
  if (section.has('url')) return { mode: 'server', url: section.string('url', { pattern: /^rediss?:\/\//, patternHint: 'a redis:// or rediss:// URL' }) };
  if (section.has('sentinel')) {
    const sentinel = section.object('sentinel');
    sentinel.rejectUnknownKeys(['masterName', 'nodes', 'password', 'tls']);
    return {
      mode: 'sentinel',
      masterName: sentinel.string('masterName'),
      sentinels: nodesOf(sentinel),
      ...passwordAndTls(sentinel),
    };
  }
  const cluster = section.object('cluster');
  cluster.rejectUnknownKeys(['nodes', 'password', 'tls']);
  if (keyPrefix !== undefined && !/\{[^{}]+\}/.test(keyPrefix)) {
    section.fail('keyPrefix', 'expected a hash tag with cluster, e.g. "{patient-graph}:" (keys used together must share a slot)');
  }
  return { mode: 'cluster', nodes: nodesOf(cluster), ...passwordAndTls(cluster) };
}

function nodesOf(section: ConfigReader): RedisNode[] {
  const nodes = section.stringList('nodes');
  if (nodes.length === 0) section.fail('nodes', 'expected at least one "host:port"', 'always');
  return nodes.map((node, index) => {
    const match = /^([^\s:]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(node);
    const port = Number(match?.[2]);
    if (!match?.[1] || !Number.isInteger(port) || port < 1 || port > 65_535) section.fail(`nodes[${index}]`, `expected "host:port", got "${node}"`, 'always');
    return { host: match[1].replace(/^\[|\]$/g, ''), port };
  });
}

function passwordAndTls(section: ConfigReader): { password?: string; tls?: boolean } {
  const password = section.optionalString('password');
  const tls = section.boolean('tls', false);
  return { ...(password === undefined ? {} : { password }), ...(tls ? { tls } : {}) };
}
