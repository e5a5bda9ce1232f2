import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { PatientGraphError } from '../../core/errors/PatientGraphError';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Opaque Relay cursors over the patient index. A cursor must not reveal the national ID it
 * points after (an analyst pages through de-identified cohorts), so it is the ID sealed with
 * AES-256-GCM: unreadable and unforgeable without the key. The key is random per process by
 * default (cursors then do not survive a restart); replicas share one by configuration.
 */
export class PatientCursorCodec {
  private readonly key: Buffer;

  constructor(key: Buffer = randomBytes(KEY_BYTES)) {
    if (key.length !== KEY_BYTES) throw new RangeError(`PatientCursorCodec: the key must be ${KEY_BYTES} bytes`);
    this.key = key;
  }

  encode(nationalId: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const sealed = Buffer.concat([cipher.update(nationalId, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
  }

  decode(cursor: string): string {
    const bytes = Buffer.from(cursor, 'base64url');
    if (bytes.length <= IV_BYTES + TAG_BYTES) throw invalidCursor();
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, IV_BYTES));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      const nationalId = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
      if (!/^\d{12}$/.test(nationalId)) throw invalidCursor();
      return nationalId;
    } catch {
      throw invalidCursor();
    }
  }
}

function invalidCursor(): PatientGraphError {
  return new PatientGraphError('BAD_USER_INPUT', '"after" is not a cursor of this connection (cursors expire when the index service restarts)');
}
