import { generateNonce } from '../../../../core/security/generateNonce';

describe('generateNonce', () => {
  it('gives 32 lower-case hex digits, never the same twice, across many refills of its buffer', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5_000; i++) {
      const nonce = generateNonce();
      expect(nonce).toMatch(/^[0-9a-f]{32}$/);
      seen.add(nonce);
    }
    expect(seen.size).toBe(5_000);
  });

  it('uses every hex digit in every position (random bits, not a counter)', () => {
    const digitsAt = Array.from({ length: 32 }, () => new Set<string>());
    for (let i = 0; i < 2_000; i++) {
      [...generateNonce()].forEach((digit, position) => digitsAt[position]?.add(digit));
    }
    expect(digitsAt.every((digits) => digits.size === 16)).toBe(true);
  });
});
