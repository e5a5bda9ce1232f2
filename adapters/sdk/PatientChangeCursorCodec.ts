import { PatientGraphError } from '../../core/errors/PatientGraphError';
import type { PatientChangeCursor } from './PatientChanges';

/**
 * The opaque `after` cursor of `patientChanges`: base64url of `[updatedAt, localId]`. Opaque so a
 * source may change its paging without its callers noticing; a cursor it never issued is the
 * caller's mistake (BAD_USER_INPUT), never a crash.
 */
export const PatientChangeCursorCodec = {
  encode(cursor: PatientChangeCursor): string {
    return Buffer.from(JSON.stringify([cursor.updatedAt, cursor.localId]), 'utf8').toString('base64url');
  },
  decode(text: string): PatientChangeCursor {
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    } catch {
      value = undefined;
    }
    if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== 'string' || typeof value[1] !== 'string' || Number.isNaN(Date.parse(value[0]))) {
      throw new PatientGraphError('BAD_USER_INPUT', '"after" is not a cursor of this feed');
    }
    return { updatedAt: value[0], localId: value[1] };
  },
};
