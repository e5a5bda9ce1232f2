import { randomBytes } from 'node:crypto';
import { startDemoNetwork, type DemoNetwork } from '../../../demo/startDemoNetwork';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import type { SyntheticPerson } from '../../../demo/population/types';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEntry } from '../../../gateway/audit/AuditEntry';
import { FileAuditLog } from '../../../gateway/audit/FileAuditLog';
import { InMemoryRateLimiter } from '../../../gateway/limits/InMemoryRateLimiter';
import { GatewayMetrics } from '../../../gateway/observability/GatewayMetrics';
import { timeAuditAppends } from '../../../gateway/observability/timeAuditAppends';
import { SourceClients } from '../../../gateway/network/SourceClients';
import { gatewayObservability } from '../../../gateway/observability/gatewayObservability';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL } from '../../helpers/postGraphQL';
import { tokenFor } from '../../helpers/tokens';

const population = createDemoPopulation();
const running = population.facilities.slice(0, 3);
const runningCodes = new Set(running.map((f) => f.code));
const METRICS_TOKEN = randomBytes(32).toString('hex');
const LIMITED_SUB = 'metrics-test-limited';

function personAtTwo(): { person: SyntheticPerson; treatedAt: [string, string] } {
  for (const person of population.people) {
    const codes = [...new Set(person.records.map((r) => r.facilityCode))];
    if (codes.length === 2 && codes.every((c) => runningCodes.has(c))) return { person, treatedAt: codes as [string, string] };
  }
  throw new Error('fixture: no person at exactly two running hospitals');
}

const QUERY = 'query($id: ID!) { patient(nationalId: $id) { name { full } encounters { id source { facilityCode } } } }';

