import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VssClient } from '../../../adapters/vss/VssClient';
import { VssVisitHistoryLocator } from '../../../subgraphs/identity/VssVisitHistoryLocator';
import type { ClientTls, SourceTlsSettings } from '../../../core/http/ClientTls';
import { generateSigningSecret } from '../../../core/security/generateSigningSecret';
import { buildDemoPatientIndex } from '../../../demo/identity/buildDemoPatientIndex';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import { DEMO_VSS_ACCOUNT } from '../../../demo/vss/demoVssAccount';
import { startVssSimulator, type RunningVssSimulator } from '../../../demo/vss/VssSimulator';
import { startDemoHospital, type SyntheticDemoHospital } from '../../../demo/hospitals/startDemoHospital';
import { FileAuditLog } from '../../../gateway/audit/FileAuditLog';
import { kitConformanceRunner } from '../../../gateway/conformance/kitConformanceRunner';
import { FileSourceRecordStore } from '../../../gateway/registry/FileSourceRecordStore';
import { LiveSourceRegistry } from '../../../gateway/registry/LiveSourceRegistry';
import { SourceRegistrar } from '../../../gateway/registry/SourceRegistrar';
import { parseGatewayConfig } from '../../../gateway/config/parseGatewayConfig';
import { DEVELOPMENT_AUTH } from '../../../gateway/auth/developmentAuth';
import { startGateway, type RunningGateway } from '../../../gateway/server/startGateway';
import type { RegisteredSource } from '../../../gateway/sources/RegisteredSource';
import { StaticSourceRegistry } from '../../../gateway/sources/StaticSourceRegistry';
import { FileConsentStore } from '../../../gateway/state/FileConsentStore';
import { InMemoryGrantStore } from '../../../gateway/state/InMemoryGrantStore';
import { createIdentitySubgraph } from '../../../subgraphs/identity/createIdentitySubgraph';
import { InMemoryPatientIndex } from '../../../subgraphs/identity/InMemoryPatientIndex';
import { serveInsuranceSubgraph } from '../../../subgraphs/insurance/serveInsuranceSubgraph';
import { serveSubgraph, type RunningSubgraph } from '../../../subgraphs/serveSubgraph';
import { captureLogger } from '../../helpers/captureLogger';
import { makeTestPki, type TestPki } from '../../helpers/makeTestPki';
import { postGraphQL } from '../../helpers/postGraphQL';
import { tokenFor } from '../../helpers/tokens';

const population = createDemoPopulation();
const person = population.people[0];
/** A person treated at a facility, for the registry case: that facility's hospital runs over mTLS. */
const treated = population.people.find((p) => p.records.some((r) => r.hasNationalId));
const facilityCode = treated?.records.find((r) => r.hasNationalId)?.facilityCode ?? '';
const facility = population.facilities.find((f) => f.code === facilityCode);
const QUERY = 'query($id: ID!) { patient(nationalId: $id) { nationalId name { full } } }';

type Answer = { patient: { nationalId: string; name: { full: string } } | null };

/**
 * docs/security.md "Gateway → source over mutual TLS": the patient index served over HTTPS that
 * requires a client certificate from its CA, behind the real gateway. Only a gateway presenting a
 * certificate from that CA is answered; any other is refused in the handshake, which the caller
 * sees as SOURCE_UNAVAILABLE for that source (not a 500) and the log explains.
 */
