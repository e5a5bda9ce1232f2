import { randomBytes } from 'node:crypto';
import { PatientGraphError } from '../../../../core/errors/PatientGraphError';
import { CohortCursorCodec, type CohortCursor } from '../../../../gateway/analytics/CohortCursorCodec';
import { newQuestionPseudonymKey } from '../../../../gateway/analytics/cohortPseudonym';

const QUESTION = 'a'.repeat(64);
const cursor: CohortCursor = { question: QUESTION, pseudonymKey: newQuestionPseudonymKey(), places: { '01901': 'opaque-place-1', '79902': null }, done: ['48903'] };

function refusal(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('CohortCursorCodec: sealed cohort cursors', () => {
  const codec = new CohortCursorCodec();

  it('opens what it sealed, key and every source place included', () => {
    const opened = codec.open(codec.seal(cursor), QUESTION);
    expect(opened).toEqual(cursor);
    expect(opened.pseudonymKey?.equals(cursor.pseudonymKey ?? Buffer.alloc(0))).toBe(true);
  });

  it('reveals nothing: neither a place, a facility code nor the key is readable in the cursor', () => {
    const sealed = codec.seal(cursor);
    const decoded = Buffer.from(sealed, 'base64url').toString('latin1');
    for (const secret of ['opaque-place-1', '01901', '48903', cursor.pseudonymKey?.toString('base64') ?? '']) expect(decoded).not.toContain(secret);
    // Two seals of the same cursor differ (random IV): equal cursors cannot be recognised.
    expect(codec.seal(cursor)).not.toBe(sealed);
  });

  it.each([
    ['one character changed', (c: string) => `${c.slice(0, 20)}${c[20] === 'A' ? 'B' : 'A'}${c.slice(21)}`],
    ['truncated', (c: string) => c.slice(0, -4)],
    ['extended', (c: string) => `${c}AAAA`],
    ['not base64url', (c: string) => `${c.slice(0, 10)}+/${c.slice(12)}`],
    ['empty', () => ''],
    ['a patient-index cursor shape', () => randomBytes(40).toString('base64url')],
    ['too long', () => 'A'.repeat(20_000)],
  ])('refuses a cursor %s with BAD_USER_INPUT', (_name, tamper) => {
    const error = refusal(() => codec.open(tamper(codec.seal(cursor)), QUESTION));
    expect(error).toBeInstanceOf(PatientGraphError);
    expect((error as PatientGraphError).code).toBe('BAD_USER_INPUT');
  });

  it('refuses an authentic cursor of another question, and one sealed by another gateway key', () => {
    expect((refusal(() => codec.open(codec.seal(cursor), 'b'.repeat(64))) as PatientGraphError).code).toBe('BAD_USER_INPUT');
    expect((refusal(() => new CohortCursorCodec().open(codec.seal(cursor), QUESTION)) as PatientGraphError).code).toBe('BAD_USER_INPUT');
  });

  it('carries a project-keyed question without a key (the project key stays in the configuration)', () => {
    const projectCursor = { ...cursor, pseudonymKey: null };
    expect(codec.open(codec.seal(projectCursor), QUESTION)).toEqual(projectCursor);
  });
});

describe('CohortCursorCodec.fromSecret: one key for every replica (analytics.cursorKey)', () => {
  const secret = randomBytes(32).toString('base64');

  it('opens, at another codec of the same secret, what one sealed (another replica, or after a restart)', () => {
    expect(CohortCursorCodec.fromSecret(secret).open(CohortCursorCodec.fromSecret(secret).seal(cursor), QUESTION)).toEqual(cursor);
  });

  it('refuses a cursor sealed under another secret, or under the random key of a process', () => {
    const sealed = CohortCursorCodec.fromSecret(secret).seal(cursor);
    expect((refusal(() => CohortCursorCodec.fromSecret(randomBytes(32).toString('base64')).open(sealed, QUESTION)) as PatientGraphError).code).toBe('BAD_USER_INPUT');
    expect((refusal(() => new CohortCursorCodec().open(sealed, QUESTION)) as PatientGraphError).code).toBe('BAD_USER_INPUT');
  });

  it('never seals under the secret itself: the key is derived for this one purpose', () => {
    const raw = Buffer.from(randomBytes(16).toString('hex'), 'utf8');
    expect(raw).toHaveLength(32);
    const sealed = CohortCursorCodec.fromSecret(raw.toString('utf8')).seal(cursor);
    expect(refusal(() => new CohortCursorCodec(raw).open(sealed, QUESTION))).toBeInstanceOf(PatientGraphError);
  });

  it('refuses a secret shorter than 32 bytes', () => {
    expect(() => CohortCursorCodec.fromSecret('s'.repeat(31))).toThrow(RangeError);
  });
});
