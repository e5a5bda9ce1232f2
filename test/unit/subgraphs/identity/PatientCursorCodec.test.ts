import { PatientCursorCodec } from '../../../../subgraphs/identity/PatientCursorCodec';

describe('PatientCursorCodec', () => {
  const codec = new PatientCursorCodec();

  it('round-trips a national ID through a cursor that does not contain it in any readable form', () => {
    const cursor = codec.encode('079085000123');
    expect(codec.decode(cursor)).toBe('079085000123');
    expect(cursor).not.toContain('079085000123');
    expect(Buffer.from(cursor, 'base64url').toString('latin1')).not.toContain('079085000123');
  });

  it('refuses a tampered cursor, a cursor of another key and garbage with BAD_USER_INPUT', () => {
    const cursor = codec.encode('079085000123');
    const bytes = Buffer.from(cursor, 'base64url');
    bytes[14] = (bytes[14] ?? 0) ^ 1;
    for (const bad of [bytes.toString('base64url'), new PatientCursorCodec().encode('079085000123'), 'cGF0aWVudDowNzkwODUwMDAxMjM', '']) {
      let error: unknown;
      try {
        codec.decode(bad);
      } catch (caught) {
        error = caught;
      }
      expect(error).toMatchObject({ code: 'BAD_USER_INPUT' });
    }
  });
});
