import { sha256Hex } from '../../core/crypto/sha256Hex';

export type PersistedOperationType = 'query' | 'mutation' | 'subscription';

/** One registered operation: `body` is the operation followed by the fragments it uses. */
export interface PersistedOperation {
  /** Lower-case hex SHA-256 of `body`. */
  readonly id: string;
  readonly name: string;
  readonly type: PersistedOperationType;
  readonly body: string;
}

/**
 * Apollo's persisted-query manifest (what `@apollo/generate-persisted-query-manifest` writes and
 * GraphOS persisted-query lists accept): https://www.apollographql.com/docs/graphos/operations/persisted-queries
 */
export interface PersistedQueryManifest {
  readonly format: 'apollo-persisted-query-manifest';
  readonly version: 1;
  readonly operations: readonly PersistedOperation[];
}

const TYPES: readonly string[] = ['query', 'mutation', 'subscription'];

/**
 * Checks a parsed manifest (JSON of unknown shape) and returns it typed; throws with every problem.
 * Each id must be the SHA-256 of its body, so a manifest cannot map a harmless id to another text.
 */
export function parsePersistedQueryManifest(json: unknown): PersistedQueryManifest {
  if (!isRecord(json)) throw new Error('Invalid persisted-query manifest: expected a JSON object');
  const problems: string[] = [];
  if (json.format !== 'apollo-persisted-query-manifest') problems.push(`format must be "apollo-persisted-query-manifest", got ${JSON.stringify(json.format)}`);
  if (json.version !== 1) problems.push(`version must be 1, got ${JSON.stringify(json.version)}`);
  const operations: PersistedOperation[] = [];
  if (!Array.isArray(json.operations)) problems.push('operations must be an array');
  const seen = new Set<string>();
  for (const [index, entry] of (Array.isArray(json.operations) ? (json.operations as unknown[]) : []).entries()) {
    const at = `operations[${index}]`;
    if (!isRecord(entry)) {
      problems.push(`${at} must be an object`);
      continue;
    }
    const { id, name, type, body } = entry;
    if (typeof body !== 'string' || body.trim() === '') problems.push(`${at}.body must be a non-empty string`);
    if (typeof name !== 'string' || name === '') problems.push(`${at}.name must be a non-empty string`);
    if (typeof type !== 'string' || !TYPES.includes(type)) problems.push(`${at}.type must be one of ${TYPES.join(', ')}, got ${JSON.stringify(type)}`);
    if (typeof id !== 'string') problems.push(`${at}.id must be a string`);
    else if (typeof body === 'string' && id !== sha256Hex(body)) problems.push(`${at}.id (${id.slice(0, 16)}…) is not the SHA-256 of its body`);
    else if (seen.has(id)) problems.push(`${at}.id is registered twice`);
    if (typeof id === 'string') seen.add(id);
    if (typeof id === 'string' && typeof name === 'string' && typeof body === 'string' && TYPES.includes(String(type))) {
      operations.push({ id, name, type: type as PersistedOperationType, body });
    }
  }
  if (problems.length > 0) throw new Error(`Invalid persisted-query manifest:\n- ${problems.join('\n- ')}`);
  return { format: 'apollo-persisted-query-manifest', version: 1, operations };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
