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
});
