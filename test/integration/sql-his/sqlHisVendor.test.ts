import type { PseudonymBasis } from '../../../adapters/sdk/population/patientPseudonym';
import type { PopulationQuery, PopulationRow } from '../../../adapters/sdk/population/PopulationQuery';
import { createSqlHisAdapter } from '../../../adapters/sql-his/createSqlHisAdapter';
import { loadSqlHisMapping, resolveMappingPath } from '../../../adapters/sql-his/loadSqlHisMapping';
import { openSqlHisConnection } from '../../../adapters/sql-his/openSqlHisConnection';
import type { SqlHisAdapter } from '../../../adapters/sql-his/SqlHisAdapter';
import { PgliteDatabase } from '../../../adapters/sql-his/PgliteDatabase';
import type { SqlHisConnectionSettings } from '../../../adapters/sql-his/SqlHisConfig';
import { serveClinicalSubgraph } from '../../../subgraphs/clinical/serveClinicalSubgraph';
import type { RunningSubgraph } from '../../../subgraphs/serveSubgraph';
import { DEMO_FACILITIES } from '../../../demo/population/generatePopulation';
import { createVendorHisTables } from '../../../demo/his/createVendorHisTables';
import { insertRows } from '../../../demo/his/insertRows';
import { captureLogger } from '../../helpers/captureLogger';
import { postSignedGraphQL, testSigning } from '../../helpers/signedPost';
import { createMariaDbDatabase, createPostgresDatabase } from './testDatabases';
import { VENDOR_ROWS } from './vendorHisRows';

/**
 * The vendor HIS mapping (demo/his/vendorHis.mapping.yaml) over real rows in the vendor's
 * conventions (vendorHisRows.ts), on PostgreSQL, MariaDB and PGlite, through a real subgraph over
 * HTTP: numeric times, soft deletes, discriminated and merged tables, code-table lookups, parent
 * rows, row diagnoses, identifiers, reference ranges, and a malformed time reported, not dropped.
 */
const facility = DEMO_FACILITIES[0] as (typeof DEMO_FACILITIES)[number];
const F = facility.code;
const mapping = loadSqlHisMapping(resolveMappingPath('demo-vendor'));

const PATIENT_1 = {
  __typename: 'Patient',
  nationalId: '001080000001',
  facilityCodes: [F],
  insuranceNumber: 'DN4010123456789',
  name: { full: 'Nguyễn Văn An' },
  birthDate: '1980-01-01',
  gender: 'MALE',
};
const PATIENT_2 = { ...PATIENT_1, nationalId: '001185000002', insuranceNumber: null, name: { full: 'Trần Thị Bình' }, birthDate: '1985-03-15', gender: 'FEMALE' };

