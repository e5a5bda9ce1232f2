import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import { startDemoNetwork, type DemoNetwork } from '../../../demo/startDemoNetwork';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL } from '../../helpers/postGraphQL';
import { SOURCE_INTERNAL_ERROR_TEXT, startFaultProxy, type FaultProxy } from '../../helpers/startFaultProxy';
import { tokenFor } from '../../helpers/tokens';

const population = createDemoPopulation(30);
const facilities = population.facilities.slice(0, 2);
const PHI = ['Nguyễn Văn Thử', '079099012345', '10.0.0.7', 'his.patients'];

/**
 * A source's own internal error text may hold a patient's name, an ID or its internals: through the
 * real gateway, the client gets a generic message with the code, the facility and the request's
 * trace id; the log line with that trace id keeps the detail, scrubbed of the name and the ID.
 */
describe('a source’s INTERNAL_SERVER_ERROR through the real gateway', () => {
  let network: DemoNetwork;
  const proxies = new Map<string, FaultProxy>();
  const logs = captureLogger();

  beforeAll(async () => {
    network = await startDemoNetwork({
      logger: logs.logger,
      population,
      facilities,
      hospitalKinds: 'synthetic',
      hospitalEndpoint: async (facility, url) => {
        const proxy = await startFaultProxy(url);
        proxies.set(facility.code, proxy);
        return proxy.url;
      },
    });
  }, 120_000);

  afterAll(async () => {
    await network?.stop();
    await Promise.all([...proxies.values()].map((p) => p.stop()));
  });

  it('sends a generic message with the code, the facility and the trace id; the detail only in the PHI-free log', async () => {
    const failing = facilities[0]?.code ?? '';
    proxies.get(failing)?.setMode('internal-error');
    const token = await tokenFor('analyst');
    const response = await postGraphQL<{ encounterCount: number | null }>(network.gateway.url, '{ encounterCount }', {}, token);
    const text = JSON.stringify(response.body);
    for (const secret of [...PHI, SOURCE_INTERNAL_ERROR_TEXT]) expect(text).not.toContain(secret);
    const errors = response.body.errors ?? [];
    expect(errors).toHaveLength(1);
    const [error] = errors;
    expect(error?.message).toBe('A source failed internally; the details are in the gateway log under this trace id, and in the source’s own log.');
    expect(error?.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', facilityCode: failing, serviceName: 'clinical', traceId: expect.stringMatching(/^[0-9a-f-]{36}$/) });

    const traceId = String(error?.extensions?.traceId);
    const logged = logs.lines.filter((line) => line.includes(traceId));
    expect(logged).toHaveLength(1);
    const entry = JSON.parse(logged[0] ?? '{}') as Record<string, unknown>;
    expect(entry).toMatchObject({ level: 'error', event: 'gateway.source_internal_error', traceId, facilityCode: failing });
    expect(String(entry.message)).toContain('failed: relation');
    for (const secret of PHI.slice(0, 2)) expect(logs.lines.join('\n')).not.toContain(secret);

    // The audit record of the request carries the same trace id, so the three join.
    const records = await network.audit.read();
    expect(records.some((record) => record.traceId === traceId)).toBe(true);
  });
});
