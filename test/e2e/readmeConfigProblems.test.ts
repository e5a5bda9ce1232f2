import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/runCli';

/**
 * README "Commands": exit 1 for an invalid config, "every problem is listed at once, one line each
 * naming the file and key" — here for the gateway, as an operator runs `gateway --config … --check`.
 */
describe('patient-graph gateway --config with several mistakes', () => {
  it('lists every problem at once, one line each naming the file and the key, and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-readme-config-'));
    const path = join(dir, 'gateway.yaml');
    writeFileSync(path, [
      'server: { port: banana }',
      'auth: { kind: shared-secret, secret: short, issuer: i, audience: a }',
      'identity: { url: "http://i/", secret: "Zq8vN2kLr5TgW9pXy3bDm7Hc4Jf6Ks1Qw" }',
      'insurance: { url: "http://s/", secret: "Wm3Rt8Yp1Ks6Vb9Nc2Xq5Lz7Hd4Gf0Jt" }',
      'metrics: { token: tooshort }',
      'hospitals: [ { code: "7", name: X, url: "not a url", secret: "x" } ]',
    ].join('\n'));
    const { code, stdout, stderr } = await runCli(['gateway', '--config', path, '--check']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const problems = stderr.split('\n').filter((line) => line.startsWith('  '));
    const keys = ['server.port', 'auth.secret', 'metrics.token', 'hospitals[0].code', 'hospitals[0].url', 'hospitals[0].secret'];
    for (const key of keys) expect(problems.filter((line) => line.startsWith(`  ${path}: ${key}: `))).toHaveLength(1);
    expect(problems).toHaveLength(keys.length);
    // No secret of the file is repeated in the answer.
    expect(stderr).not.toContain('Zq8vN2kLr5TgW9pXy3bDm7Hc4Jf6Ks1Qw');
  }, 60_000);
});
