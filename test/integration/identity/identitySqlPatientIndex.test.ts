import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MatchRecord } from '../../../core/matching/MatchRecord';
import { openSqlPatientIndex } from '../../../subgraphs/identity/openSqlPatientIndex';
import { MAX_CANDIDATES, type IndexPerson, type SqlPatientIndex } from '../../../subgraphs/identity/SqlPatientIndex';
import { runAsPostgresAdmin } from '../../helpers/postgresAdmin';


const admin = runAsPostgresAdmin;

// Synthetic people only.
const HUNG: IndexPerson = {
  nationalId: '001085012345',
  name: { full: 'Nguyễn Văn Hùng', family: 'Nguyễn', given: ['Văn', 'Hùng'] },
  birthDate: '1985-03-12',
  gender: 'MALE',
  insuranceNumber: 'DN4010123456789',
  province: '01',
  address: 'Số 12 Lê Lợi, Phường Kim Liên, Quận Đống Đa, Hà Nội',
  phone: '0912345678',
};
const HUNG_TWIN: IndexPerson = { ...HUNG, nationalId: '001085012346', name: { full: 'Nguyễn Văn Hưng', family: 'Nguyễn', given: ['Văn', 'Hưng'] }, insuranceNumber: null };
const LAN: IndexPerson = {
  nationalId: '079190000777',
  name: { full: 'Tạ Thị Lan', family: 'Tạ', given: ['Thị', 'Lan'] },
  birthDate: '1990-07-01',
  gender: 'FEMALE',
  insuranceNumber: null,
  province: '79',
};

const typedInCapitals: MatchRecord = { fullName: 'NGUYỄN VĂN HÙNG'.normalize('NFD'), birthDate: '1985-03-12', gender: 'male', province: '01' };
const typedWithoutDiacritics: MatchRecord = { ...typedInCapitals, fullName: 'NGUYEN VAN HUNG' };
const yearOnly: MatchRecord = { fullName: 'Tạ Thị Lan', birthDate: '1990', gender: 'female' };

