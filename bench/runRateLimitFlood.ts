import { createLogger } from '../core/logging/logger';
import { startDemoNetwork } from '../demo/startDemoNetwork';
import { issueDevelopmentToken } from '../gateway/auth/developmentAuth';

/**
 * One clinician token floods the gateway with patient look-ups (FLOOD_SECONDS, default 20;
 * FLOOD_CONNECTIONS concurrent, default 8) under the default rate limits: how many requests are
 * refused, and how many audit records that costs. Refusals by the rate limiter are written as one
 * record per principal per window (docs/security.md "Request pipeline"), not one fsync each.
 *
 * Run: `npm run bench:flood`.
 */
async function main(): Promise<void> {
  const seconds = Number(process.env.FLOOD_SECONDS ?? 20);
  const connections = Number(process.env.FLOOD_CONNECTIONS ?? 8);
  const network = await startDemoNetwork({ logger: createLogger({ level: 'error' }), hospitalKinds: 'synthetic' });
  try {
    const person = network.population.people.find((p) => p.records.length > 0 && p.card?.resultCode === '000');
    if (!person) throw new Error('the demo population has no insured person with records');
    const token = await issueDevelopmentToken({ role: 'clinician', sub: 'bench-flood', facilityCode: person.records[0]?.facilityCode ?? '' });
    const body = JSON.stringify({ query: 'query($id: ID!) { patient(nationalId: $id) { name { full } encounters { id } } }', variables: { id: person.nationalId } });
    const statuses = new Map<number, number>();
    const end = Date.now() + seconds * 1000;
    const client = async (): Promise<void> => {
      while (Date.now() < end) {
        const response = await fetch(network.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
        await response.text();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: connections }, client));
    const whileFlooding = (await network.audit.read({ sub: 'bench-flood' })).length;
    await network.gateway.stop(); // writes the open window's aggregated record
    const records = await network.audit.read({ sub: 'bench-flood' });
    console.log(
      JSON.stringify({
        seconds,
        connections,
        statuses: Object.fromEntries(statuses),
        auditRecordsWhileFlooding: whileFlooding,
        auditRecordsAfterStop: records.length,
        aggregatedRecords: records.filter((r) => r.refusals !== undefined).map((r) => r.refusals),
      }),
    );
  } finally {
    await network.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
