import { createHash, createHmac } from 'node:crypto';
import type { Principal } from '../../../../core/security/Principal';
import {
  assertSigningSecret,
  signRequest,
  verifyRequest,
  type SignatureHeaders,
  type SignedPrincipal,
  type VerifyRequestInput,
} from '../../../../core/security/requestSignature';

const SECRET = 'k'.repeat(16) + 'ĐƯỜNG-secret-bytes'; // ≥ 32 bytes, non-ASCII on purpose
const OTHER_SECRET = 'z'.repeat(40);
const NOW = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const NONCE = '0123456789abcdef0123456789abcdef';
const BODY = JSON.stringify({ query: '{ _entities { __typename } }', variables: { name: 'Nguyễn Thị Hoa' } });
const PRINCIPAL: Principal = {
  sub: 'bs-0042',
  role: 'clinician',
  facilityCode: '01001',
  scopes: ['clinical:read'],
  purposeOfUse: 'treatment',
  tokenId: 'jti-1',
};

function sign(overrides: Partial<Parameters<typeof signRequest>[0]> = {}): SignatureHeaders {
  return signRequest({ secret: SECRET, method: 'POST', target: '01001', body: BODY, principal: PRINCIPAL, timestampMs: NOW, nonce: NONCE, ...overrides });
}

function verify(headers: VerifyRequestInput['headers'], overrides: Partial<VerifyRequestInput> = {}): ReturnType<typeof verifyRequest> {
  return verifyRequest({ secret: SECRET, expectedTarget: '01001', method: 'POST', headers, body: BODY, nowMs: NOW, maxSkewMs: 300_000, ...overrides });
}

