import { generateSigningSecret } from '../../../core/security/generateSigningSecret';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import { startDemoNetwork, type DemoNetwork } from '../../../demo/startDemoNetwork';
import { openGatewayState, type GatewayState } from '../../../gateway/config/openGatewayState';
import { parseGatewayConfig } from '../../../gateway/config/parseGatewayConfig';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL } from '../../helpers/postGraphQL';
import { tokenFor } from '../../helpers/tokens';

const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/test';
const NAME = `pg_trust_audit_gw_${process.pid}_${randomBytes(4).toString('hex')}`;
const URL = `postgres://postgres@127.0.0.1:5432/${NAME}`;
const population = createDemoPopulation();
const person = population.people.find((p) => p.records.length > 0 && p.card?.resultCode === '000');

async function sql(url: string, statement: string): Promise<Record<string, unknown>[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(statement)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

const MINIMAL_CONFIG = {
  auth: { kind: 'shared-secret', secret: generateSigningSecret(), issuer: 'test', audience: 'patient-graph' },
  identity: { url: 'http://identity.invalid/', secret: generateSigningSecret() },
  insurance: { url: 'http://insurance.invalid/', secret: generateSigningSecret() },
  hospitals: [],
};

describe('config key audit: { store: postgres, url }', () => {
  it('is read with its table prefix, and a wrong store or URL is refused naming the key', () => {
    expect(parseGatewayConfig({ ...MINIMAL_CONFIG, audit: { store: 'postgres', url: URL, tablePrefix: 'pg_audit_' } }, undefined, {}).audit).toEqual({ store: 'postgres', url: URL, tablePrefix: 'pg_audit_' });
    expect(parseGatewayConfig(MINIMAL_CONFIG, undefined, {}).audit).toBeUndefined();
    expect(() => parseGatewayConfig({ ...MINIMAL_CONFIG, audit: { store: 'mongodb', url: URL } }, undefined, {})).toThrow(/audit\.store/);
    expect(() => parseGatewayConfig({ ...MINIMAL_CONFIG, audit: { store: 'postgres', url: 'redis://x' } }, undefined, {})).toThrow(/audit\.url/);
  });
});

describe('a gateway whose audit trail is in PostgreSQL', () => {
  let state: GatewayState;
  let network: DemoNetwork;
  const dir = mkdtempSync(join(tmpdir(), 'pg-trust-audit-pgstate-'));

  beforeAll(async () => {
    if (!person) throw new Error('fixture: population lacks a treated, insured person');
    await sql(ADMIN_URL, `CREATE DATABASE ${NAME}`);
    state = await openGatewayState({ kind: 'embedded', dir }, captureLogger().logger, { store: 'postgres', url: URL });
    network = await startDemoNetwork({ logger: captureLogger().logger, population, audit: state.audit });
  }, 120_000);

  afterAll(async () => {
    await network.stop();
    await state.close();
    await sql(ADMIN_URL, `DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes each access to the table before answering, shows it in the patient’s accessLog, and keeps no audit file', async () => {
    const clinician = await tokenFor('clinician', { facilityCode: person?.records[0]?.facilityCode ?? '', sub: 'bs-pg' });
    const read = await postGraphQL(network.gateway.url, 'query($id: ID!) { patient(nationalId: $id) { encounters { id } } }', { id: person?.nationalId }, clinician);
    expect(read.status).toBe(200);
    expect(await sql(URL, `SELECT sub, patients FROM patient_graph_audit_records ORDER BY seq`)).toEqual([{ sub: 'bs-pg', patients: [person?.nationalId] }]);

    const log = await postGraphQL<{ patient: { accessLog: { who: string }[] } }>(
      network.gateway.url,
      'query($id: ID!) { patient(nationalId: $id) { accessLog(first: 5) { who } } }',
      { id: person?.nationalId },
      await tokenFor('patient', { sub: person?.nationalId ?? '' }),
    );
    expect(log.body.errors).toBeUndefined();
    expect(log.body.data?.patient.accessLog.map((e) => e.who)).toEqual(['bs-pg']);
    await expect(state.audit.verify()).resolves.toEqual({ kind: 'intact', count: 2 });
    expect(existsSync(join(dir, 'audit.jsonl'))).toBe(false);
  });
});
