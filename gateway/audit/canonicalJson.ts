/**
 * The one serialization audit hashes are computed over: JSON with object keys sorted by UTF-16
 * code units and no whitespace, as in RFC 8785 (JSON Canonicalization Scheme) for the values an
 * audit record holds (strings, integers, booleans, null, arrays, plain objects). The same record
 * therefore hashes the same in every process and after a JSON round trip through a file or Redis.
 *
 * Object members whose value is `undefined` are left out, as `JSON.stringify` leaves them out, so
 * the canonical text of an object equals that of its parsed copy. Anything JSON cannot round-trip
 * (non-finite numbers, `undefined` in an array, bigint, functions, class instances such as Date or
 * Set) is a programmer error and throws.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      // RFC 8785 §3.2.2.3: numbers are serialized as ECMAScript does; -0 becomes 0.
      if (!Number.isFinite(value)) throw new TypeError('canonical JSON has no representation for a non-finite number');
      return JSON.stringify(value);
    case 'object':
      return Array.isArray(value) ? canonicalArray(value) : canonicalObject(value);
    default:
      throw new TypeError(`canonical JSON has no representation for a ${typeof value}`);
  }
}

function canonicalArray(items: readonly unknown[]): string {
  return `[${items
    .map((item) => {
      if (item === undefined) throw new TypeError('canonical JSON has no representation for undefined in an array');
      return canonicalJson(item);
    })
    .join(',')}]`;
}

function canonicalObject(value: object): string {
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) {
    throw new TypeError('canonical JSON serializes plain objects only');
  }
  const record = value as Readonly<Record<string, unknown>>;
  // RFC 8785 §3.2.3: members sorted by their names as arrays of UTF-16 code units, which is what
  // the default Array#sort comparison does.
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
}
