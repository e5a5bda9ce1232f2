import { createHash } from 'node:crypto';

/**
 * sha256 of UTF-8 text, lower-case hex: the record hash of the audit chain, and the
 * `operation.documentHash` of an audit entry (the gateway hashes the query text with it).
 */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
