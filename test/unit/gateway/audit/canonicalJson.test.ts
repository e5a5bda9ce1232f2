import { canonicalJson } from '../../../../gateway/audit/canonicalJson';

describe('canonicalJson', () => {
  it('sorts object keys at every depth and leaves out whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('gives the same text for objects built in different key orders', () => {
    expect(canonicalJson({ seq: 1, prevHash: 'p', outcome: 'success' })).toBe(canonicalJson({ outcome: 'success', prevHash: 'p', seq: 1 }));
  });

  it('sorts keys by UTF-16 code units, as RFC 8785 does', () => {
    expect(canonicalJson({ b: 0, B: 0, a: 0, 'ä': 0, _: 0 })).toBe('{"B":0,"_":0,"a":0,"b":0,"ä":0}');
  });

  it('escapes strings as JSON does and keeps Vietnamese text as is', () => {
    expect(canonicalJson({ reason: 'Cấp cứu "ngừng tim"\n' })).toBe('{"reason":"Cấp cứu \\"ngừng tim\\"\\n"}');
  });

  it('leaves out undefined members, so the text equals that of a JSON round trip', () => {
    const value = { a: 1, b: undefined, c: { d: undefined, e: 'x' } };
    expect(canonicalJson(value)).toBe('{"a":1,"c":{"e":"x"}}');
    expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(canonicalJson(value));
  });

  it('writes -0 as 0 and integers without exponent', () => {
    expect(canonicalJson([-0, 12, 1e3])).toBe('[0,12,1000]');
  });

  it.each([
    ['a non-finite number', { n: Number.NaN }],
    ['undefined in an array', [1, undefined]],
    ['a Date', { t: new Date(0) }],
    ['a Set', { s: new Set(['a']) }],
    ['a bigint', { n: BigInt(1) }],
  ])('refuses %s, which JSON cannot round-trip', (_what, value) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
  });
});
