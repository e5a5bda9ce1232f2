import { randomBytes } from 'node:crypto';
import { openSealedText, sealText, SEALING_KEY_BYTES as KEY_BYTES } from '../../core/crypto/sealedText';
import { PatientGraphError } from '../../core/errors/PatientGraphError';

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
    return sealText(this.key, nationalId);
  }

  decode(cursor: string): string {
    const nationalId = openSealedText(this.key, cursor);
    if (nationalId === null || !/^\d{12}$/.test(nationalId)) throw invalidCursor();
    return nationalId;
  }
}

function invalidCursor(): PatientGraphError {
  return new PatientGraphError('BAD_USER_INPUT', '"after" is not a cursor of this connection (cursors expire when the index service restarts)');
}
