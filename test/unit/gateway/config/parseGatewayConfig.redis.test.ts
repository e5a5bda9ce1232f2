import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseGatewayConfig } from '../../../../gateway/config/parseGatewayConfig';

// Random-looking: the gateway refuses placeholder secrets (repeated characters, published examples).
const SECRET = 'q7Vd2LxN9pRt4Kw8Zs1Hm6Jc3Fy5Ub0E';
const base = {
  auth: { kind: 'development' },
  identity: { url: 'http://identity:4001/', secret: SECRET },
  insurance: { url: 'http://insurance:4002/', secret: SECRET },
  hospitals: [{ code: '01001', name: 'Bệnh viện Ví dụ', url: 'http://hospital:4100/', secret: SECRET }],
};
const env = { NODE_ENV: 'development' };
const stateOf = (state: Record<string, unknown>) => parseGatewayConfig({ ...base, state: { kind: 'redis', ...state } }, undefined, env).state;

/** README "State and Redis": one server, Sentinel or Cluster, each validated with a clear error. */
describe('parseGatewayConfig: state in Redis', () => {
  it('reads one server from a URL', () => {
    expect(stateOf({ url: 'redis://redis:6379/0' })).toEqual({ kind: 'redis', connection: { mode: 'server', url: 'redis://redis:6379/0' }, keyPrefix: 'patient-graph:' });
  });

  it('reads a Sentinel-watched master: its name and the sentinels', () => {
    expect(stateOf({ sentinel: { masterName: 'pg-main', nodes: ['s1:26379', '10.0.0.2:26380'], password: 'p4ss-from-env' } })).toEqual({
      kind: 'redis',
      connection: { mode: 'sentinel', masterName: 'pg-main', sentinels: [{ host: 's1', port: 26379 }, { host: '10.0.0.2', port: 26380 }], password: 'p4ss-from-env' },
      keyPrefix: 'patient-graph:',
    });
  });

  it('reads a Cluster whose key prefix holds a hash tag', () => {
    expect(stateOf({ cluster: { nodes: ['c1:7000', 'c2:7001'] }, keyPrefix: '{pg}:' })).toEqual({
      kind: 'redis',
      connection: { mode: 'cluster', nodes: [{ host: 'c1', port: 7000 }, { host: 'c2', port: 7001 }] },
      keyPrefix: '{pg}:',
    });
  });

  it('accepts each example of the README section "State and Redis"', () => {
    const readme = readFileSync(join(__dirname, '../../../../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## State and Redis'));
    const block = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    const examples = block.split('\n').filter((line) => line.startsWith('state:'));
    expect(examples).toHaveLength(3);
    const modes = examples.map((line) => {
      const { state } = parseYaml(line.replace('${REDIS_PASSWORD}', 'pw')) as { state: Record<string, unknown> };
      const parsed = parseGatewayConfig({ ...base, state }, undefined, env).state;
      return parsed.kind === 'redis' ? parsed.connection.mode : parsed.kind;
    });
    expect(modes).toEqual(['server', 'sentinel', 'cluster']);
  });

  it('refuses none or several of url, sentinel and cluster, naming them', () => {
    expect(() => stateOf({})).toThrow(/state\.url: expected exactly one of url \(one server\), sentinel or cluster, got none/);
    expect(() => stateOf({ url: 'redis://r:6379', cluster: { nodes: ['c1:7000'] } })).toThrow(/got url and cluster/);
  });

  it('refuses a Cluster without a hash tag in the key prefix, saying why', () => {
    expect(() => stateOf({ cluster: { nodes: ['c1:7000'] } })).toThrow(/state\.keyPrefix: expected a hash tag with cluster, e\.g\. "\{patient-graph\}:"/);
  });

  it('refuses malformed nodes, a Sentinel without a master name, and unknown keys', () => {
    expect(() => stateOf({ cluster: { nodes: ['c1'] }, keyPrefix: '{pg}:' })).toThrow(/state\.cluster\.nodes\[0\]: expected "host:port", got "c1"/);
    expect(() => stateOf({ cluster: { nodes: [] }, keyPrefix: '{pg}:' })).toThrow(/state\.cluster\.nodes: expected at least one "host:port"/);
    expect(() => stateOf({ sentinel: { nodes: ['s1:26379'] } })).toThrow(/state\.sentinel\.masterName/);
    expect(() => stateOf({ sentinel: { masterName: 'm', nodes: ['s1:26379'], master: 'x' } })).toThrow(/state\.sentinel\.master: unknown key/);
    expect(() => stateOf({ url: 'http://r:6379' })).toThrow(/state\.url: expected a redis:\/\/ or rediss:\/\/ URL/);
  });
});
