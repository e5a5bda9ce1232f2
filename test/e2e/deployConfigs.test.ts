import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { expandEnvironment } from '../../core/config/expandEnvironment';
import { parseGatewayConfig } from '../../gateway/config/parseGatewayConfig';
import { generateSigningSecret } from '../../core/security/generateSigningSecret';
import { PUBLISHED_SECRETS } from '../../core/security/shippedSecretProblem';
import { runCli } from '../helpers/runCli';

/**
 * What an operator gives docker-compose.yml: fresh random secrets (compose has no defaults for
 * them) and its example non-secret values.
 */
const COMPOSE_ENV = {
  AUTH_JWKS_URL: 'https://idp.example.vn/.well-known/jwks.json',
  AUTH_ISSUER: 'https://idp.example.vn',
  IDENTITY_SECRET: generateSigningSecret(),
  INSURANCE_SECRET: generateSigningSecret(),
  HOSPITAL_FHIR_SECRET: generateSigningSecret(),
  HOSPITAL_SQL_SECRET: generateSigningSecret(),
  FHIR_BASE_URL: 'https://fhir.hospital.example.vn/fhir',
  FHIR_TOKEN: generateSigningSecret(),
  HIS_DATABASE_URL: `postgres://his:${generateSigningSecret()}@postgres:5432/his`,
  VSS_USERNAME: '01901_BV',
  VSS_PASSWORD: 'demo-vss-password',
  VSS_OFFICER_NAME: 'Nguyễn Văn Kiểm',
  VSS_OFFICER_CCCD: '001085012345',
  AUDIT_CHECKPOINT_KEY: generateSigningSecret(),
  AUDIT_CHECKPOINT_REPLICA: 'gateway-1',
  COHORT_CURSOR_KEY: generateSigningSecret(),
};