describe('SqlPatientIndex on PostgreSQL', () => {
  const name = `pg_identity_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = `postgres://postgres@127.0.0.1:5432/${name}`;
  let index: SqlPatientIndex;

  beforeAll(async () => {
    await admin(`CREATE DATABASE ${name}`);
    index = await openSqlPatientIndex({ kind: 'postgres', url });
    await index.upsertPeople([HUNG, HUNG_TWIN, LAN]);
  }, 120_000);

  afterAll(async () => {
    await index?.close();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }, 60_000);

  it('sends a record typed without diacritics that fits both Hùng and his twin Hưng to review, merging neither', async () => {
    const [outcome] = await index.register([{ facilityCode: '01009', localId: 'BN-0', record: typedWithoutDiacritics }], 'load:test');
    expect(outcome).toEqual({ decision: 'POSSIBLE_MATCH', nationalIds: [HUNG.nationalId, HUNG_TWIN.nationalId] });
    expect((await index.get(HUNG.nationalId))?.linkedFacilityCodes).toEqual([]);
    expect((await index.get(HUNG_TWIN.nationalId))?.linkedFacilityCodes).toEqual([]);
    const reviews = await index.pendingReviews(10, null);
    expect(reviews.map((r) => r.nationalId)).toEqual([HUNG.nationalId, HUNG_TWIN.nationalId]);
    for (const review of reviews) await index.resolve(review.id, false, 'registrar:r0');
  });

  it('links a new hospital’s record written with diacritics (capitals, NFD) to the right person, never to the Hưng twin', async () => {
    const [outcome] = await index.register([{ facilityCode: '01001', localId: 'BN-1', record: typedInCapitals }], 'load:test');
    expect(outcome).toEqual({ decision: 'MATCH', nationalIds: [HUNG.nationalId] });
    const hung = await index.get(HUNG.nationalId);
    expect(hung?.linkedFacilityCodes).toEqual(['01001']);
    expect(hung?.identifiers).toContainEqual({ type: 'MEDICAL_RECORD_NUMBER', system: 'urn:oid:vn:facility-mrn:01001', value: 'BN-1', assigner: '01001' });
    expect((await index.get(HUNG_TWIN.nationalId))?.linkedFacilityCodes).toEqual([]);
  });

  it('keeps a possible match out of the person until a registrar confirms it, and audits both steps', async () => {
    const [outcome] = await index.register([{ facilityCode: '79001', localId: 'Q130-9', record: yearOnly }], 'load:test');
    expect(outcome?.decision).toBe('POSSIBLE_MATCH');
    expect((await index.get(LAN.nationalId))?.linkedFacilityCodes).toEqual([]);
    const [review] = await index.pendingReviews(10, null);
    expect(review).toMatchObject({ nationalId: LAN.nationalId, facilityCode: '79001', localId: 'Q130-9', decision: 'POSSIBLE_MATCH', status: 'AUTOMATIC' });
    await index.resolve(review!.id, true, 'registrar:r1');
    expect((await index.get(LAN.nationalId))?.linkedFacilityCodes).toEqual(['79001']);
    expect(await index.pendingReviews(10, null)).toEqual([]);
    expect((await index.linkEvents(LAN.nationalId)).map((e) => [e.action, e.actor])).toEqual([['link', 'load:test'], ['confirm', 'registrar:r1']]);
  });

  it('keeps a manual decision over any later automatic one (re-registration, demographic change)', async () => {
    const [link] = (await index.linksOf(HUNG.nationalId)).filter((l) => l.facilityCode === '01001');
    await index.resolve(link!.id, false, 'registrar:r2');
    expect((await index.get(HUNG.nationalId))?.linkedFacilityCodes).toEqual([]);
    await index.register([{ facilityCode: '01001', localId: 'BN-1', record: typedInCapitals }], 'load:again');
    await index.upsertPeople([{ ...HUNG, phone: '0900000000' }]);
    const after = (await index.linksOf(HUNG.nationalId)).filter((l) => l.facilityCode === '01001');
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ status: 'REJECTED', decidedBy: 'registrar:r2' });
    expect((await index.get(HUNG.nationalId))?.linkedFacilityCodes).toEqual([]);
  });

  it('re-evaluates automatic links when a person’s demographics change, and audits the unlink', async () => {
    const lan2: IndexPerson = { ...LAN, nationalId: '079190000778', name: { full: 'Tạ Thị Mai', family: 'Tạ', given: ['Thị', 'Mai'] }, birthDate: '1991-02-03' };
    await index.upsertPeople([lan2]);
    await index.register([{ facilityCode: '79002', localId: 'X1', record: { fullName: 'Ta Thi Mai', birthDate: '1991-02-03', gender: 'female', province: '79' } }], 'load:test');
    expect((await index.get(lan2.nationalId))?.linkedFacilityCodes).toEqual(['79002']);
    // The index learns the person's real given name: the old record no longer fits.
    await index.upsertPeople([{ ...lan2, name: { full: 'Tạ Thị Hoa', family: 'Tạ', given: ['Thị', 'Hoa'] } }]);
    expect((await index.get(lan2.nationalId))?.linkedFacilityCodes).toEqual([]);
    expect((await index.linkEvents(lan2.nationalId)).map((e) => e.action)).toEqual(['link', 'unlink']);
  });

  it('adds a person registered with a national ID the index did not know, linked by it', async () => {
    const record: MatchRecord = { nationalId: '048200001111', fullName: 'Hồ Văn Nam', birthDate: '2000-01-01', gender: 'male' };
    expect(await index.register([{ facilityCode: '48001', localId: 'N1', record }], 'feed:48001')).toEqual([{ decision: 'MATCH', nationalIds: ['048200001111'] }]);
    expect(await index.get('048200001111')).toMatchObject({ name: { full: 'Hồ Văn Nam', family: 'Hồ', given: ['Văn', 'Nam'] }, linkedFacilityCodes: ['48001'] });
  });

  it('sends a record that is a MATCH for two indexed people to review for both', async () => {
    const namesakes: IndexPerson[] = [
      { ...LAN, nationalId: '079190000901', name: { full: 'Lương Thị Ngọc', family: 'Lương', given: ['Thị', 'Ngọc'] }, birthDate: '1970-05-05' },
      { ...LAN, nationalId: '079190000902', name: { full: 'Lương Thị Ngọc', family: 'Lương', given: ['Thị', 'Ngọc'] }, birthDate: '1970-05-05' },
    ];
    await index.upsertPeople(namesakes);
    const [outcome] = await index.register([{ facilityCode: '79003', localId: 'D1', record: { fullName: 'Lương Thị Ngọc', birthDate: '1970-05-05', gender: 'female', province: '79' } }], 'load:test');
    expect(outcome).toEqual({ decision: 'POSSIBLE_MATCH', nationalIds: ['079190000901', '079190000902'] });
    for (const person of namesakes) expect((await index.get(person.nationalId))?.linkedFacilityCodes).toEqual([]);
  });

  it('finds candidates through the blocking keys only', async () => {
    const candidates = await index.candidates({ fullName: 'Nguyen Van Hung', birthDate: '1985', gender: 'male' });
    expect(candidates.map((c) => c.nationalId).sort()).toEqual([HUNG.nationalId, HUNG_TWIN.nationalId]);
    expect(await index.candidates({ fullName: 'Lê Văn Tám', birthDate: '1950-01-01', gender: 'male' })).toEqual([]);
  });

  it('pages by national ID with a total count', async () => {
    const first = await index.page(2, null);
    expect(first.patients.map((p) => p.nationalId)).toEqual(['001085012345', '001085012346']);
    expect(first.hasNextPage).toBe(true);
    expect(await index.count()).toBe(7);
  });

  it('keeps the people sharing the most blocking keys when a block holds more than MAX_CANDIDATES', async () => {
    // 1,000 men born in 1972 named Khoa (one shared key: year + given name), and 50 named Phan Văn
    // Khoa born that year (two more: the sorted name words, and for one the full date + family name).
    const crowd: IndexPerson[] = Array.from({ length: 1_000 }, (_, i) => ({
      nationalId: `0010720${String(i).padStart(5, '0')}`,
      name: { full: 'Trần Minh Khoa', family: 'Trần', given: ['Minh', 'Khoa'] },
      birthDate: '1972-01-01', gender: 'MALE', insuranceNumber: null, province: '01',
    }));
    const namesakes: IndexPerson[] = Array.from({ length: 50 }, (_, i) => ({
      nationalId: `0990720${String(i).padStart(5, '0')}`,
      name: { full: 'Phan Văn Khoa', family: 'Phan', given: ['Văn', 'Khoa'] },
      birthDate: `1972-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`, gender: 'MALE', insuranceNumber: null, province: '01',
    }));
    await index.upsertPeople([...crowd, ...namesakes]);
    const candidates = (await index.candidates({ fullName: 'Phan Van Khoa', birthDate: '1972-01-01', gender: 'male' })).map((c) => c.nationalId);
    expect(candidates).toHaveLength(MAX_CANDIDATES);
    expect(candidates).toEqual(expect.arrayContaining(namesakes.map((p) => p.nationalId)));
  }, 120_000);
});

describe('SqlPatientIndex on PGlite (the embedded store)', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'identity-pglite-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('survives a restart: people and links are read back from the data directory', async () => {
    const first = await openSqlPatientIndex({ kind: 'pglite', dataDir: dir });
    await first.upsertPeople([HUNG]);
    await first.register([{ facilityCode: '01001', localId: 'BN-7', record: typedInCapitals }], 'load:test');
    await first.close();
    const second = await openSqlPatientIndex({ kind: 'pglite', dataDir: dir });
    try {
      expect((await second.get(HUNG.nationalId))?.linkedFacilityCodes).toEqual(['01001']);
    } finally {
      await second.close();
    }
  }, 120_000);
});
