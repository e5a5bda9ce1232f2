import { normalizeAuditEntry } from '../../../gateway/audit/normalizeAuditEntry';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import { startDemoNetwork, type DemoNetwork } from '../../../demo/startDemoNetwork';
import { captureLogger } from '../../helpers/captureLogger';
import { postGraphQL } from '../../helpers/postGraphQL';
import { tokenFor } from '../../helpers/tokens';
import { sampleAuditEntry } from '../../unit/gateway/audit/sampleAuditEntry';

const population = createDemoPopulation();

interface Cell {
  readonly suppressed: boolean;
}

describe('every analytics query is audited with its filters and the cells released and suppressed', () => {
  let network: DemoNetwork;

  beforeAll(async () => {
    network = await startDemoNetwork({ logger: captureLogger().logger, population, hospitalKinds: 'synthetic', facilities: population.facilities.slice(0, 3) });
  }, 120_000);

  afterAll(async () => {
    await network.stop();
  });

  it('records the field, its arguments (literal and from variables) and the released and suppressed cells of the answer', async () => {
    const sub = 'analytics2-audit-rows';
    const token = await tokenFor('analyst', { sub });
    const query = `query Infections($from: Date) {
      cells: population(measure: ENCOUNTERS, groupBy: [QUARTER, SEX], icd10Prefixes: ["J", "A"], from: $from, to: "2025-12-31") { key suppressed }
    }`;
    const { status, body } = await postGraphQL<{ cells: Cell[] }>(network.gateway.url, query, { from: '2024-01-01' }, token);
    expect(status).toBe(200);
    const cells = body.data?.cells ?? [];
    const suppressed = cells.filter((c) => c.suppressed).length;
    // The window and the filters leave both kinds of cell, so both counts are really checked.
    expect(suppressed).toBeGreaterThan(0);
    expect(cells.length - suppressed).toBeGreaterThan(0);

    const [record] = await network.audit.read({ sub });
    expect(record?.aggregates).toEqual([
      {
        field: 'Query.population',
        arguments: { measure: 'ENCOUNTERS', groupBy: ['QUARTER', 'SEX'], icd10Prefixes: ['J', 'A'], from: '2024-01-01', to: '2025-12-31' },
        cellsReleased: cells.length - suppressed,
        cellsSuppressed: suppressed,
      },
    ]);
    expect(record?.fields).toContain('Query.population');
  });

  it('records a total and the cut-off `first`, one entry per aggregate field of the operation', async () => {
    const sub = 'analytics2-audit-total';
    const token = await tokenFor('analyst', { sub });
    const { status, body } = await postGraphQL<{ encounterCount: number | null; diagnosisCounts: Cell[] }>(
      network.gateway.url,
      '{ encounterCount(from: "2025-01-01") diagnosisCounts(first: 3) { code suppressed } }',
      {},
      token,
    );
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    expect(body.data?.encounterCount).toEqual(expect.any(Number));
    const [record] = await network.audit.read({ sub });
    const aggregates = record?.aggregates ?? [];
    expect(aggregates).toHaveLength(2);
    expect(aggregates).toContainEqual({ field: 'Query.encounterCount', arguments: { from: '2025-01-01' }, cellsReleased: 1, cellsSuppressed: 0 });
    // Disclosure control sees the whole table before `first` cuts it: the record counts every cell.
    const diagnoses = aggregates.find((a) => a.field === 'Query.diagnosisCounts');
    expect(diagnoses?.arguments).toEqual({ first: 3 });
    expect((diagnoses?.cellsReleased ?? 0) + (diagnoses?.cellsSuppressed ?? 0)).toBeGreaterThan(3);
  });

  it('writes a national-ID-shaped or free-text argument as `*`, and the record refuses one that is not', () => {
    const aggregate = { field: 'Query.population' as const, arguments: { icd10Prefixes: ['E11'] }, cellsReleased: 2, cellsSuppressed: 1 };
    expect(normalizeAuditEntry(sampleAuditEntry({ aggregates: [aggregate] })).aggregates).toEqual([aggregate]);
    for (const bad of [{ name: '079190054321' }, { name: 'Nguyễn Văn A' }, { nested: [['x']] }]) {
      expect(() => normalizeAuditEntry(sampleAuditEntry({ aggregates: [{ ...aggregate, arguments: bad as never }] }))).toThrow('aggregates[].arguments');
    }
    expect(() => normalizeAuditEntry(sampleAuditEntry({ aggregates: [{ ...aggregate, cellsSuppressed: -1 }] }))).toThrow('aggregates[].cellsSuppressed');
  });
});
