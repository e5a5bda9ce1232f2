import { SignJWT, exportSPKI, generateKeyPair } from 'jose';
import { createTokenVerifier } from '../../../../gateway/auth/createTokenVerifier';
import { DEVELOPMENT_AUTH, issueDevelopmentToken } from '../../../../gateway/auth/developmentAuth';

const secret = new TextEncoder().encode(DEVELOPMENT_AUTH.secret);

async function signed(claims: Record<string, unknown>, options: { exp?: string | number; iss?: string; aud?: string; key?: Uint8Array } = {}): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(typeof claims.sub === 'string' ? claims.sub : 'staff-1')
    .setIssuer(options.iss ?? DEVELOPMENT_AUTH.issuer)
    .setAudience(options.aud ?? DEVELOPMENT_AUTH.audience)
    .setExpirationTime(options.exp ?? '10m')
    .sign(options.key ?? secret);
}

describe('createTokenVerifier', () => {
  it('turns a valid development token into a principal with role, facility, scopes and purpose', async () => {
    const verify = await createTokenVerifier(DEVELOPMENT_AUTH);
    const token = await issueDevelopmentToken({ role: 'clinician', sub: 'bs-01', facilityCode: '01901', scopes: ['patient:read'] });
    await expect(verify(token)).resolves.toMatchObject({ sub: 'bs-01', role: 'clinician', facilityCode: '01901', scopes: ['patient:read'], purposeOfUse: 'treatment' });
  });

  it.each([
    ['an expired token', () => signed({ role: 'analyst' }, { exp: Math.floor(Date.now() / 1000) - 3600 }), /expired/],
    ['a token signed with another secret', () => signed({ role: 'analyst' }, { key: new TextEncoder().encode('x'.repeat(40)) }), /signature/],
    ['a token for another audience', () => signed({ role: 'analyst' }, { aud: 'someone-else' }), /claim/],
    ['a token from another issuer', () => signed({ role: 'analyst' }, { iss: 'urn:evil' }), /claim/],
    ['a token without a role', () => signed({}), /role/],
    ['a clinician token without a facility', () => signed({ role: 'clinician' }), /facility/],
    ['a patient token whose subject is not a national ID', () => signed({ role: 'patient', sub: 'bob' }), /national ID/],
    ['garbage', () => Promise.resolve('not.a.jwt'), /malformed|could not/],
  ])('rejects %s with UNAUTHENTICATED', async (_name, make, reason) => {
    const verify = await createTokenVerifier(DEVELOPMENT_AUTH);
    const error = await verify(await make()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((error as Error).message).toMatch(reason);
  });

  it('rejects an HS256 token when the gateway expects RS256 (no algorithm confusion)', async () => {
    const { publicKey } = await generateKeyPair('RS256');
    const verify = await createTokenVerifier({ kind: 'public-key', algorithm: 'RS256', publicKeyPem: await exportSPKI(publicKey), issuer: DEVELOPMENT_AUTH.issuer, audience: DEVELOPMENT_AUTH.audience });
    await expect(verify(await signed({ role: 'analyst' }))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('accepts an RS256 token signed by the configured key', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const verify = await createTokenVerifier({ kind: 'public-key', algorithm: 'RS256', publicKeyPem: await exportSPKI(publicKey), issuer: 'urn:idp', audience: 'patient-graph' });
    const token = await new SignJWT({ role: 'auditor' }).setProtectedHeader({ alg: 'RS256' }).setSubject('aud-1').setIssuer('urn:idp').setAudience('patient-graph').setExpirationTime('5m').sign(privateKey);
    await expect(verify(token)).resolves.toMatchObject({ role: 'auditor', sub: 'aud-1' });
  });

  it('refuses a shared secret shorter than 32 bytes and an unbounded clock skew at construction', async () => {
    await expect(createTokenVerifier({ ...DEVELOPMENT_AUTH, secret: 'short' })).rejects.toThrow('at least 32 bytes');
    await expect(createTokenVerifier({ ...DEVELOPMENT_AUTH, clockToleranceSec: 3600 })).rejects.toThrow('clockToleranceSec');
  });

  describe('token lifetime (maximum exp − iat, iat not in the future)', () => {
    const now = (): number => Math.floor(Date.now() / 1000);
    const withTimes = (times: { iat?: number; exp: number }): Promise<string> => {
      const jwt = new SignJWT({ role: 'analyst' }).setProtectedHeader({ alg: 'HS256' }).setSubject('an-1').setIssuer(DEVELOPMENT_AUTH.issuer).setAudience(DEVELOPMENT_AUTH.audience).setExpirationTime(times.exp);
      if (times.iat !== undefined) jwt.setIssuedAt(times.iat);
      return jwt.sign(secret);
    };
    const rejection = async (token: string, config = DEVELOPMENT_AUTH): Promise<unknown> => (await createTokenVerifier(config))(token).then(() => 'accepted', (e: unknown) => e);

    it('accepts a 12-hour token by default and refuses one a second longer, with or without iat', async () => {
      const t = now();
      await expect(rejection(await withTimes({ iat: t, exp: t + 12 * 3600 }))).resolves.toBe('accepted');
      expect(await rejection(await withTimes({ iat: t, exp: t + 12 * 3600 + 1 }))).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringMatching(/lifetime \(exp − iat\) exceeds the 43200 s/) });
      expect(await rejection(await withTimes({ exp: t + 100 * 365 * 24 * 3600 }))).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringMatching(/stays valid longer than the 43200 s/) });
      await expect(rejection(await withTimes({ exp: t + 3600 }))).resolves.toBe('accepted');
    });

    it('refuses a token issued in the future beyond the clock tolerance, and accepts one within it', async () => {
      const t = now();
      expect(await rejection(await withTimes({ iat: t + 24 * 3600, exp: t + 25 * 3600 }))).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringMatching(/issued in the future/) });
      expect(await rejection(await withTimes({ iat: t + 60, exp: t + 3600 }))).toMatchObject({ code: 'UNAUTHENTICATED' });
      await expect(rejection(await withTimes({ iat: t + 10, exp: t + 3600 }))).resolves.toBe('accepted');
    });

    it('uses the configured maximum and refuses a maximum outside 1 minute to 7 days at construction', async () => {
      const t = now();
      const oneHour = { ...DEVELOPMENT_AUTH, maxTokenLifetimeSec: 3600 };
      expect(await rejection(await withTimes({ iat: t, exp: t + 3601 }), oneHour)).toMatchObject({ code: 'UNAUTHENTICATED' });
      await expect(rejection(await withTimes({ iat: t, exp: t + 3600 }), oneHour)).resolves.toBe('accepted');
      await expect(createTokenVerifier({ ...DEVELOPMENT_AUTH, maxTokenLifetimeSec: 59 })).rejects.toThrow('maxTokenLifetimeSec');
      await expect(createTokenVerifier({ ...DEVELOPMENT_AUTH, maxTokenLifetimeSec: 8 * 24 * 3600 })).rejects.toThrow('maxTokenLifetimeSec');
    });
  });
});
