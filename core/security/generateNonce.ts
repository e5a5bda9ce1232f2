import { randomBytes } from 'node:crypto';

/** 128 random bits as 32 hex digits: a signed request's nonce (`x-pg-nonce`), unique per request. */
export function generateNonce(): string {
  return randomBytes(16).toString('hex');
}
