import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/runCli';

/** The example values docker-compose.yml gives the deploy/ configs. */
const COMPOSE_ENV = {
  AUTH_JWKS_URL: 'https://idp.example.vn/.well-known/jwks.json',
  AUTH_ISSUER: 'https://idp.example.vn',
  IDENTITY_SECRET: 'example-identity-secret-change-me-0123456789',
  INSURANCE_SECRET: 'example-insurance-secret-change-me-012345678',
  HOSPITAL_FHIR_SECRET: 'example-fhir-hospital-secret-change-me-0123',
  HOSPITAL_SQL_SECRET: 'example-sql-hospital-secret-change-me-01234',
  FHIR_BASE_URL: 'https://fhir.hospital.example.vn/fhir',
  FHIR_TOKEN: 'change-me',
  HIS_DATABASE_URL: 'postgres://his:his-example@postgres:5432/his',
  VSS_USERNAME: '01901_BV',
  VSS_PASSWORD: 'demo-vss-password',
  VSS_OFFICER_NAME: 'Nguyễn Văn Kiểm',
  VSS_OFFICER_CCCD: '001085012345',
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

describe('config validation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pg-config-'));
  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it.each([
    ['an unknown key', 'facility: { code: "01001", name: X }\nadapter: { kind: xml130, folder: /tmp }\nsigning: { secret: "0123456789abcdef0123456789abcdef" }\nsever: {}\n', /sever: unknown key/],
    ['a facility code that is not MA_CSKCB', 'facility: { code: "1001", name: X }\nadapter: { kind: xml130, folder: /tmp }\nsigning: { secret: "0123456789abcdef0123456789abcdef" }\n', /facility\.code: expected a 5-digit facility code/],
    ['an adapter kind that does not exist', 'facility: { code: "01001", name: X }\nadapter: { kind: oracle }\nsigning: { secret: "0123456789abcdef0123456789abcdef" }\n', /adapter\.kind: expected one of fhir-r4, sql-his, xml130/],
    ['a short signing secret', 'facility: { code: "01001", name: X }\nadapter: { kind: xml130, folder: /tmp }\nsigning: { secret: short }\n', /signing\.secret: expected at least 32 bytes/],
    ['an unset environment variable', 'facility: { code: "01001", name: X }\nadapter: { kind: xml130, folder: /tmp }\nsigning: { secret: "${PG_TEST_UNSET_SECRET}" }\n', /signing\.secret: refers to the environment variable PG_TEST_UNSET_SECRET, which is not set/],
    ['broken YAML', 'facility: [\n', /is not valid YAML/],
  ])('names the key and what was expected for %s (exit 1)', async (_case, text, message) => {
    const path = write(`${Math.random().toString(36).slice(2)}.yaml`, text);
    const { code, stderr } = await runCli(['source', 'serve', '--config', path, '--check']);
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses development auth in production', async () => {
    const path = write('gw.yaml', 'auth: { kind: development }\nidentity: { url: "http://i/", secret: "0123456789abcdef0123456789abcdef" }\ninsurance: { url: "http://s/", secret: "0123456789abcdef0123456789abcdef" }\nhospitals: []\n');
    const { code, stderr } = await runCli(['gateway', '--config', path, '--check'], { NODE_ENV: 'production' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/auth\.kind: development auth accepts publicly known tokens/);
  });
});
