import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, startRedisServer, type RunningRedisServer } from './startRedisServer';

const run = promisify(execFile);

export interface RunningTopology {
  /** Ports of the sentinels, or of the cluster nodes. */
  readonly ports: readonly number[];
  stop(): Promise<void>;
}

/** One redis-server process started with `args`, stopped by its own PID. */
async function spawnRedis(args: readonly string[], ready: string): Promise<{ stop(): Promise<void> }> {
  const child: ChildProcessWithoutNullStreams = spawn('redis-server', [...args]);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server ${args.join(' ')} not ready after 10 s: ${output}`)), 10_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes(ready)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}: ${output}`));
    });
  });
  return {
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * A real master watched by one real Sentinel (Debian's redis-server binary in `--sentinel` mode),
 * both on free ports of 127.0.0.1; the master is `masterName`.
 */
export async function startRedisSentinel(masterName: string): Promise<RunningTopology & { readonly master: RunningRedisServer }> {
  const dir = mkdtempSync(join(tmpdir(), 'redis-sentinel-'));
  const master = await startRedisServer(await freePort());
  const port = await freePort();
  const conf = join(dir, 'sentinel.conf');
  // Sentinel rewrites its config file, so it must be a writable file of its own.
  writeFileSync(conf, [`port ${port}`, 'bind 127.0.0.1', `dir ${dir}`, `sentinel monitor ${masterName} 127.0.0.1 ${master.port} 1`, ''].join('\n'));
  const sentinel = await spawnRedis([conf, '--sentinel', '--logfile', ''], 'Sentinel ID is');
  return {
    master,
    ports: [port],
    async stop() {
      await sentinel.stop();
      await master.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A real 3-node Redis Cluster (no replicas) on free ports of 127.0.0.1, slots assigned by `redis-cli --cluster create`. */
export async function startRedisCluster(): Promise<RunningTopology> {
  const dir = mkdtempSync(join(tmpdir(), 'redis-cluster-'));
  const ports = [await freePort(), await freePort(), await freePort()];
  const nodes = await Promise.all(
    ports.map((port) =>
      spawnRedis(
        ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`), '--dir', dir, '--save', '', '--appendonly', 'no', '--logfile', ''],
        'Ready to accept connections',
      ),
    ),
  );
  const stop = async (): Promise<void> => {
    await Promise.all(nodes.map((n) => n.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes']);
    for (let attempt = 0; ; attempt++) {
      const states = await Promise.all(ports.map(async (p) => (await run('redis-cli', ['-p', String(p), 'cluster', 'info'])).stdout));
      if (states.every((s) => s.includes('cluster_state:ok'))) break;
      if (attempt > 200) throw new Error(`the cluster did not become ok: ${states.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { ports, stop };
}
