import { formatVssDate, vssPasswordHash, type CardCheckResponse, type TokenTakeResponse } from '../../../adapters/vss/vssProtocol';
import { silentLogger } from '../../../core/logging/logger';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import type { Population, SyntheticPerson } from '../../../demo/population/types';
import { DEMO_VSS_ACCOUNT } from '../../../demo/vss/demoVssAccount';
import { startVssSimulator, type RunningVssSimulator } from '../../../demo/vss/VssSimulator';

describe('VssSimulator', () => {
  let population: Population;
  let simulator: RunningVssSimulator;
  let query: string;

  const passwordMd5 = vssPasswordHash(DEMO_VSS_ACCOUNT.password);

  async function post<T>(path: string, body: string, contentType = 'application/json'): Promise<{ status: number; body: T }> {
    const response = await fetch(`${simulator.url}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });
    return { status: response.status, body: (await response.json()) as T };
  }

  function requestFor(p: SyntheticPerson, overrides: Record<string, unknown> = {}): string {
    return JSON.stringify({
      maThe: p.insuranceNumber,
      hoTen: p.name.full,
      ngaySinh: formatVssDate(p.birthDate),
      hoTenCb: DEMO_VSS_ACCOUNT.officer.name,
      cccdCb: DEMO_VSS_ACCOUNT.officer.nationalId,
      ...overrides,
    });
  }

  const valid = (): SyntheticPerson =>
    population.people.find((p) => p.card?.resultCode === '000' && p.records.some((r) => r.hasInsuranceNumber)) as SyntheticPerson;

  beforeAll(async () => {
    population = createDemoPopulation();
    simulator = await startVssSimulator({ population, username: DEMO_VSS_ACCOUNT.username, logger: silentLogger });
    const login = await post<TokenTakeResponse>('/api/token/take', JSON.stringify({ username: DEMO_VSS_ACCOUNT.username, password: passwordMd5 }));
    const key = login.body.APIKey;
    query = `?token=${key?.access_token}&id_token=${key?.id_token}&username=${DEMO_VSS_ACCOUNT.username}&password=${passwordMd5}`;
  });

  afterAll(async () => {
    await simulator.stop();
  });

  describe('POST /api/token/take', () => {
    it('answers maKetQua 200 with an APIKey for the right account (JSON, lower-case MD5)', async () => {
      const { status, body } = await post<TokenTakeResponse>('/api/token/take', JSON.stringify({ username: DEMO_VSS_ACCOUNT.username, password: passwordMd5 }));
      expect(status).toBe(200);
      expect(body.maKetQua).toBe('200');
      expect(body.APIKey).toEqual({
        access_token: expect.stringMatching(/^[0-9a-f]{48}$/),
        id_token: expect.stringMatching(/^[0-9a-f]{48}$/),
        token_type: 'bearer',
        username: DEMO_VSS_ACCOUNT.username,
        expires_in: expect.stringMatching(/^\d+$/),
      });
    });

    it('accepts a form-encoded body with an upper-case MD5', async () => {
      const form = new URLSearchParams({ username: DEMO_VSS_ACCOUNT.username, password: passwordMd5.toUpperCase() }).toString();
      const { body } = await post<TokenTakeResponse>('/api/token/take', form, 'application/x-www-form-urlencoded');
      expect(body.maKetQua).toBe('200');
    });

    it('answers maKetQua 401 (over HTTP 200) for a wrong password or unknown account', async () => {
      const wrong = await post<TokenTakeResponse>('/api/token/take', JSON.stringify({ username: DEMO_VSS_ACCOUNT.username, password: vssPasswordHash('nope') }));
      const unknown = await post<TokenTakeResponse>('/api/token/take', JSON.stringify({ username: '79000_BV', password: passwordMd5 }));
      const plain = await post<TokenTakeResponse>('/api/token/take', JSON.stringify({ username: DEMO_VSS_ACCOUNT.username, password: DEMO_VSS_ACCOUNT.password }));
      for (const answer of [wrong, unknown, plain]) expect(answer).toEqual({ status: 200, body: { maKetQua: '401' } });
    });
  });

  describe('POST /api/egw/KQNhanLichSuKCB2024', () => {
    it('answers 401 without a valid token', async () => {
      const { body } = await post<CardCheckResponse>('/api/egw/KQNhanLichSuKCB2024?token=x&id_token=y', requestFor(valid()));
      expect(body.maKetQua).toBe('401');
    });

    it('answers every §6.2 field for a correct look-up, visits as yyyyMMddHHmm', async () => {
      const p = valid();
      const { body } = await post<CardCheckResponse>(`/api/egw/KQNhanLichSuKCB2024${query}`, requestFor(p));
      expect(body).toMatchObject({
        maKetQua: '000',
        maThe: p.insuranceNumber,
        hoTen: p.name.full,
        ngaySinh: formatVssDate(p.birthDate),
        gioiTinh: p.gender === 'FEMALE' ? 'Nữ' : 'Nam',
        maDKBD: p.card?.registeredFacilityCode,
        gtTheTu: formatVssDate(p.card?.validFrom as string),
        gtTheDen: formatVssDate(p.card?.validTo as string),
        maSoBHXH: p.insuranceNumber?.slice(5),
      });
      for (const field of ['ghiChu', 'diaChi', 'cqBHXH', 'maKV', 'ngayDu5Nam', 'maTheCu', 'maTheMoi', 'gtTheTuMoi', 'gtTheDenMoi', 'maDKBDMoi', 'tenDKBDMoi', 'dsLichSuKT2018']) {
        expect(body).toHaveProperty(field);
      }
      expect(body.dsLichSuKCB2018?.length).toBeGreaterThan(0);
      for (const visit of body.dsLichSuKCB2018 ?? []) {
        expect(visit).toEqual({
          maHoSo: expect.any(String),
          maCSKCB: expect.stringMatching(/^\d{5}$/),
          tenCSKCB: expect.any(String),
          ngayVao: expect.stringMatching(/^\d{12}$/),
          ngayRa: expect.stringMatching(/^\d{12}$/),
          tenBenh: expect.any(String),
          tinhTrang: expect.stringMatching(/^[1-4]$/),
          kqDieuTri: expect.stringMatching(/^[1-5]$/),
          lyDoVV: expect.stringMatching(/^[1-4]$/),
        });
      }
    });

    it('records look-ups in dsLichSuKT2018', async () => {
      const p = population.people.find((x) => x.card?.resultCode === '000' && x !== valid()) as SyntheticPerson;
      await post(`/api/egw/KQNhanLichSuKCB2024${query}`, requestFor(p));
      const { body } = await post<CardCheckResponse>(`/api/egw/KQNhanLichSuKCB2024${query}`, requestFor(p));
      expect(body.dsLichSuKT2018).toEqual([
        { userKT: DEMO_VSS_ACCOUNT.username, thoiGianKT: expect.stringMatching(/^\d{12}$/), thongBao: expect.any(String), maLoi: '000' },
      ]);
    });

    it.each([
      ['a body that is not JSON', 'not json'],
      ['a missing hoTenCb', JSON.stringify({ maThe: 'DN4010000000001', hoTen: 'A', ngaySinh: '01/01/1990', cccdCb: '001085012345' })],
      ['an ISO ngaySinh', JSON.stringify({ maThe: 'DN4010000000001', hoTen: 'A', ngaySinh: '1990-01-01', hoTenCb: 'B', cccdCb: '001085012345' })],
      ['an impossible ngaySinh', JSON.stringify({ maThe: 'DN4010000000001', hoTen: 'A', ngaySinh: '31/02/1990', hoTenCb: 'B', cccdCb: '001085012345' })],
    ])('answers 205 for %s', async (_what, body) => {
      const answer = await post<CardCheckResponse>(`/api/egw/KQNhanLichSuKCB2024${query}`, body);
      expect(answer.body.maKetQua).toBe('205');
    });

    it('answers 054 for an unregistered officer CCCD and 055 for an officer name that does not match it', async () => {
      const p = valid();
      const unregistered = await post<CardCheckResponse>(`/api/egw/KQNhanLichSuKCB2024${query}`, requestFor(p, { cccdCb: '001090000001' }));
      const misnamed = await post<CardCheckResponse>(`/api/egw/KQNhanLichSuKCB2024${query}`, requestFor(p, { hoTenCb: 'Trần Thị Khác' }));
      expect(unregistered.body.maKetQua).toBe('054');
      expect(misnamed.body.maKetQua).toBe('055');
    });

    it('answers 051 for a malformed card code and for a code never issued to that BHXH number', async () => {
      const p = valid();
      const card = p.insuranceNumber as string;
      const otherGroup = `${card.startsWith('DN') ? 'HC' : 'DN'}${card.slice(2)}`;
      for (const maThe of ['ABC', `12${card.slice(2)}`, otherGroup]) {
        const { body } = await post<CardCheckResponse>(`/api/egw/KQNhanLichSuKCB2024${query}`, requestFor(p, { maThe }));
        expect(body.maKetQua).toBe('051');
      }
    });

    it('answers 050 for the CCCD of an uninsured person', async () => {
      const p = population.people.find((x) => x.insuranceNumber === null) as SyntheticPerson;
      const { body } = await post<CardCheckResponse>(`/api/egw/KQNhanLichSuKCB2024${query}`, requestFor(p, { maThe: p.nationalId }));
      expect(body.maKetQua).toBe('050');
    });

    it('matches the path case-insensitively, like the IIS-hosted portal', async () => {
      const { body } = await post<CardCheckResponse>(`/API/EGW/kqnhanlichsukcb2024${query}`, requestFor(valid()));
      expect(body.maKetQua).toBe('000');
    });
  });

  describe('test hooks', () => {
    it('counts calls per endpoint and answers 404 elsewhere', async () => {
      const before = simulator.stats();
      const response = await fetch(`${simulator.url}/api/egw/unknown`, { method: 'POST', body: '{}' });
      expect(response.status).toBe(404);
      await post(`/api/egw/KQNhanLichSuKCB2024${query}`, requestFor(valid()));
      const after = simulator.stats();
      expect(after.other - before.other).toBe(1);
      expect(after.cardCheck - before.cardCheck).toBe(1);
      expect(after.tokenTake).toBe(before.tokenTake);
    });

    it('fails with HTTP 500 for the requested number of calls, then recovers', async () => {
      simulator.setFailure('http500', { times: 1 });
      const failed = await fetch(`${simulator.url}/api/egw/KQNhanLichSuKCB2024${query}`, { method: 'POST', body: requestFor(valid()) });
      expect(failed.status).toBe(500);
      const { body } = await post<CardCheckResponse>(`/api/egw/KQNhanLichSuKCB2024${query}`, requestFor(valid()));
      expect(body.maKetQua).toBe('000');
    });
  });
});
