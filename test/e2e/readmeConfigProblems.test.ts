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

  it('lists every problem even when required sections are missing (identity, auth), and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-readme-config-'));
    const path = join(dir, 'gateway.yaml');
    writeFileSync(path, [
      'server: { port: banana }',
      'insurance: { url: "http://s/", secret: "Wm3Rt8Yp1Ks6Vb9Nc2Xq5Lz7Hd4Gf0Jt" }',
      'metrics: { token: tooshort }',
      'hospitals: [ { code: "01001", name: A, url: "http://a/" }, { code: "7", name: B, url: "not a url", secret: "x" } ]',
      'cors: { allowedOrigins: [ "https://app.example.vn/path" ] }',
    ].join('\n'));
    const { code, stdout, stderr } = await runCli(['gateway', '--config', path, '--check']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const problems = stderr.split('\n').filter((line) => line.startsWith('  '));
    const keys = ['server.port', 'identity', 'hospitals[0].secret', 'hospitals[1].code', 'hospitals[1].secret', 'hospitals[1].url', 'auth', 'metrics.token', 'cors.allowedOrigins[0]'];
    for (const key of keys) expect(problems.filter((line) => line.startsWith(`  ${path}: ${key}: `))).toHaveLength(1);
    expect(problems).toHaveLength(keys.length);
    expect(stderr).not.toContain('Wm3Rt8Yp1Ks6Vb9Nc2Xq5Lz7Hd4Gf0Jt');
  }, 60_000);

  it('does the same for `source serve --check` and `identity serve --check`: a missing section hides nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-readme-config-'));
    const source = join(dir, 'hospital.yaml');
    writeFileSync(source, [
      'facility: { code: "7", name: A }',
      'server: { port: 70000 }',
      'match: { minimumConfidence: 2 }',
      'analytics: { key: short }',
      'adapter: { kind: fhir-r4 }',
    ].join('\n'));
    const sourceRun = await runCli(['source', 'serve', '--config', source, '--check', '--config-only']);
    expect(sourceRun.code).toBe(1);
    const sourceKeys = ['facility.code', 'server.port', 'signing', 'match.minimumConfidence', 'analytics.key', 'adapter.baseUrl'];
    const sourceProblems = sourceRun.stderr.split('\n').filter((line) => line.startsWith('  '));
    for (const key of sourceKeys) expect(sourceProblems.filter((line) => line.startsWith(`  ${source}: ${key}: `))).toHaveLength(1);
    expect(sourceProblems).toHaveLength(sourceKeys.length);

    const identity = join(dir, 'identity.yaml');
    writeFileSync(identity, [
      'server: { port: -1 }',
      'vss: { kind: nowhere }',
    ].join('\n'));
    const identityRun = await runCli(['identity', 'serve', '--config', identity, '--check']);
    expect(identityRun.code).toBe(1);
    const identityProblems = identityRun.stderr.split('\n').filter((line) => line.startsWith('  '));
    expect(identityProblems.map((line) => line.slice(`  ${identity}: `.length).split(':')[0]).sort()).toEqual(['index', 'server.port', 'signing', 'vss.kind', 'vss.officer'].sort());
  }, 60_000);

  it('checks PORT from the environment when there is no server section (docs/configuration.md server.port)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-readme-config-'));
    const path = join(dir, 'gateway.yaml');
    writeFileSync(path, [
      'auth: { kind: development }',
      'identity: { url: "http://127.0.0.1:1/", secret: "Zq8vN2kLr5TgW9pXy3bDm7Hc4Jf6Ks1Qw" }',
      'insurance: { url: "http://127.0.0.1:1/", secret: "Wm3Rt8Yp1Ks6Vb9Nc2Xq5Lz7Hd4Gf0Jt" }',
      'hospitals: []',
    ].join('\n'));
    const refused = await runCli(['gateway', '--config', path, '--check'], { PORT: 'banana', NODE_ENV: 'development' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${path}: server.port: expected PORT in the environment`);
    const accepted = await runCli(['gateway', '--config', path, '--check'], { PORT: '0', NODE_ENV: 'development' });
    expect(accepted.stderr).toBe('');
    expect(accepted.code).toBe(0);
  }, 60_000);
});