describe('gateway → source over mutual TLS', () => {
  let pki: TestPki;
  let vss: RunningVssSimulator;
  let identity: RunningSubgraph;
  let insurance: RunningSubgraph;
  let stateDir: string;
  let hospital: SyntheticDemoHospital;
  const registries: LiveSourceRegistry[] = [];
  const secrets = { identity: generateSigningSecret(), insurance: generateSigningSecret(), hospital: generateSigningSecret() };
  const gateways: RunningGateway[] = [];
  const audits: FileAuditLog[] = [];
  const source = captureLogger();

  beforeAll(async () => {
    if (!person) throw new Error('fixture: empty population');
    pki = await makeTestPki();
    stateDir = mkdtempSync(join(tmpdir(), 'pg-mtls-state-'));
    vss = await startVssSimulator({ population, host: '127.0.0.1', username: DEMO_VSS_ACCOUNT.username, logger: source.logger });
    const vssClient = new VssClient({ baseUrl: vss.url, ...DEMO_VSS_ACCOUNT, logger: source.logger });
    const subgraph = createIdentitySubgraph({ index: new InMemoryPatientIndex(buildDemoPatientIndex(population)), locator: new VssVisitHistoryLocator(vssClient), logger: source.logger });
    identity = await serveSubgraph({
      name: 'identity',
      schema: subgraph.schema,
      context: subgraph.createContext,
      logger: source.logger,
      signing: { secret: secrets.identity, target: 'identity' },
      tls: { cert: pki.pem(pki.serverCertFile), key: pki.pem(pki.serverKeyFile), clientCa: pki.pem(pki.caFile) },
    });
    if (!facility) throw new Error('fixture: no facility with a treated person');
    hospital = await startDemoHospital({
      facility,
      population,
      logger: source.logger,
      signing: { secret: secrets.hospital, target: facility.code },
      tls: { cert: pki.pem(pki.serverCertFile), key: pki.pem(pki.serverKeyFile), clientCa: pki.pem(pki.caFile) },
    });
    insurance = await serveInsuranceSubgraph({ vss: vssClient, logger: source.logger, host: '127.0.0.1', signing: { secret: secrets.insurance, target: 'insurance' } });
  }, 120_000);

  afterAll(async () => {
    for (const gateway of gateways) await gateway.stop();
    for (const audit of audits) await audit.close();
    for (const registry of registries) await registry.close();
    await hospital?.stop();
    await identity?.stop();
    await insurance?.stop();
    await vss?.stop();
    pki?.remove();
    rmSync(stateDir, { recursive: true, force: true });
  });

  const gatewayWith = async (tls: ClientTls, clinical?: LiveSourceRegistry): Promise<{ gateway: RunningGateway; lines: string[] }> => {
    const { logger, lines } = captureLogger();
    const n = gateways.length;
    const audit = await FileAuditLog.open(join(stateDir, `audit-${n}.jsonl`));
    audits.push(audit);
    const identitySource: RegisteredSource = { code: 'identity', name: 'patient index', contract: 'identity', url: identity.url, timeoutMs: 10_000, secret: secrets.identity };
    const sourceTls: SourceTlsSettings = { default: tls };
    const gateway = await startGateway({
      host: '127.0.0.1',
      port: 0,
      auth: DEVELOPMENT_AUTH,
      audit,
      consent: new FileConsentStore(join(stateDir, `consent-${n}.json`)),
      grants: new InMemoryGrantStore(),
      identity: identitySource,
      insurance: { code: 'insurance', name: 'insurance', contract: 'insurance', url: insurance.url, timeoutMs: 10_000, secret: secrets.insurance },
      clinicalSources: clinical ?? new StaticSourceRegistry([]),
      logger,
      introspection: false,
      sourceTls,
    });
    gateways.push(gateway);
    return { gateway, lines };
  };
  const ask = async (gateway: RunningGateway) => postGraphQL<Answer>(gateway.url, QUERY, { id: person?.nationalId }, await tokenFor('registrar', { facilityCode: '01901' }));
  const failureLog = (lines: readonly string[]): { code?: string; cause?: string } | undefined =>
    lines.map((line) => JSON.parse(line) as { msg?: string; event?: string; code?: string; cause?: string }).find((entry) => (entry.msg ?? entry.event) === 'source.failed');

  it('serves the patient index over https:// to a gateway presenting a client certificate from the source\'s CA', async () => {
    expect(identity.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    const { gateway } = await gatewayWith({ ca: pki.pem(pki.caFile), cert: pki.pem(pki.clientCertFile), key: pki.pem(pki.clientKeyFile) });
    const answer = await ask(gateway);
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data?.patient).toEqual({ nationalId: person?.nationalId, name: { full: person?.name.full } });
  });

  it.each([
    ['without a client certificate', (p: TestPki): ClientTls => ({ ca: p.pem(p.caFile) }), /refuses this gateway's client certificate/],
    ['with a client certificate from another CA', (p: TestPki): ClientTls => ({ ca: p.pem(p.caFile), cert: p.pem(p.foreignClientCertFile), key: p.pem(p.foreignClientKeyFile) }), /refuses this gateway's client certificate/],
    ['that does not trust the source\'s CA', (p: TestPki): ClientTls => ({ ca: p.pem(p.foreignCaFile), cert: p.pem(p.clientCertFile), key: p.pem(p.clientKeyFile) }), /^TLS: the source's server certificate was not accepted .*\((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\)$/],
  ])('refuses a gateway %s: SOURCE_UNAVAILABLE for that source, the reason in the log, no data, no 500', async (_label, tlsOf, reason) => {
    const { gateway, lines } = await gatewayWith(tlsOf(pki));
    const answer = await ask(gateway);
    expect(answer.status).not.toBe(500);
    expect(answer.body.data?.patient ?? null).toBeNull();
    expect(answer.body.errors?.map((e) => e.extensions?.code)).toEqual(['SOURCE_UNAVAILABLE']);
    expect(answer.text).not.toContain(person?.name.full ?? '###');
    const logged = failureLog(lines);
    expect(logged?.code).toBe('SOURCE_UNAVAILABLE');
    expect(logged?.cause).toMatch(reason);
  });

  it('logs, at the source, why it closed the handshake of a gateway without its client certificate', () => {
    const refused = source.lines.map((line) => JSON.parse(line) as { event: string; reason?: string }).filter((entry) => entry.event === 'subgraph.tls_refused');
    expect(refused.length).toBeGreaterThanOrEqual(2);
    expect(refused.map((entry) => entry.reason).join('\n')).toMatch(/peer did not return a certificate/);
    expect(refused.map((entry) => entry.reason).join('\n')).toMatch(/certificate/);
  });

  it('registers a hospital at an https:// URL requiring the client certificate (signed link and conformance kit over mTLS) and routes to it', async () => {
    const env = { SECRET_TLS_HOSPITAL: secrets.hospital };
    const registry = await LiveSourceRegistry.open({ store: new FileSourceRecordStore(join(stateDir, 'registry.json')), seed: [], logger: source.logger, env });
    registries.push(registry);
    const gatewayTls: ClientTls = { ca: pki.pem(pki.caFile), cert: pki.pem(pki.clientCertFile), key: pki.pem(pki.clientKeyFile) };
    const request = { code: facilityCode, name: 'Hospital over mTLS', contract: 'clinical', url: hospital.url, signingSecretRef: 'env:SECRET_TLS_HOSPITAL', testPatients: [treated?.nationalId ?? ''] };
    expect(hospital.url).toMatch(/^https:/);

    // Without the certificate the registration is refused at the signed link, and nothing is stored.
    const withoutCertificate = new SourceRegistrar({ registry, logger: source.logger, env, conformance: kitConformanceRunner, sourceTls: { default: { ca: pki.pem(pki.caFile) } } });
    await expect(withoutCertificate.register(request, 'admin-test')).rejects.toMatchObject({ code: 'REGISTRATION_REFUSED', details: { failedChecks: ['signed-link'] } });
    expect(registry.list()).toEqual([]);

    const registrar = new SourceRegistrar({ registry, logger: source.logger, env, conformance: kitConformanceRunner, sourceTls: { default: gatewayTls } });
    const listed = await registrar.register(request, 'admin-test');
    expect({ status: listed.record.status, problem: listed.problem }).toEqual({ status: 'active', problem: null });
    expect(registry.get(facilityCode)?.url).toBe(hospital.url);

    const { gateway } = await gatewayWith(gatewayTls, registry);
    const answer = await postGraphQL<{ patient: { encounters: { source: { facilityCode: string } }[] } | null }>(
      gateway.url,
      'query($id: ID!) { patient(nationalId: $id) { encounters { source { facilityCode } } } }',
      { id: treated?.nationalId },
      await tokenFor('clinician', { facilityCode }),
    );
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data?.patient?.encounters.length).toBeGreaterThan(0);
    expect(new Set(answer.body.data?.patient?.encounters.map((e) => e.source.facilityCode))).toEqual(new Set([facilityCode]));
  });

  it('reads the TLS files a gateway config names, per source and gateway-wide, and refuses a tls section on an http:// source', () => {
    const base = {
      auth: { kind: 'development' },
      identity: { url: identity.url, secret: secrets.identity, tls: { caFile: pki.caFile, certFile: pki.clientCertFile, keyFile: pki.clientKeyFile } },
      insurance: { url: insurance.url, secret: secrets.insurance },
      hospitals: [],
    };
    const config = parseGatewayConfig({ ...base, sourceTls: { caFile: pki.caFile } }, join(pki.dir, 'gateway.yaml'), {});
    expect(config.sourceTls?.default).toEqual({ ca: pki.pem(pki.caFile) });
    expect(config.sourceTls?.bySource?.get('identity')).toEqual({ ca: pki.pem(pki.caFile), cert: pki.pem(pki.clientCertFile), key: pki.pem(pki.clientKeyFile) });
    expect(parseGatewayConfig({ ...base, identity: { url: identity.url, secret: secrets.identity } }, undefined, {}).sourceTls).toBeNull();
    expect(() => parseGatewayConfig({ ...base, insurance: { ...base.insurance, tls: { caFile: pki.caFile } } }, undefined, {})).toThrow(/insurance\.tls.*https:\/\//);
    expect(() => parseGatewayConfig({ ...base, sourceTls: { certFile: pki.clientCertFile } }, undefined, {})).toThrow(/sourceTls\.(certFile|keyFile).*go together/);
    expect(() => parseGatewayConfig({ ...base, sourceTls: { caFile: join(pki.dir, 'missing.pem') } }, undefined, {})).toThrow(/sourceTls\.caFile.*cannot read .*missing\.pem \(ENOENT\)/);
    // A key file named as the CA: refused, and the message never quotes the file.
    const refusal = (() => {
      try {
        parseGatewayConfig({ ...base, sourceTls: { caFile: pki.clientKeyFile } }, undefined, {});
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
      return 'accepted';
    })();
    expect(refusal).toMatch(/sourceTls\.caFile.*PEM file holding a certificate/);
    expect(refusal).not.toContain('PRIVATE KEY-----');
  });
});
