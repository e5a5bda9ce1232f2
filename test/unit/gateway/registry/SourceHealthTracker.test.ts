import { SourceHealthTracker } from '../../../../gateway/registry/SourceHealthTracker';

describe('SourceHealthTracker', () => {
  it('is UNKNOWN before any fetch', () => {
    expect(new SourceHealthTracker().healthOf('01001')).toEqual({ status: 'UNKNOWN', p50Ms: null, p99Ms: null, lastErrorCode: null });
  });

  it('is UP with nearest-rank percentiles when every recent fetch succeeded', () => {
    const tracker = new SourceHealthTracker();
    for (let ms = 1; ms <= 100; ms++) tracker.record('01001', { ok: true, durationMs: ms });
    expect(tracker.healthOf('01001')).toEqual({ status: 'UP', p50Ms: 50, p99Ms: 99, lastErrorCode: null });
  });

  it('is DEGRADED after a failure in the window, DOWN after five in a row, UP again once the failures leave the window', () => {
    const tracker = new SourceHealthTracker();
    tracker.record('01001', { ok: true, durationMs: 10 });
    tracker.record('01001', { ok: false, durationMs: 5000, errorCode: 'SOURCE_TIMEOUT' });
    expect(tracker.healthOf('01001')).toMatchObject({ status: 'DEGRADED', lastErrorCode: 'SOURCE_TIMEOUT', p50Ms: 10 });
    for (let i = 0; i < 5; i++) tracker.record('01001', { ok: false, durationMs: 1, errorCode: 'SOURCE_UNAVAILABLE' });
    expect(tracker.healthOf('01001')).toMatchObject({ status: 'DOWN', lastErrorCode: 'SOURCE_UNAVAILABLE' });
    for (let i = 0; i < 100; i++) tracker.record('01001', { ok: true, durationMs: 20 });
    expect(tracker.healthOf('01001')).toEqual({ status: 'UP', p50Ms: 20, p99Ms: 20, lastErrorCode: 'SOURCE_UNAVAILABLE' });
    expect(tracker.healthOf('79002').status).toBe('UNKNOWN');
  });
});
