import { MAX_REASON_LENGTH, parseBreakTheGlassReason } from '../../../../gateway/access/parseBreakTheGlassReason';

describe('parseBreakTheGlassReason', () => {
  it('accepts 10 visible letters or digits in any script, trimmed, with whitespace runs collapsed', () => {
    expect(parseBreakTheGlassReason('  Bệnh nhân\n\thôn mê  ')).toEqual({ kind: 'valid', reason: 'Bệnh nhân hôn mê', visible: 13 });
    expect(parseBreakTheGlassReason('0123456789')).toMatchObject({ kind: 'valid', visible: 10 });
    expect(parseBreakTheGlassReason('患者意識不明緊急手術必要')).toMatchObject({ kind: 'valid', visible: 12 });
  });

  it('counts only letters and digits: nine of them plus punctuation is not enough', () => {
    expect(parseBreakTheGlassReason('ER-123!!! ...... 456')).toMatchObject({ kind: 'invalid' });
    expect(parseBreakTheGlassReason('a b c d e f g h i')).toMatchObject({ kind: 'invalid', problem: expect.stringContaining('holds 9') });
  });

  it('refuses 11 zero-width spaces, 11 NULs, and invisible characters hidden in a long enough reason', () => {
    expect(parseBreakTheGlassReason('\u200b'.repeat(11))).toMatchObject({ kind: 'invalid' });
    expect(parseBreakTheGlassReason('\u0000'.repeat(11))).toMatchObject({ kind: 'invalid' });
    expect(parseBreakTheGlassReason('Unconscious\u0000patient in ER')).toMatchObject({ kind: 'invalid', problem: expect.stringContaining('control') });
    expect(parseBreakTheGlassReason('Unconscious patient\u202e in ER')).toMatchObject({ kind: 'invalid' });
  });

  it('accepts 500 visible characters and refuses 501 or a 1,001-character reason', () => {
    expect(parseBreakTheGlassReason('a'.repeat(500))).toMatchObject({ kind: 'valid', visible: 500 });
    expect(parseBreakTheGlassReason('a'.repeat(501))).toMatchObject({ kind: 'invalid', problem: expect.stringContaining('holds 501') });
    expect(parseBreakTheGlassReason('a'.repeat(1001))).toMatchObject({ kind: 'invalid' });
  });

  it('refuses padding that keeps the visible count in range but the text beyond its length cap', () => {
    const padded = `${'a'.repeat(100)}${'.'.repeat(MAX_REASON_LENGTH)}`;
    expect(parseBreakTheGlassReason(padded)).toMatchObject({ kind: 'invalid', problem: expect.stringContaining('at most') });
  });

  it('never quotes the reason in its message', () => {
    const result = parseBreakTheGlassReason('secret\u0000name');
    expect(result.kind === 'invalid' && result.problem).not.toContain('secret');
  });
});
