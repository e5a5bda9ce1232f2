import { InMemoryCardCheckCache } from '../../../adapters/vss/InMemoryCardCheckCache';
import { VssClient, type VssClientOptions } from '../../../adapters/vss/VssClient';
import { PatientGraphError } from '../../../core/errors/PatientGraphError';
import { createLogger, silentLogger } from '../../../core/logging/logger';
import { createDemoPopulation } from '../../../demo/population/generatePopulation';
import type { Population, SyntheticPerson } from '../../../demo/population/types';
import { DEMO_VSS_ACCOUNT } from '../../../demo/vss/demoVssAccount';
import { startVssSimulator, type RunningVssSimulator } from '../../../demo/vss/VssSimulator';

const ISO_DATE_TIME_VN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\+07:00$/;

describe('VssClient', () => {
  let population: Population;
  let simulator: RunningVssSimulator;
  const used = new Set<SyntheticPerson>();

  beforeAll(async () => {
    population = createDemoPopulation();
    simulator = await startVssSimulator({ population, username: DEMO_VSS_ACCOUNT.username, logger: silentLogger });
  });

  afterEach(() => {
    simulator.setLatencyMs(0);
    simulator.setFailure('none');
  });

  afterAll(async () => {
    await simulator.stop();
  });

  function client(overrides: Partial<VssClientOptions> = {}): VssClient {
    return new VssClient({
      baseUrl: simulator.url,
      username: DEMO_VSS_ACCOUNT.username,
      password: DEMO_VSS_ACCOUNT.password,
      officer: DEMO_VSS_ACCOUNT.officer,
      timeoutMs: 2_000,
      logger: silentLogger,
      ...overrides,
    });
  }

  /** A person not used by an earlier test, so no test rides on another's cache or history. */
  function person(predicate: (p: SyntheticPerson) => boolean): SyntheticPerson {
    const found = population.people.find((p) => !used.has(p) && predicate(p));
    if (!found) throw new Error('the demo population has no such person');
    used.add(found);
    return found;
  }

  function insuredVisitCount(p: SyntheticPerson): number {
    return p.records.filter((r) => r.hasInsuranceNumber).reduce((sum, r) => sum + r.resources.encounters.length, 0);
  }

  const checkOf = (p: SyntheticPerson) => ({ cardNumber: p.insuranceNumber as string, fullName: p.name.full, birthDate: p.birthDate });

  it('returns VALID (000) with the card facts and the visit history from every facility, newest first', async () => {
    const p = person((x) => x.card?.resultCode === '000' && insuredVisitCount(x) >= 2
      && new Set(x.records.filter((r) => r.hasInsuranceNumber).map((r) => r.facilityCode)).size >= 2);
    const result = await client().checkCard(checkOf(p));
    if (result.kind !== 'card') throw new Error(`expected a card, got ${result.resultCode}`);
    expect(result.resultCode).toBe('000');
    expect(result.status).toBe('VALID');
    expect(result.card).toMatchObject({
      number: p.insuranceNumber,
      fullName: p.name.full,
      birthDate: p.birthDate,
      validFrom: p.card?.validFrom,
      validTo: p.card?.validTo,
      registeredFacilityCode: p.card?.registeredFacilityCode,
      socialInsuranceNumber: p.insuranceNumber?.slice(5),
    });
    expect(result.visits).toHaveLength(insuredVisitCount(p));
    expect(new Set(result.visits.map((v) => v.facilityCode)).size).toBeGreaterThanOrEqual(2);
    for (const visit of result.visits) {
      expect(visit.admittedAt).toMatch(ISO_DATE_TIME_VN);
      expect(visit.dischargedAt).toMatch(ISO_DATE_TIME_VN);
      expect(visit.facilityName).toBeTruthy();
      expect(visit.dischargeStatus).toBe('DISCHARGED');
    }
    const admitted = result.visits.map((v) => Date.parse(v.admittedAt as string));
    expect(admitted).toEqual([...admitted].sort((a, b) => b - a));
  });

  it('accepts the bare 10-digit BHXH code and the 12-digit CCCD as maThe', async () => {
    const p = person((x) => x.card?.resultCode === '000');
    const vss = client();
    const byCode = await vss.checkCard({ ...checkOf(p), cardNumber: (p.insuranceNumber as string).slice(5) });
    const byCccd = await vss.checkCard({ ...checkOf(p), cardNumber: p.nationalId });
    expect(byCode).toMatchObject({ kind: 'card', status: 'VALID', card: { number: p.insuranceNumber } });
    expect(byCccd).toMatchObject({ kind: 'card', status: 'VALID', card: { number: p.insuranceNumber } });
  });

  it('returns NAME_MISMATCH (060) for a wrong name, and 061 when only the first letter is right', async () => {
    const p = person((x) => x.card?.resultCode === '000' && !x.name.full.startsWith('Z'));
    const vss = client();
    expect(await vss.checkCard({ ...checkOf(p), fullName: 'Zương Văn Sai' }))
      .toEqual({ kind: 'rejected', resultCode: '060', status: 'NAME_MISMATCH', message: expect.any(String) });
    expect(await vss.checkCard({ ...checkOf(p), fullName: `${p.name.full} Sai` }))
      .toMatchObject({ kind: 'rejected', resultCode: '061', status: 'NAME_MISMATCH' });
  });

  it('compares names ignoring case and spacing but not diacritics, as VSS does', async () => {
    const p = person((x) => x.card?.resultCode === '000' && /[^\x00-\x7f]/.test(x.name.full));
    const vss = client({ cacheTtlMs: 0 });
    const shouted = `  ${p.name.full.toUpperCase().replace(/ /g, '   ')} `;
    expect(await vss.checkCard({ ...checkOf(p), fullName: shouted })).toMatchObject({ kind: 'card', status: 'VALID' });
    const stripped = p.name.full.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
    expect(await vss.checkCard({ ...checkOf(p), fullName: stripped })).toMatchObject({ kind: 'rejected', status: 'NAME_MISMATCH' });
  });

  it('returns BIRTH_DATE_MISMATCH (070) for a wrong birth date', async () => {
    const p = person((x) => x.card?.resultCode === '000');
    const wrong = p.birthDate.endsWith('-01') ? `${p.birthDate.slice(0, 8)}02` : `${p.birthDate.slice(0, 8)}01`;
    expect(await client().checkCard({ ...checkOf(p), birthDate: wrong }))
      .toMatchObject({ kind: 'rejected', resultCode: '070', status: 'BIRTH_DATE_MISMATCH' });
  });

  it('returns EXPIRED (010) with the card facts of an expired card', async () => {
    const p = person((x) => x.card?.resultCode === '010');
    const result = await client().checkCard(checkOf(p));
    expect(result).toMatchObject({ kind: 'card', resultCode: '010', status: 'EXPIRED', card: { validTo: p.card?.validTo } });
  });

  it('returns EXPIRED_NEW_CARD_ISSUED (003) with the new card', async () => {
    const p = person((x) => x.card?.resultCode === '003');
    const result = await client().checkCard(checkOf(p));
    expect(result).toMatchObject({
      kind: 'card',
      status: 'EXPIRED_NEW_CARD_ISSUED',
      card: { newCard: { number: p.card?.newCard?.number, validFrom: p.card?.newCard?.validFrom } },
    });
  });

  it('returns REVOKED (110) for a revoked card', async () => {
    const p = person((x) => x.card?.resultCode === '110');
    expect(await client().checkCard(checkOf(p))).toMatchObject({ kind: 'card', status: 'REVOKED' });
  });

  it('returns NOT_FOUND (050) for an unknown card and 052/053 for malformed province and benefit characters', async () => {
    const p = person((x) => x.card?.resultCode === '000');
    const vss = client();
    const card = p.insuranceNumber as string;
    const unknownBhxh = population.people.some((x) => x.insuranceNumber?.endsWith('9999999999')) ? '9999999998' : '9999999999';
    expect(await vss.checkCard({ ...checkOf(p), cardNumber: `${card.slice(0, 5)}${unknownBhxh}` })).toMatchObject({ resultCode: '050', status: 'NOT_FOUND' });
    expect(await vss.checkCard({ ...checkOf(p), cardNumber: `${card.slice(0, 3)}00${card.slice(5)}` })).toMatchObject({ resultCode: '052', status: 'NOT_FOUND' });
    expect(await vss.checkCard({ ...checkOf(p), cardNumber: `${card.slice(0, 2)}9${card.slice(3)}` })).toMatchObject({ resultCode: '053', status: 'NOT_FOUND' });
  });

  it('returns LOOKUP_NOT_AUTHORIZED (054) when the officer is not registered with VSS', async () => {
    const p = person((x) => x.card?.resultCode === '000');
    const stranger = client({ officer: { name: 'Lê Văn Lạ', nationalId: '001090000001' } });
    expect(await stranger.checkCard(checkOf(p))).toMatchObject({ kind: 'rejected', resultCode: '054', status: 'LOOKUP_NOT_AUTHORIZED' });
  });

  it('logs in again once when VSS answers 401 to a revoked token, then succeeds', async () => {
    const first = person((x) => x.card?.resultCode === '000');
    const second = person((x) => x.card?.resultCode === '000');
    const vss = client();
    await vss.checkCard(checkOf(first));
    const before = simulator.stats();
    simulator.invalidateTokens();
    const result = await vss.checkCard(checkOf(second));
    expect(result).toMatchObject({ kind: 'card', status: 'VALID' });
    expect(vss.stats()).toMatchObject({ logins: 2, tokenRefreshes: 1, cardCheckCalls: 3 });
    const after = simulator.stats();
    expect(after.tokenTake - before.tokenTake).toBe(1);
    expect((after.cardCheckResults['401'] ?? 0) - (before.cardCheckResults['401'] ?? 0)).toBe(1);
  });

  it('reuses one login for many checks', async () => {
    const vss = client();
    await Promise.all([1, 2, 3].map(() => vss.checkCard(checkOf(person((x) => x.card?.resultCode === '000')))));
    expect(vss.stats().logins).toBe(1);
  });

  it('returns SERVICE_ERROR (205) when VSS rejects a malformed parameter', async () => {
    const p = person((x) => x.card?.resultCode === '000');
    // The client checks the shape only; 30 February is VSS's to reject.
    expect(await client().checkCard({ ...checkOf(p), birthDate: '1990-02-30' }))
      .toMatchObject({ kind: 'rejected', resultCode: '205', status: 'SERVICE_ERROR' });
  });

  it('refuses inputs it cannot send, without calling VSS', async () => {
    const before = simulator.stats().cardCheck;
    const vss = client();
    await expect(vss.checkCard({ cardNumber: 'DN-47', fullName: 'A B', birthDate: '1990-01-01' })).rejects.toMatchObject({ code: 'INVALID_IDENTIFIER' });
    await expect(vss.checkCard({ cardNumber: 'DN4790000000001', fullName: ' ', birthDate: '1990-01-01' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(vss.checkCard({ cardNumber: 'DN4790000000001', fullName: 'A B', birthDate: '01/01/1990' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(simulator.stats().cardCheck).toBe(before);
  });

  it('throws SOURCE_TIMEOUT when VSS exceeds its deadline', async () => {
    const p = person((x) => x.card?.resultCode === '000');
    const vss = client({ timeoutMs: 150 });
    await vss.checkCard(checkOf(person((x) => x.card?.resultCode === '000'))); // log in while fast
    simulator.setLatencyMs(600);
    const error = await vss.checkCard(checkOf(p)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PatientGraphError);
    expect(error).toMatchObject({ code: 'SOURCE_TIMEOUT', details: { source: 'vss' } });
    expect((error as Error).message).not.toContain(p.name.full);
  });

  it('throws SOURCE_UNAVAILABLE when VSS answers HTTP 500', async () => {
    const p = person((x) => x.card?.resultCode === '000');
    simulator.setFailure('http500');
    await expect(client().checkCard(checkOf(p))).rejects.toMatchObject({ code: 'SOURCE_UNAVAILABLE', details: { source: 'vss' } });
  });

  it('repeats a call once after a connection reset', async () => {
    const p = person((x) => x.card?.resultCode === '000');
    const vss = client();
    simulator.setFailure('reset', { times: 1 });
    expect(await vss.checkCard(checkOf(p))).toMatchObject({ kind: 'card', status: 'VALID' });
    expect(vss.stats().connectionRetries).toBe(1);
  });

  it('stops calling VSS while its answers keep failing (circuit open), without a request', async () => {
    const vss = client();
    await vss.checkCard(checkOf(person((x) => x.card?.resultCode === '000'))); // log in while VSS works
    simulator.setFailure('http500');
    for (let i = 0; i < 5; i++) await expect(vss.checkCard(checkOf(person((x) => x.card?.resultCode === '000')))).rejects.toMatchObject({ code: 'SOURCE_UNAVAILABLE' });
    simulator.setFailure('none');
    const before = vss.stats().cardCheckCalls;
    const received = simulator.stats().cardCheck;
    await expect(vss.checkCard(checkOf(person((x) => x.card?.resultCode === '000')))).rejects.toMatchObject({ code: 'SOURCE_UNAVAILABLE', details: { source: 'vss' } });
    expect(vss.stats().cardCheckCalls).toBe(before + 1);
    expect(simulator.stats().cardCheck).toBe(received);
  });

  it('throws SOURCE_UNAVAILABLE when the facility login is rejected', async () => {
    const p = person((x) => x.card?.resultCode === '000');
    await expect(client({ password: 'wrong' }).checkCard(checkOf(p))).rejects.toMatchObject({ code: 'SOURCE_UNAVAILABLE' });
  });

  it('throws SOURCE_UNAVAILABLE when VSS is down', async () => {
    const p = person((x) => x.card?.resultCode === '000');
    const doomed = await startVssSimulator({ population, username: DEMO_VSS_ACCOUNT.username, logger: silentLogger });
    const vss = client({ baseUrl: doomed.url });
    await doomed.stop();
    const error = await vss.checkCard(checkOf(p)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SOURCE_UNAVAILABLE', details: { source: 'vss' } });
    expect((error as Error).message).not.toContain(doomed.url);
  });

  it('answers a repeated check from its cache without calling VSS (same card, name up to case and spacing, birth date)', async () => {
    const p = person((x) => x.card?.resultCode === '000');
    const vss = client();
    const first = await vss.checkCard(checkOf(p));
    const callsBefore = simulator.stats().cardCheck;
    const second = await vss.checkCard({ ...checkOf(p), fullName: ` ${p.name.full.toLowerCase()} ` });
    expect(second).toEqual(first);
    expect(simulator.stats().cardCheck).toBe(callsBefore);
    expect(vss.stats()).toMatchObject({ cacheHits: 1, cacheMisses: 1 });
  });

  it('does not cache rejected checks, and forgets cards after the TTL', async () => {
    const p = person((x) => x.card?.resultCode === '000');
    let now = 1_000_000;
    const vss = client({ cacheTtlMs: 1_000, cache: new InMemoryCardCheckCache({ now: () => now }) });
    await vss.checkCard({ ...checkOf(p), fullName: 'Zương Văn Sai' });
    await vss.checkCard({ ...checkOf(p), fullName: 'Zương Văn Sai' });
    await vss.checkCard(checkOf(p));
    now += 1_001;
    await vss.checkCard(checkOf(p));
    expect(vss.stats()).toMatchObject({ cacheHits: 0, cardCheckCalls: 4 });
  });

  it('keeps at most maxConcurrent calls in flight', async () => {
    const own = await startVssSimulator({ population, username: DEMO_VSS_ACCOUNT.username, logger: silentLogger });
    try {
      const vss = client({ baseUrl: own.url, maxConcurrent: 2 });
      own.setLatencyMs(80);
      const people = Array.from({ length: 6 }, () => person((x) => x.card?.resultCode === '000'));
      const results = await Promise.all(people.map((p) => vss.checkCard(checkOf(p))));
      expect(results.every((r) => r.status === 'VALID')).toBe(true);
      expect(own.stats().peakConcurrency).toBe(2);
      expect(vss.stats()).toMatchObject({ logins: 1, inFlight: 0, queued: 0 });
    } finally {
      await own.stop();
    }
  });

  it('never writes names, card numbers or national IDs to its log', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', write: (line) => lines.push(line) });
    const p = person((x) => x.card?.resultCode === '000');
    const vss = client({ logger, timeoutMs: 100 });
    await vss.checkCard(checkOf(p));
    await vss.checkCard({ ...checkOf(p), fullName: 'Zương Văn Sai' });
    simulator.setLatencyMs(300);
    await vss.checkCard({ ...checkOf(p), cardNumber: p.nationalId }).catch(() => undefined);
    expect(lines.length).toBeGreaterThan(2);
    const log = lines.join('\n');
    for (const secret of [p.name.full, 'Zương', p.insuranceNumber as string, p.nationalId, (p.insuranceNumber as string).slice(5)]) {
      expect(log).not.toContain(secret);
    }
  });
});
