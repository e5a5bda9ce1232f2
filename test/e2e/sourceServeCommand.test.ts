import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningSecret } from '../../core/security/generateSigningSecret';
import { createDemoPopulation } from '../../demo/population/generatePopulation';
import { writeXml130Folder } from '../../demo/xml130/writeXml130Folder';
import { postGraphQL } from '../helpers/postGraphQL';
import { startCli } from '../helpers/runCli';
import { postRequest, signGraphQLRequest } from '../helpers/signedPost';

const population = createDemoPopulation(80);
const facility = population.facilities[2] ?? { code: '48903', name: 'x' };
// Random: the production commands refuse secrets that look like placeholders (docs/registry.md).
const SECRET = generateSigningSecret();

describe('patient-graph source serve (a hospital joining with its QĐ 130 export folder)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pg-source-e2e-'));

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the clinical contract over the folder, answers only signed requests, and stops on SIGTERM', async () => {
    const folder = join(dir, 'xml130');
    await writeXml130Folder({ population, facility, folder, hosoPerFile: 20 });
    const config = join(dir, 'hospital.yaml');
    writeFileSync(
      config,
      [
        `facility: { code: "${facility.code}", name: "${facility.name}" }`,
        `adapter: { kind: xml130, folder: ${JSON.stringify(folder)}, watch: false }`,
        'server: { host: 127.0.0.1, port: 0 }',
        'signing: { secret: "${SOURCE_SECRET}" }',
      ].join('\n'),
    );
    const source = await startCli(['source', 'serve', '--config', config], 'serving the clinical contract at', 110_000, { SOURCE_SECRET: SECRET });
    try {
      const url = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(source.stdout())?.[1] ?? '';
      const person = population.people.find((p) => p.records.some((r) => r.facilityCode === facility.code && r.hasNationalId));
      const record = person?.records.find((r) => r.facilityCode === facility.code);
      const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Patient { encounters { id source { system } match { method } } } } }';
      const variables = { r: [{ __typename: 'Patient', nationalId: person?.nationalId, facilityCodes: [facility.code], insuranceNumber: person?.insuranceNumber, name: { full: person?.name.full }, birthDate: person?.birthDate, gender: person?.gender }] };

      const unsigned = await postGraphQL(url, query, variables);
      expect(unsigned.status).toBe(401);

      const signed = await postRequest(url, signGraphQLRequest(query, variables, { secret: SECRET, target: facility.code }));
      expect(signed.status).toBe(200);
      const entities = (signed.body.data as { _entities: { encounters: { id: string; source: { system: string }; match: { method: string } }[] }[] })._entities;
      expect(entities[0]?.encounters.map((e) => e.id).sort()).toEqual((record?.resources.encounters ?? []).map((e) => `${facility.code}:${e.id}`).sort());
      expect(entities[0]?.encounters.every((e) => e.source.system === 'xml130' && e.match.method === 'NATIONAL_ID')).toBe(true);

      // The process serving runs with the low-memory settings bin/lowMemoryEnvironment.js gives `source serve`.
      const serving = environmentOf(deepestDescendant(source.child.pid ?? 0));
      expect(serving.MALLOC_ARENA_MAX).toBe('2');
      expect(serving.MALLOC_MMAP_THRESHOLD_).toBe('131072');
      expect(serving.NODE_OPTIONS).toContain('--max-semi-space-size=2');
    } finally {
      source.child.kill('SIGTERM');
    }
    expect(await new Promise((resolve) => source.child.on('close', resolve))).toBe(0);
  }, 120_000); // start-up creates the index's PGlite data directory (initdb) beside the config, then indexes the folder
});

/** The last process in the chain of first children from `pid` (the binary may start the command in a child). */
function deepestDescendant(pid: number): number {
  const children = `/proc/${pid}/task/${pid}/children`;
  const first = existsSync(children) ? readFileSync(children, 'utf8').trim().split(/\s+/).filter(Boolean)[0] : undefined;
  return first === undefined ? pid : deepestDescendant(Number(first));
}

function environmentOf(pid: number): Record<string, string> {
  const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
  return Object.fromEntries(entries.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
}
