import { createHash } from 'node:crypto';

/**
 * Lower-case hex SHA-256 of a UTF-8 string: the id of a persisted operation (Apollo's persisted-query
 * manifest and APQ `sha256Hash` use exactly this) and the digest that keeps subjects out of
 * rate-limit keys.
 */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
