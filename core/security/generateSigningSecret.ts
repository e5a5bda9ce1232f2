import { randomBytes } from 'node:crypto';

/** A fresh request-signing secret: 32 random bytes (HMAC-SHA256's output size), base64url. */
export function generateSigningSecret(): string {
  return randomBytes(32).toString('base64url');
}
