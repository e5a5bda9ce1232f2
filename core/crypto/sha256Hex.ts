import { createHash } from 'node:crypto';

/**
 * Lower-case hex SHA-256 of UTF-8 text: the audit chain's record hash and `documentHash`, the id of
 * a persisted operation (Apollo's manifest and APQ `sha256Hash` use exactly this), and the digest
 * that keeps subjects out of rate-limit keys.
 */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
