import { randomFillSync } from 'node:crypto';

const NONCE_BYTES = 16;
/** 256 nonces per refill: one system call for many signed requests instead of one each. */
const POOL_BYTES = NONCE_BYTES * 256;

let pool = Buffer.alloc(0);
let offset = 0;

/**
 * 128 random bits as 32 hex digits: a signed request's nonce (`x-pg-nonce`), unique per request.
 * Taken from a buffer of CSPRNG output refilled when used up; every byte is handed out once.
 */
export function generateNonce(): string {
  if (offset + NONCE_BYTES > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_BYTES));
    offset = 0;
  }
  const nonce = pool.toString('hex', offset, offset + NONCE_BYTES);
  offset += NONCE_BYTES;
  return nonce;
}
