import { graphql } from 'graphql';
import { PgliteDatabase } from '../../../adapters/sql-his/PgliteDatabase';
import { createIdentitySubgraph, type IdentitySubgraph } from '../../../subgraphs/identity/createIdentitySubgraph';
import type { SqlClient } from '../../../subgraphs/identity/SqlClient';
import { SqlPatientIndex, type IndexPerson } from '../../../subgraphs/identity/SqlPatientIndex';
import { captureLogger } from '../../helpers/captureLogger';

// Synthetic people only.
function person(n: number): IndexPerson {
  return {
    nationalId: `0010850${String(n).padStart(5, '0')}`,
    name: { full: `Trần Văn Số${n}`, family: 'Trần', given: ['Văn', `Số${n}`] },
    birthDate: '1985-03-12',
    gender: 'MALE',
    insuranceNumber: null,
  };
}

describe('the identity subgraph counts the index only when totalCount is asked for', () => {
  const statements: string[] = [];
  let db: PgliteDatabase;
  let index: SqlPatientIndex;
  let subgraph: IdentitySubgraph;

  beforeAll(async () => {
    db = PgliteDatabase.open({ dataDir: null });
    // The real embedded database, with every statement written down on its way through the port.
    const sql: SqlClient = { query: (text, params) => { statements.push(text); return db.query(text, params ?? []); } };
    index = await SqlPatientIndex.open(sql);
    await index.upsertPeople([1, 2, 3, 4, 5].map(person));
    subgraph = createIdentitySubgraph({ index, matching: index, locator: { facilityCodesOf: async (qs) => qs.map(() => []) }, logger: captureLogger().logger });
  }, 120_000);

  afterAll(async () => {
    await db?.close();
  });

  async function run(query: string): Promise<Record<string, unknown>> {
    statements.length = 0;
    const result = await graphql({ schema: subgraph.schema, source: query, contextValue: await subgraph.createContext() });
    expect(result.errors).toBeUndefined();
    return result.data as Record<string, unknown>;
  }

  const counts = (): string[] => statements.filter((s) => /count\(\*\)/i.test(s));

  it('pages without counting every row', async () => {
    const data = await run('{ patients(first: 2) { pageInfo { hasNextPage } edges { node { nationalId } } } }');
    expect(data).toEqual({ patients: { pageInfo: { hasNextPage: true }, edges: [{ node: { nationalId: '001085000001' } }, { node: { nationalId: '001085000002' } }] } });
    expect(statements.length).toBeGreaterThan(0);
    expect(counts()).toEqual([]);
  });

  it('counts once, exactly, when totalCount is selected', async () => {
    const data = await run('{ patients(first: 2) { totalCount edges { node { nationalId } } } }');
    expect(data.patients).toMatchObject({ totalCount: 5 });
    expect(counts()).toHaveLength(1);
  });
});
