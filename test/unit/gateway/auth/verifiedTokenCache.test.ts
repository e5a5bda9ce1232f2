import { SignJWT } from 'jose';
import { createTokenVerifier } from '../../../../gateway/auth/createTokenVerifier';
import { DEVELOPMENT_AUTH } from '../../../../gateway/auth/developmentAuth';
import { VerifiedTokenCache } from '../../../../gateway/auth/VerifiedTokenCache';
import type { Principal } from '../../../../core/security/Principal';

const principal: Principal = { sub: 'bs-01', role: 'clinician', facilityCode: '01901', scopes: ['patient:read'], purposeOfUse: 'treatment', tokenId: null };

describe('VerifiedTokenCache', () => {
  it('gives back a verified token until its expiry, never after', () => {
    let now = 1_000_000;
    const cache = new VerifiedTokenCache({ maxEntries: 10, ttlMs: 60_000, now: () => now });
    cache.set('t', principal, 1_010); // exp 1,010 s = 1,010,000 ms: 10 s from now
    expect(cache.get('t')).toMatchObject({ sub: 'bs-01' });
    now = 1_009_999;
    expect(cache.get('t')).toBeDefined();
    now = 1_010_000;
    expect(cache.get('t')).toBeUndefined();
  });

  it('verifies again after its TTL even when the token lives longer, and keeps at most maxEntries', () => {
    let now = 0;
    const cache = new VerifiedTokenCache({ maxEntries: 2, ttlMs: 30_000, now: () => now });
    cache.set('a', principal, 3_600);
    now = 29_999;
    expect(cache.get('a')).toBeDefined();
    now = 30_000;
    expect(cache.get('a')).toBeUndefined();
    cache.set('a', principal, 3_600);
    cache.set('b', principal, 3_600);
    cache.set('c', principal, 3_600);
    expect([cache.get('a'), cache.get('b'), cache.get('c')].map((p) => p !== undefined)).toEqual([false, true, true]);
  });

  it('keeps nothing already expired and hands out a frozen copy', () => {
    const cache = new VerifiedTokenCache({ maxEntries: 10, ttlMs: 30_000, now: () => 5_000_000 });
    cache.set('old', principal, 4_999);
    expect(cache.get('old')).toBeUndefined();
    cache.set('new', principal, 6_000);
    expect(Object.isFrozen(cache.get('new'))).toBe(true);
    expect(Object.isFrozen(cache.get('new')?.scopes)).toBe(true);
  });
});

describe('createTokenVerifier with its cache', () => {
  const secret = new TextEncoder().encode(DEVELOPMENT_AUTH.secret);
  const sign = (expSec: number, key = secret): Promise<string> =>
    new SignJWT({ role: 'clinician', facility_code: '01901' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('bs-01')
      .setIssuer(DEVELOPMENT_AUTH.issuer)
      .setAudience(DEVELOPMENT_AUTH.audience)
      .setIssuedAt()
      .setExpirationTime(expSec)
      .sign(key);

  it('takes a repeated token from the cache (the same principal object)', async () => {
    const verify = await createTokenVerifier(DEVELOPMENT_AUTH);
    const token = await sign(Math.floor(Date.now() / 1000) + 600);
    const first = await verify(token);
    await expect(verify(token)).resolves.toBe(first);
  });

  it('refuses a token once it has expired, though it verified while valid', async () => {
    const verify = await createTokenVerifier({ ...DEVELOPMENT_AUTH, clockToleranceSec: 0 });
    const exp = Math.floor(Date.now() / 1000) + 2;
    const token = await sign(exp);
    await expect(verify(token)).resolves.toMatchObject({ sub: 'bs-01' });
    await expect(verify(token)).resolves.toMatchObject({ sub: 'bs-01' });
    await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 50));
    await expect(verify(token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringMatching(/expired/) });
  });

  it('verifies a token that differs from a cached one (another signature) and refuses it', async () => {
    const verify = await createTokenVerifier(DEVELOPMENT_AUTH);
    const exp = Math.floor(Date.now() / 1000) + 600;
    await verify(await sign(exp));
    const forged = await sign(exp, new TextEncoder().encode('y'.repeat(40)));
    await expect(verify(forged)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