const QUERY = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Patient {
      encounters { id status class period { start end } diagnoses { code { system code display } role rank } identifiers { system value } }
      observations { id code { code display } valueQuantity { value unit } valueString referenceRange { low high text appliesTo } effectiveDateTime encounterId }
      procedures { id status code { code display } performedDateTime encounterId }
      medications { id status medication { code display } dosageText quantity { value unit } route authoredOn encounterId }
    }
  }
}`;

interface Entity {
  encounters: { id: string; period: { start: string | null; end: string | null } }[];
  observations: { id: string }[];
  procedures: { id: string }[];
  medications: { id: string }[];
}

interface Backend {
  readonly settings: SqlHisConnectionSettings;
  readonly pglite?: PgliteDatabase;
  cleanup(): Promise<void>;
}

async function serverBackend(dialect: 'postgres' | 'mysql'): Promise<Backend> {
  const database = await (dialect === 'postgres' ? createPostgresDatabase() : createMariaDbDatabase());
  return { settings: { dialect, url: database.url, poolMax: 4, statementTimeoutMs: 10_000, connectTimeoutMs: 5_000 }, cleanup: () => database.drop() };
}

function pgliteBackend(): Promise<Backend> {
  const pglite = PgliteDatabase.open();
  return Promise.resolve({ settings: { dialect: 'pglite', dataDir: null, statementTimeoutMs: 10_000 }, pglite, cleanup: () => pglite.close() });
}

describe.each<[string, () => Promise<Backend>]>([
  ['PostgreSQL', () => serverBackend('postgres')],
  ['MariaDB', () => serverBackend('mysql')],
  ['PGlite', pgliteBackend],
])('sql-his on a vendor HIS schema (%s)', (_name, openBackend) => {
  let backend: Backend;
  let adapter: SqlHisAdapter;
  let subgraph: RunningSubgraph;
  const captured = captureLogger();

  beforeAll(async () => {
    backend = await openBackend();
    const { settings, pglite } = backend;
    const seeder = openSqlHisConnection(settings, { readOnly: false, ...(pglite ? { pglite } : {}) });
    try {
      await createVendorHisTables(seeder);
      for (const [table, rows] of Object.entries(VENDOR_ROWS)) await insertRows(seeder, table, rows);
    } finally {
      await seeder.close();
    }
    adapter = createSqlHisAdapter({ kind: 'sql-his', connection: settings, mapping }, { logger: captured.logger, facility, ...(pglite ? { pglite } : {}) });
    subgraph = await serveClinicalSubgraph({ facility, adapter, logger: captured.logger, signing: testSigning(F) });
  }, 120_000);

  afterAll(async () => {
    await subgraph?.stop();
    await adapter?.close();
    await backend?.cleanup();
  });

  async function chartOf(representation: Record<string, unknown>) {
    const response = await postSignedGraphQL<{ _entities: Entity[] }>(subgraph.url, F, QUERY, { representations: [representation] });
    return { entity: response.body.data!._entities[0]!, errors: response.body.errors ?? [] };
  }

  it('serves a treatment with BIGINT yyyyMMddHHmmss times, row diagnoses (main + `;` list with names) and its vendor code', async () => {
    const { entity } = await chartOf(PATIENT_1);
    expect(entity.encounters.find((e) => e.id === `${F}:11`)).toEqual({
      id: `${F}:11`,
      status: 'FINISHED',
      class: 'INPATIENT',
      period: { start: '2024-03-05T07:32:15+07:00', end: '2024-03-10T09:00:00+07:00' },
      diagnoses: [
        { code: { system: 'http://hl7.org/fhir/sid/icd-10', code: 'I21', display: 'Nhồi máu cơ tim cấp' }, role: 'PRIMARY', rank: 1 },
        { code: { system: 'http://hl7.org/fhir/sid/icd-10', code: 'I10', display: 'Tăng huyết áp' }, role: 'SECONDARY', rank: 2 },
        { code: { system: 'http://hl7.org/fhir/sid/icd-10', code: 'E78.5', display: 'Rối loạn lipid máu' }, role: 'SECONDARY', rank: 3 },
      ],
      identifiers: [{ system: 'urn:vn:his-vendor:treatment-code', value: '000000011' }],
    });
  });

  it('never serves a soft-deleted row (IS_DELETE = 1), and serves rows whose IS_DELETE is 0 or NULL', async () => {
    const { entity } = await chartOf(PATIENT_1);
    expect(entity.encounters.map((e) => e.id).sort()).toEqual([`${F}:11`, `${F}:13`]);
    expect(entity.observations.map((o) => o.id).sort()).toEqual([`${F}:cdha-1002`, `${F}:tein-5001`, `${F}:tein-5002`]);
    expect(entity.procedures.map((p) => p.id).sort()).toEqual([`${F}:1002`, `${F}:1003`]);
    expect(entity.medications.map((m) => m.id).sort()).toEqual([`${F}:exp-7001`, `${F}:mety-8001`]);
  });

  it('reports a malformed time as a coded error on that item and a log line without the value, and still serves the item', async () => {
    const { entity, errors } = await chartOf(PATIENT_1);
    const index = entity.encounters.findIndex((e) => e.id === `${F}:13`);
    expect(entity.encounters[index]!.period).toEqual({ start: null, end: null });
    expect(errors).toEqual([expect.objectContaining({
      path: ['_entities', 0, 'encounters', index, 'period', 'start'],
      extensions: expect.objectContaining({ code: 'SOURCE_VALUE_INVALID', facilityCode: F, mappingKey: 'encounters.start', expected: 'yyyyMMddHHmmss' }),
    })]);
    const line = captured.lines.find((l) => l.includes('sql_his.value_invalid') && l.includes('encounters.start'));
    expect(line).toBeDefined();
    expect(line).not.toContain('20241301250000');
  });

  it('keeps each kind of HIS_SERE_SERV apart by its service type: imaging and procedures only, never examinations, lab orders or drugs', async () => {
    const { entity } = await chartOf(PATIENT_1);
    expect(entity.procedures).toEqual([
      { id: `${F}:1002`, status: 'COMPLETED', code: { code: 'CD001', display: 'Chụp X-quang ngực thẳng' }, performedDateTime: '2024-03-06T10:00:00+07:00', encounterId: `${F}:11` },
      { id: `${F}:1003`, status: 'COMPLETED', code: { code: 'TT001', display: 'Đặt catheter tĩnh mạch ngoại biên' }, performedDateTime: '2024-03-06T10:00:00+07:00', encounterId: `${F}:11` },
    ].sort((a, b) => (a.id < b.id ? -1 : 1)));
    expect(entity.observations.find((o) => o.id === `${F}:cdha-1002`)).toMatchObject({ valueString: 'Bóng tim to nhẹ', effectiveDateTime: '2024-03-06T10:00:00+07:00' });
  });

  it('serves a row once when a join matches two code-table rows, and logs the repeat with the table key', async () => {
    const { entity } = await chartOf(PATIENT_1);
    expect(entity.observations.filter((o) => o.id === `${F}:cdha-1002`)).toHaveLength(1);
    expect(captured.lines.some((l) => l.includes('sql_his.repeated_rows') && l.includes('observations[1]'))).toBe(true);
  });

  it('reads lab names and units from the code tables, the result time from the service request two rows up, and reference ranges by sex', async () => {
    const { entity } = await chartOf(PATIENT_1);
    expect(entity.observations.find((o) => o.id === `${F}:tein-5001`)).toEqual({
      id: `${F}:tein-5001`,
      code: { code: 'GLU', display: 'Glucose' },
      valueQuantity: { value: 7.2, unit: 'mmol/L' },
      valueString: null,
      referenceRange: [{ low: 3.9, high: 6.4, text: null, appliesTo: 'MALE' }, { low: 3.9, high: 6.1, text: null, appliesTo: 'FEMALE' }],
      effectiveDateTime: '2024-03-05T09:30:00+07:00',
      encounterId: `${F}:11`,
    });
    // A sex whose range columns are empty has no range.
    expect(entity.observations.find((o) => o.id === `${F}:tein-5002`)).toMatchObject({ referenceRange: [{ low: 130, high: 170, text: null, appliesTo: 'MALE' }] });
  });

  it('merges drugs from stock and drugs bought outside, with medicine type, unit and route joined from code tables', async () => {
    const { entity } = await chartOf(PATIENT_1);
    const byId = Object.fromEntries(entity.medications.map((m) => [m.id, m]));
    expect(byId[`${F}:exp-7001`]).toEqual({
      id: `${F}:exp-7001`, status: 'COMPLETED', medication: { code: 'TH0001', display: 'Aspirin 81mg' }, dosageText: 'Uống 1 viên/ngày sau ăn',
      quantity: { value: 30, unit: 'Viên' }, route: 'Uống', authoredOn: '2024-03-05T11:00:00+07:00', encounterId: `${F}:11`,
    });
    expect(byId[`${F}:mety-8001`]).toEqual({
      id: `${F}:mety-8001`, status: 'ACTIVE', medication: { code: 'TH0099', display: 'Atorvastatin 20mg' }, dosageText: 'Uống 1 viên buổi tối',
      quantity: { value: 28, unit: 'Viên' }, route: 'Uống', authoredOn: '2024-03-10T08:30:00+07:00', encounterId: `${F}:11`,
    });
  });

  it('matches by a national ID kept in the old CMND column (matchAs: nationalId)', async () => {
    const { entity, errors } = await chartOf(PATIENT_2);
    expect(errors).toEqual([]);
    expect(entity.encounters.map((e) => e.id)).toEqual([`${F}:21`]);
    expect((entity.encounters[0] as unknown as { diagnoses: unknown[] }).diagnoses).toEqual([
      { code: { system: 'http://hl7.org/fhir/sid/icd-10', code: 'E11', display: 'Đái tháo đường típ 2' }, role: 'PRIMARY', rank: 1 },
    ]);
  });

  it('looks patients up by birth date on a BIGINT yyyyMMddHHmmss column, never returning a soft-deleted patient', async () => {
    const found = await adapter.findPatients({ nationalIds: ['001080000001'], socialInsuranceNumbers: [], birthDates: ['1980-01-01', '1985-03-15'] });
    expect(found.map((p) => p.localId).sort()).toEqual(['1', '2']);
    expect(found.find((p) => p.localId === '1')).toEqual({
      localId: '1', nationalId: '001080000001', insuranceNumber: 'DN4010123456789', fullName: 'Nguyễn Văn An', birthDate: '1980-01-01', gender: 'MALE',
      // Every identifier column with its system: CCCD and card columns, then the mapping's list.
      identifiers: [
        { system: 'urn:oid:vn:national-id', value: '001080000001' },
        { system: 'http://fhir.ehealth.gov.vn/core/sid/insurance_number', value: 'DN4010123456789' },
        { system: 'urn:vn:cmnd', value: '012345678' },
        { system: 'urn:vn:passport', value: 'B1234567' },
        { system: 'urn:vn:his-vendor:patient-code', value: 'BN0000001' },
      ],
    });
    expect(found.find((p) => p.localId === '2')).toMatchObject({ nationalId: '001185000002', gender: 'FEMALE' });
  });

  it('reads a malformed birth date as unknown and logs the mapping key, not the value', async () => {
    const found = await adapter.findPatients({ nationalIds: ['001090000004'], socialInsuranceNumbers: [], birthDates: [] });
    expect(found).toEqual([expect.objectContaining({ localId: '4', birthDate: null })]);
    const line = captured.lines.find((l) => l.includes('sql_his.value_invalid') && l.includes('patients.birthDate'));
    expect(line).toBeDefined();
    expect(line).not.toContain('19909999');
  });

  it('counts encounters and main diagnoses without soft-deleted treatments, windowed on the BIGINT start', async () => {
    expect(await adapter.encounterCount({ from: '2024-01-01', to: '2024-12-31' })).toBe(3);
    expect(await adapter.encounterCount({ from: '2024-06-01', to: null })).toBe(2);
    const counts = await adapter.diagnosisCounts({ from: null, to: null });
    expect([...counts].sort((a, b) => (a.code < b.code ? -1 : 1))).toEqual([
      { code: 'E11', display: 'Đái tháo đường típ 2', encounters: 1 },
      { code: 'I21', display: 'Nhồi máu cơ tim cấp', encounters: 1 },
      { code: 'J06', display: 'Viêm đường hô hấp trên cấp', encounters: 1 },
    ]);
  });

  it('answers population questions from the same rows: no soft-deleted treatment, secondary codes of the `;` list, a malformed time outside every window', async () => {
    const pseudonymOf = (basis: PseudonymBasis): string => `${basis.kind}:${basis.value}`;
    const ask = (measure: PopulationQuery['measure'], groupBy: PopulationQuery['groupBy'], from: string | null = null, to: string | null = null) =>
      adapter.population({ measure, groupBy, from, to, icd10Prefixes: null, encounterClasses: null }, pseudonymOf);
    const cellsOf = (rows: readonly PopulationRow[]): Record<string, number> => Object.fromEntries(rows.map((r) => [r.values.join('|'), r.count]));
    // J18 (treatment 12) is soft-deleted; treatment 13's IN_TIME (month 13) parses to no date.
    expect(cellsOf(await ask('ENCOUNTERS', ['ICD10_CODE'], '2024-01-01', '2024-12-31'))).toEqual({ I21: 1, E11: 1 });
    expect(cellsOf(await ask('CONDITIONS', ['ICD10_CODE']))).toEqual({ I21: 1, I10: 1, 'E78.5': 1, J06: 1, E11: 1 });
    expect(cellsOf(await ask('PATIENTS', []))).toEqual({ '': 2 });
    expect(cellsOf(await ask('PATIENTS', ['SEX', 'YEAR']))).toEqual({ 'MALE|2024': 1, 'FEMALE|2024': 1, 'MALE|': 1 });
  });

  it('costs one statement per table per batch, whatever the number of patients', async () => {
    const before = adapter.stats().statements;
    await chartOf(PATIENT_1);
    const one = adapter.stats().statements - before;
    const response = await postSignedGraphQL(subgraph.url, F, QUERY, { representations: [PATIENT_1, PATIENT_2] });
    expect(response.status).toBe(200);
    // patients 1, treatments 1 (diagnoses on the row), observations 2 tables, procedures 1, medications 2 tables.
    expect(one).toBe(7);
    expect(adapter.stats().statements - before - one).toBe(7);
  });
});