describe('the deploy/ configs of docker-compose.yml', () => {
  it.each([
    [['gateway', '--config', 'deploy/gateway.yaml', '--check'], /valid \(2 hospitals, redis state, jwks auth\)/],
    [['identity', 'serve', '--config', 'deploy/identity.yaml', '--check'], /valid \(200 patients, locator: VSS visit history/],
    [['insurance', 'serve', '--config', 'deploy/insurance.yaml', '--check'], /valid \(VSS at vss-simulator:4600\)/],
    [['source', 'serve', '--config', 'deploy/hospital-fhir.yaml', '--check'], /valid \(fhir-r4 source for facility 01001\)/],
    // --config-only: the compose database is not reachable here (a plain --check of sql-his connects to it).
    [['source', 'serve', '--config', 'deploy/hospital-sql.yaml', '--check', '--config-only'], /valid \(sql-his source for facility 79002\)/],
  ])('patient-graph %j accepts its config', async (args, expected) => {
    const { code, stdout, stderr } = await runCli(args, COMPOSE_ENV);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(expected);
  });
});

describe('deploy/gateway.yaml keeps a signed audit checkpoint per replica (docs/audit.md)', () => {
  const path = join(__dirname, '..', '..', 'deploy', 'gateway.yaml');
  // What `gateway --config` does: parse the YAML, expand ${NAME}, validate.
  const raw = (): unknown => expandEnvironment(parse(readFileSync(path, 'utf8')), COMPOSE_ENV, path);

  it('names the replica\'s own directory, the key and the replica name from the environment', () => {
    const config = parseGatewayConfig(raw(), path, COMPOSE_ENV);
    expect(config.auditCheckpoint).toEqual({ dir: '/var/lib/patient-graph', key: COMPOSE_ENV.AUDIT_CHECKPOINT_KEY, replica: 'gateway-1' });
  });

  it.each(['AUDIT_CHECKPOINT_KEY', 'AUDIT_CHECKPOINT_REPLICA'])('refuses to start without %s, naming it (exit 1)', async (name) => {
    // undefined: spawn leaves the variable out, even if this test's own environment had it.
    const { code, stderr } = await runCli(['gateway', '--config', 'deploy/gateway.yaml', '--check'], { ...COMPOSE_ENV, [name]: undefined });
    expect(code).toBe(1);
    expect(stderr).toContain(`refers to the environment variable ${name}, which is not set`);
  });

  it('seals cohort cursors under the key from the environment, the same at every replica', () => {
    expect(parseGatewayConfig(raw(), path, COMPOSE_ENV).analytics.cursorKey).toBe(COMPOSE_ENV.COHORT_CURSOR_KEY);
  });

  it('refuses to start without COHORT_CURSOR_KEY, naming it (exit 1)', async () => {
    const { code, stderr } = await runCli(['gateway', '--config', 'deploy/gateway.yaml', '--check'], { ...COMPOSE_ENV, COHORT_CURSOR_KEY: undefined });
    expect(code).toBe(1);
    expect(stderr).toContain('refers to the environment variable COHORT_CURSOR_KEY, which is not set');
  });

  it('refuses a checkpoint key published in this repository', async () => {
    const { code, stderr } = await runCli(['gateway', '--config', 'deploy/gateway.yaml', '--check'], { ...COMPOSE_ENV, AUDIT_CHECKPOINT_KEY: 'example-identity-secret-change-me-0123456789' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/audit\.checkpoint\.key: refused: it is published in the patient-graph repository/);
  });
});

/** The values docker-compose.yml once shipped as defaults: every production command refuses them. */
const SHIPPED_ENV = {
  ...COMPOSE_ENV,
  IDENTITY_SECRET: 'example-identity-secret-change-me-0123456789',
  INSURANCE_SECRET: 'example-insurance-secret-change-me-012345678',
  HOSPITAL_FHIR_SECRET: 'example-fhir-hospital-secret-change-me-0123',
  HOSPITAL_SQL_SECRET: 'example-sql-hospital-secret-change-me-01234',
};

describe('the production commands with secrets published in this repository', () => {
  it('lists the shipped values among the published secrets', () => {
    for (const name of ['IDENTITY_SECRET', 'INSURANCE_SECRET', 'HOSPITAL_FHIR_SECRET', 'HOSPITAL_SQL_SECRET'] as const) {
      expect(PUBLISHED_SECRETS).toContain(SHIPPED_ENV[name]);
    }
  });

  it.each([
    [['gateway', '--config', 'deploy/gateway.yaml', '--check'], /identity\.secret: refused: it is published in the patient-graph repository/],
    [['identity', 'serve', '--config', 'deploy/identity.yaml', '--check'], /signing\.secret: refused: it is published/],
    [['insurance', 'serve', '--config', 'deploy/insurance.yaml', '--check'], /signing\.secret: refused: it is published/],
    [['source', 'serve', '--config', 'deploy/hospital-fhir.yaml', '--check'], /signing\.secret: refused: it is published/],
    [['source', 'serve', '--config', 'deploy/hospital-sql.yaml', '--check'], /signing\.secret: refused: it is published/],
  ])('patient-graph %j refuses them (exit 1)', async (args, message) => {
    const { code, stderr } = await runCli(args, SHIPPED_ENV);
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
  });

  it('refuses a placeholder-looking hospital secret in the gateway config', async () => {
    const hospital = await runCli(['gateway', '--config', 'deploy/gateway.yaml', '--check'], { ...COMPOSE_ENV, HOSPITAL_SQL_SECRET: 'our-hospital-signing-secret-please-change' });
    expect(hospital.code).toBe(1);
    expect(hospital.stderr).toMatch(/hospitals\[1\]\.secret: refused: it looks like a placeholder/);
  });
});

describe('config validation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pg-config-'));
  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it.each([
    ['an unknown key', 'facility: { code: "01001", name: X }\nadapter: { kind: xml130, folder: /tmp }\nsigning: { secret: "Zq8vN2kLr5TgW9pXy3bDm7Hc4Jf6Ks1Qw" }\nsever: {}\n', /sever: unknown key/],
    ['a facility code that is not MA_CSKCB', 'facility: { code: "1001", name: X }\nadapter: { kind: xml130, folder: /tmp }\nsigning: { secret: "Zq8vN2kLr5TgW9pXy3bDm7Hc4Jf6Ks1Qw" }\n', /facility\.code: expected a 5-digit facility code/],
    ['an adapter kind that does not exist', 'facility: { code: "01001", name: X }\nadapter: { kind: oracle }\nsigning: { secret: "Zq8vN2kLr5TgW9pXy3bDm7Hc4Jf6Ks1Qw" }\n', /adapter\.kind: expected one of fhir-r4, sql-his, xml130/],
    ['a short signing secret', 'facility: { code: "01001", name: X }\nadapter: { kind: xml130, folder: /tmp }\nsigning: { secret: short }\n', /signing\.secret: expected at least 32 bytes/],
    ['an unset environment variable', 'facility: { code: "01001", name: X }\nadapter: { kind: xml130, folder: /tmp }\nsigning: { secret: "${PG_TEST_UNSET_SECRET}" }\n', /signing\.secret: refers to the environment variable PG_TEST_UNSET_SECRET, which is not set/],
    ['a previous secret (rotation) equal to the secret', 'facility: { code: "01001", name: X }\nadapter: { kind: xml130, folder: /tmp }\nsigning: { secret: "Zq8vN2kLr5TgW9pXy3bDm7Hc4Jf6Ks1Qw", previousSecret: "Zq8vN2kLr5TgW9pXy3bDm7Hc4Jf6Ks1Qw" }\n', /signing\.previousSecret: is the same as secret/],
    ['a previous secret published in this repository', 'facility: { code: "01001", name: X }\nadapter: { kind: xml130, folder: /tmp }\nsigning: { secret: "Zq8vN2kLr5TgW9pXy3bDm7Hc4Jf6Ks1Qw", previousSecret: "example-sql-hospital-secret-change-me-01234" }\n', /signing\.previousSecret: refused: it is published/],
    ['a replay store that is not Redis', 'facility: { code: "01001", name: X }\nadapter: { kind: xml130, folder: /tmp }\nsigning: { secret: "Zq8vN2kLr5TgW9pXy3bDm7Hc4Jf6Ks1Qw", replayStore: { url: "http://r" } }\n', /signing\.replayStore\.url: expected a redis:\/\/ or rediss:\/\/ URL/],
    ['broken YAML', 'facility: [\n', /is not valid YAML/],
  ])('names the key and what was expected for %s (exit 1)', async (_case, text, message) => {
    const path = write(`${Math.random().toString(36).slice(2)}.yaml`, text);
    const { code, stderr } = await runCli(['source', 'serve', '--config', path, '--check']);
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a JWT key published in this repository (the development key) in a production gateway config', async () => {
    const path = write('gw-jwt.yaml', 'auth: { kind: shared-secret, secret: "patient-graph-development-secret--never-use-in-production", issuer: i, audience: a }\nidentity: { url: "http://i/", secret: "Zq8vN2kLr5TgW9pXy3bDm7Hc4Jf6Ks1Qw" }\ninsurance: { url: "http://s/", secret: "Wm3Rt8Yp1Ks6Vb9Nc2Xq5Lz7Hd4Gf0Jt" }\nhospitals: []\n');
    const { code, stderr } = await runCli(['gateway', '--config', path, '--check']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/auth\.secret: refused: it is published in the patient-graph repository/);
  });

  it('refuses development auth in production', async () => {
    const path = write('gw.yaml', 'auth: { kind: development }\nidentity: { url: "http://i/", secret: "Zq8vN2kLr5TgW9pXy3bDm7Hc4Jf6Ks1Qw" }\ninsurance: { url: "http://s/", secret: "Zq8vN2kLr5TgW9pXy3bDm7Hc4Jf6Ks1Qw" }\nhospitals: []\n');
    const { code, stderr } = await runCli(['gateway', '--config', path, '--check'], { NODE_ENV: 'production' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/auth\.kind: development auth accepts publicly known tokens/);
  });
});