describe('signRequest / verifyRequest', () => {
  it('round-trips a signed request and yields only the four principal facts', () => {
    const headers = sign();
    expect(verify(headers)).toEqual({
      kind: 'valid',
      principal: { sub: 'bs-0042', role: 'clinician', facilityCode: '01001', purposeOfUse: 'treatment' },
      nonce: NONCE,
      timestampMs: NOW,
    });
    const carried = JSON.parse(Buffer.from(headers['x-pg-principal'] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(Object.keys(carried).sort()).toEqual(['facilityCode', 'purposeOfUse', 'role', 'sub']);
  });

  it('signs a request without a principal without an x-pg-principal header, and verifies it with a null principal', () => {
    const headers = sign({ principal: null });
    expect(Object.keys(headers).sort()).toEqual(['x-pg-nonce', 'x-pg-signature', 'x-pg-target', 'x-pg-timestamp']);
    expect(verify(headers)).toMatchObject({ kind: 'valid', principal: null });
  });

  it('computes HMAC-SHA256 over v1, method, target, timestamp, nonce, body hash and principal header', () => {
    const headers = sign();
    const bodyHash = createHash('sha256').update(BODY, 'utf8').digest('hex');
    const canonical = ['v1', 'POST', '01001', String(NOW), NONCE, bodyHash, headers['x-pg-principal']].join('\n');
    const mac = createHmac('sha256', SECRET).update(canonical).digest('hex');
    expect(headers).toMatchObject({ 'x-pg-timestamp': String(NOW), 'x-pg-nonce': NONCE, 'x-pg-target': '01001', 'x-pg-signature': `v1=${mac}` });
  });

  it('verifies the body as the bytes received (a Buffer) what was signed as a string', () => {
    expect(verify(sign(), { body: Buffer.from(BODY, 'utf8') }).kind).toBe('valid');
  });

  it.each<[string, Partial<VerifyRequestInput>]>([
    ['body', { body: BODY.replace('Hoa', 'Hòa') }],
    ['method', { method: 'PUT' }],
    ['secret', { secret: OTHER_SECRET }],
  ])('refuses a request whose %s differs from what was signed', (_what, overrides) => {
    expect(verify(sign(), overrides)).toEqual({ kind: 'invalid', reason: 'bad-signature' });
  });

  it.each<[string, Record<string, string>]>([
    ['target', { 'x-pg-target': '79001' }],
    ['timestamp', { 'x-pg-timestamp': String(NOW + 1) }],
    ['nonce', { 'x-pg-nonce': 'f'.repeat(32) }],
    ['principal', { 'x-pg-principal': Buffer.from(JSON.stringify({ ...PRINCIPAL, role: 'admin' })).toString('base64url') }],
  ])('refuses a request whose %s header was changed after signing', (_what, changed) => {
    const tampered = { ...sign(), ...changed };
    // Even when the verifier expects the tampered target, the MAC catches the change.
    expect(verify(tampered, { expectedTarget: tampered['x-pg-target'] })).toEqual({ kind: 'invalid', reason: 'bad-signature' });
  });

  it('refuses a request whose principal header was removed after signing', () => {
    const { 'x-pg-principal': _removed, ...rest } = sign();
    expect(verify(rest)).toEqual({ kind: 'invalid', reason: 'bad-signature' });
  });

  it('refuses a request signed for another facility, even with the same secret', () => {
    expect(verify(sign({ target: '79001' }))).toEqual({ kind: 'invalid', reason: 'wrong-target' });
  });

  it('accepts a timestamp at the edge of the window and refuses one beyond it, either way', () => {
    const headers = sign();
    expect(verify(headers, { nowMs: NOW + 300_000 }).kind).toBe('valid');
    expect(verify(headers, { nowMs: NOW - 300_000 }).kind).toBe('valid');
    expect(verify(headers, { nowMs: NOW + 300_001 })).toEqual({ kind: 'invalid', reason: 'stale' });
    expect(verify(headers, { nowMs: NOW - 300_001 })).toEqual({ kind: 'invalid', reason: 'stale' });
  });

  it('refuses a ten-minute-old request as stale', () => {
    expect(verify(sign({ timestampMs: NOW - 600_000 }))).toEqual({ kind: 'invalid', reason: 'stale' });
  });

  it('reports a request with no signature headers as missing', () => {
    expect(verify({})).toEqual({ kind: 'invalid', reason: 'missing' });
  });

  it.each<[string, (h: SignatureHeaders) => Record<string, string | string[]>]>([
    ['only some signature headers', (h) => ({ 'x-pg-signature': h['x-pg-signature'] ?? '' })],
    ['another signature version', (h) => ({ ...h, 'x-pg-signature': (h['x-pg-signature'] ?? '').replace('v1=', 'v2=') })],
    ['a truncated signature', (h) => ({ ...h, 'x-pg-signature': (h['x-pg-signature'] ?? '').slice(0, -2) })],
    ['a non-numeric timestamp', (h) => ({ ...h, 'x-pg-timestamp': '1e12' })],
    ['a short nonce', (h) => ({ ...h, 'x-pg-nonce': 'abc' })],
    ['a repeated signature header', (h) => ({ ...h, 'x-pg-signature': [h['x-pg-signature'] ?? '', h['x-pg-signature'] ?? ''] })],
  ])('refuses %s as malformed', (_what, mangle) => {
    expect(verify(mangle(sign()))).toEqual({ kind: 'invalid', reason: 'malformed' });
  });

  it('refuses a correctly signed principal that is not a valid principal', () => {
    const notAPrincipal = { ...PRINCIPAL, role: 'superuser' } as unknown as SignedPrincipal;
    expect(verify(sign({ principal: notAPrincipal }))).toEqual({ kind: 'invalid', reason: 'malformed' });
  });

  it('gives different signatures to different nonces (a replay cannot be re-labelled)', () => {
    expect(sign()['x-pg-signature']).not.toBe(sign({ nonce: 'a'.repeat(32) })['x-pg-signature']);
  });
});

describe('assertSigningSecret', () => {
  it('accepts a secret of 32 bytes and refuses one of 31', () => {
    expect(() => assertSigningSecret('s'.repeat(32))).not.toThrow();
    expect(() => assertSigningSecret('s'.repeat(31))).toThrow(/at least 32 bytes/);
  });

  it('makes signing and verifying with a short secret fail fast', () => {
    expect(() => sign({ secret: 'short' })).toThrow(/at least 32 bytes/);
    expect(() => verify(sign(), { secret: '' })).toThrow(/at least 32 bytes/);
  });

  it('refuses a nonce that is not 128 bits of hex when signing', () => {
    expect(() => sign({ nonce: 'not-random' })).toThrow(/nonce/);
  });
});