/** The value of one series of the Prometheus text format, 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('Prometheus /metrics through startGateway', () => {
  let network: DemoNetwork;
  const { person, treatedAt } = personAtTwo();
  const metricsUrl = (): string => new URL('/metrics', network.gateway.url).toString();
  const scrape = async (): Promise<string> => {
    const response = await fetch(metricsUrl(), { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    return response.text();
  };

  beforeAll(async () => {
    network = await startDemoNetwork({
      logger: captureLogger().logger,
      population,
      hospitalKinds: 'synthetic',
      facilities: running,
      circuitBreaker: { failureThreshold: 1, openMs: 60_000 },
      metrics: { token: METRICS_TOKEN },
      rateLimits: {
        limiter: new InMemoryRateLimiter(),
        limitFor: (principal) => (principal?.sub === LIMITED_SUB ? { capacity: 1, refillPerSecond: 0.001 } : null),
      },
    });
  }, 120_000);

  afterAll(async () => {
    await network.stop();
  });

  it('refuses /metrics without the metrics token, with a wrong one, and with a user’s token', async () => {
    const userToken = await tokenFor('admin');
    for (const authorization of [undefined, `Bearer ${METRICS_TOKEN.slice(0, -1)}x`, `Bearer ${userToken}`]) {
      const response = await fetch(metricsUrl(), { headers: authorization ? { authorization } : {} });
      expect(response.status).toBe(401);
      expect(await response.text()).not.toContain('patient_graph_');
    }
  });

  it('counts a merged patient query, the time of each source call and of the audit write, without patient data', async () => {
    const before = await scrape();
    const { status } = await postGraphQL(network.gateway.url, QUERY, { id: person.nationalId }, await tokenFor('clinician', { facilityCode: treatedAt[0] }));
    expect(status).toBe(200);
    const after = await scrape();
    expect(sample(after, 'patient_graph_requests_total{outcome="ok"}') - sample(before, 'patient_graph_requests_total{outcome="ok"}')).toBe(1);
    for (const code of treatedAt) {
      const series = `patient_graph_source_request_duration_seconds_count{source="${code}",outcome="answered"}`;
      expect(sample(after, series) - sample(before, series)).toBe(1);
    }
    expect(sample(after, 'patient_graph_audit_append_duration_seconds_count') - sample(before, 'patient_graph_audit_append_duration_seconds_count')).toBe(1);
    expect(sample(after, 'patient_graph_request_duration_seconds_count{outcome="ok"}') - sample(before, 'patient_graph_request_duration_seconds_count{outcome="ok"}')).toBe(1);
    expect(sample(after, 'patient_graph_process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(after).not.toContain(person.nationalId);
    expect(after).not.toContain(person.name.full);
  });

  it('counts refusals by error code, including those made at the HTTP edge before GraphQL runs', async () => {
    const before = await scrape();
    const invalid = await postGraphQL(network.gateway.url, QUERY, { id: '12345' }, await tokenFor('clinician', { facilityCode: treatedAt[0] }));
    expect(invalid.status).toBe(400);
    const anonymous = await postGraphQL(network.gateway.url, QUERY, { id: person.nationalId });
    expect(anonymous.status).toBe(401);
    const after = await scrape();
    const delta = (series: string): number => sample(after, series) - sample(before, series);
    expect(delta('patient_graph_request_errors_total{code="INVALID_IDENTIFIER"}')).toBe(1);
    expect(delta('patient_graph_request_errors_total{code="UNAUTHENTICATED"}')).toBe(1);
    expect(delta('patient_graph_requests_total{outcome="refused"}')).toBe(2);
  });

  it('counts rate-limit refusals', async () => {
    const token = await tokenFor('clinician', { sub: LIMITED_SUB, facilityCode: treatedAt[0] });
    const before = await scrape();
    await postGraphQL(network.gateway.url, QUERY, { id: person.nationalId }, token);
    const refused = await postGraphQL(network.gateway.url, QUERY, { id: person.nationalId }, token);
    expect(refused.status).toBe(429);
    const after = await scrape();
    expect(sample(after, 'patient_graph_rate_limit_refusals_total') - sample(before, 'patient_graph_rate_limit_refusals_total')).toBe(1);
  });

  it('shows a failing source’s errors and its open circuit', async () => {
    const [stopped, alive] = treatedAt;
    await network.hospitals.find((h) => h.facility.code === stopped)?.stop();
    const { body } = await postGraphQL(network.gateway.url, QUERY, { id: person.nationalId }, await tokenFor('clinician', { facilityCode: alive }));
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'SOURCE_UNAVAILABLE', facilityCode: stopped });
    const after = await scrape();
    expect(sample(after, `patient_graph_source_errors_total{source="${stopped}",code="SOURCE_UNAVAILABLE"}`)).toBe(1);
    expect(sample(after, `patient_graph_source_circuit_state{source="${stopped}"}`)).toBe(2);
    expect(sample(after, `patient_graph_source_circuit_state{source="${alive}"}`)).toBe(0);
    expect(sample(after, 'patient_graph_requests_total{outcome="partial"}')).toBeGreaterThanOrEqual(1);
  });
});

describe('gatewayObservability', () => {
  it('refuses a metrics token short enough to guess', () => {
    expect(() => gatewayObservability({ token: 'short' }, new SourceClients())).toThrow('at least 32 characters');
  });

  it('collects nothing and serves no endpoint without a metrics token', () => {
    expect(gatewayObservability(null, new SourceClients()).metrics).toBeNull();
  });
});

describe('timeAuditAppends', () => {
  const entry: AuditEntry = {
    time: new Date().toISOString(),
    traceId: 'trace-metrics-test',
    principal: { sub: 'auditor-test', role: 'clinician', facilityCode: '01001', purposeOfUse: 'treatment', tokenId: null },
    operation: { name: null, type: 'query', documentHash: 'a'.repeat(64) },
    fields: ['Query.patient'],
    patients: [],
    sources: [],
    outcome: 'success',
    errorCodes: [],
    flags: [],
  } as unknown as AuditEntry;

  it('times every audit write and counts the ones that fail, passing the failure on', async () => {
    const metrics = new GatewayMetrics(() => new Map());
    const audit = timeAuditAppends(await FileAuditLog.open(join(mkdtempSync(join(tmpdir(), 'pg-perf-metrics-')), 'audit.jsonl')), metrics);
    await audit.append(entry);
    expect(await audit.read()).toHaveLength(1); // other methods reach the log itself
    await audit.close();
    await expect(audit.append(entry)).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
    const text = await metrics.render();
    expect(sample(text, 'patient_graph_audit_append_duration_seconds_count')).toBe(2);
    expect(sample(text, 'patient_graph_audit_append_failures_total')).toBe(1);
  });
});
