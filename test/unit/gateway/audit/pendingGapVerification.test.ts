import { pendingGapVerification } from '../../../../gateway/audit/pendingGapVerification';

const pending = { expected: { seq: 7, hash: 'a'.repeat(64) }, found: { seq: 4, hash: 'b'.repeat(64) }, detectedAt: '2026-12-07T10:00:00.000Z' };

describe('pendingGapVerification', () => {
  it('breaks the chain right after the last record the store holds, naming both heads and when', () => {
    expect(pendingGapVerification(pending, 'shared log')).toEqual({
      kind: 'broken',
      seq: 5,
      reason: 'records were lost: a gateway had written up to record #7, the log held #4 (noticed 2026-12-07T10:00:00.000Z); acknowledge with patient-graph audit acknowledge-gap',
    });
  });

  it('speaks of the one gateway and its file for the embedded file log', () => {
    expect(pendingGapVerification(pending, 'file')).toMatchObject({ seq: 5, reason: expect.stringMatching(/^records were lost: the gateway had written up to record #7, the file held #4 /) });
  });
});
