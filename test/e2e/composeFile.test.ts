import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { generateSigningSecret } from '../../core/security/generateSigningSecret';
import { PUBLISHED_SECRETS } from '../../core/security/shippedSecretProblem';

const ROOT = join(__dirname, '..', '..');

/** The variables docker-compose.yml requires (`${NAME:?…}`): secrets, tokens, passwords. */
const REQUIRED = ['IDENTITY_SECRET', 'INSURANCE_SECRET', 'HOSPITAL_FHIR_SECRET', 'HOSPITAL_SQL_SECRET', 'HOSPITAL_FHIR_TOKEN', 'HIS_POSTGRES_PASSWORD', 'AUDIT_CHECKPOINT_KEY', 'COHORT_CURSOR_KEY'] as const;

/**
 * Runs Debian's `docker-compose` (1.29) on the repository's compose file with exactly `env`
 * (plus PATH). No engine is needed for `config`. A missing binary fails the test: .ci/run installs it.
 */
function compose(args: readonly string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('docker-compose', ['--project-directory', ROOT, '-f', join(ROOT, 'docker-compose.yml'), ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface ComposeService {
  readonly image?: string;
  readonly ports?: unknown[];
  readonly environment?: Record<string, unknown>;
  readonly healthcheck?: { test?: string[] };
  readonly volumes?: string[];
}

describe('docker-compose.yml', () => {
  const env: Record<string, string> = Object.fromEntries(REQUIRED.map((name) => [name, generateSigningSecret()]));

  it('is valid for Compose (`docker-compose config -q`) when the operator provides every secret', async () => {
    const { code, stderr } = await compose(['config', '-q'], env);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 60_000);

  it.each(REQUIRED.map((name) => [name]))('refuses to run without %s, naming it (no default secret)', async (name) => {
    const { [name]: _omitted, ...rest } = env;
    const { code, stderr } = await compose(['config', '-q'], rest);
    expect(code).not.toBe(0);
    expect(stderr).toContain(`set ${name}`);
  }, 60_000);

  it('runs two gateway replicas behind one nginx port (round robin), checked with /readyz, with no published secret', async () => {
    const { code, stdout } = await compose(['config'], env);
    expect(code).toBe(0);
    const services = (parse(stdout) as { services: Record<string, ComposeService> }).services;
    expect(Object.keys(services).filter((name) => name.startsWith('gateway-'))).toEqual(['gateway-1', 'gateway-2']);
    expect(services['load-balancer']?.image).toMatch(/^nginx:/);
    const published = Object.entries(services).filter(([, s]) => (s.ports ?? []).length > 0).map(([name]) => name);
    expect(published).toEqual(['load-balancer']);
    for (const name of ['gateway-1', 'gateway-2']) {
      expect(services[name]?.healthcheck?.test?.join(' ')).toContain('/readyz');
      expect(services[name]?.environment?.IDENTITY_SECRET).toBe(env.IDENTITY_SECRET);
      // One cohort cursor key for both: a client's next page may land on either (docs/analytics.md).
      expect(services[name]?.environment?.COHORT_CURSOR_KEY).toBe(env.COHORT_CURSOR_KEY);
    }
    const values = Object.values(services).flatMap((s) => Object.values(s.environment ?? {}).map(String));
    for (const secret of PUBLISHED_SECRETS) expect(values.filter((v) => v.includes(secret))).toEqual([]);
    const nginx = readFileSync(join(ROOT, 'deploy', 'nginx.conf'), 'utf8');
    expect(nginx).toMatch(/upstream gateways \{\s*server gateway-1:4000[^;]*;\s*server gateway-2:4000[^;]*;/);
    expect(nginx).not.toMatch(/^\s*(least_conn|ip_hash|hash)\b/m);
  }, 60_000);

  it('gives each gateway replica its own audit-checkpoint volume and name, signed with the required key (docs/audit.md)', async () => {
    const { code, stdout } = await compose(['config'], env);
    expect(code).toBe(0);
    const config = parse(stdout) as { services: Record<string, ComposeService>; volumes?: Record<string, unknown> };
    const checkpointDir = (parse(readFileSync(join(ROOT, 'deploy', 'gateway.yaml'), 'utf8')) as { audit?: { checkpoint?: { dir?: string } } }).audit?.checkpoint?.dir;
    expect(checkpointDir).toBe('/var/lib/patient-graph');
    const volumeAt = (name: string): string | undefined =>
      (config.services[name]?.volumes ?? []).map((v) => v.split(':')).find(([, target]) => target === checkpointDir)?.[0];
    const replicas = ['gateway-1', 'gateway-2'];
    const volumes = replicas.map(volumeAt);
    expect(volumes).toEqual(['gateway-1-audit', 'gateway-2-audit']);
    for (const volume of volumes) expect(Object.keys(config.volumes ?? {})).toContain(volume);
    // No other service mounts a replica's checkpoint volume.
    for (const [name, service] of Object.entries(config.services)) {
      if (replicas.includes(name)) continue;
      expect((service.volumes ?? []).filter((v) => v.includes('-audit:'))).toEqual([]);
    }
    expect(replicas.map((name) => config.services[name]?.environment?.AUDIT_CHECKPOINT_REPLICA)).toEqual(replicas);
    for (const name of replicas) expect(config.services[name]?.environment?.AUDIT_CHECKPOINT_KEY).toBe(env.AUDIT_CHECKPOINT_KEY);
    // The image creates the mount point owned by `node`, mode 0700: a new volume starts that way.
    expect(readFileSync(join(ROOT, 'Dockerfile'), 'utf8')).toMatch(/mkdir -p \/var\/lib\/patient-graph && chown node:node \/var\/lib\/patient-graph && chmod 0700 \/var\/lib\/patient-graph/);
  }, 60_000);

  it('builds the image on a supported Node.js LTS (22 or 24, bookworm-slim), never node:20', () => {
    const froms = readFileSync(join(ROOT, 'Dockerfile'), 'utf8').match(/^FROM\s+\S+/gm) ?? [];
    expect(froms.length).toBeGreaterThan(0);
    for (const from of froms) expect(from).toMatch(/^FROM\s+node:(22|24)-bookworm-slim$/);
  });

  it('has .ci/run install docker-compose when it is absent', () => {
    expect(readFileSync(join(ROOT, '.ci', 'run'), 'utf8')).toMatch(/command -v docker-compose[\s\S]*apt_install docker-compose/);
  });
});
