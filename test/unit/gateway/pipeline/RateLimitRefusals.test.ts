import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Principal } from '../../../../core/security/Principal';
import { FileAuditLog } from '../../../../gateway/audit/FileAuditLog';
import { RateLimitRefusals } from '../../../../gateway/pipeline/RateLimitRefusals';
import { captureLogger } from '../../../helpers/captureLogger';

const flooder: Principal = { sub: 'bs-flood', role: 'clinician', facilityCode: '01901', scopes: [], purposeOfUse: 'treatment', tokenId: null };
const other: Principal = { ...flooder, sub: 'bs-other' };

describe('RateLimitRefusals', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pg-trust-pipeline-refusals-'));
  let audit: FileAuditLog;
  let now = Date.parse('2026-03-01T01:00:00.000Z');

  beforeAll(async () => {
    audit = await FileAuditLog.open(join(dir, 'audit.jsonl'));
  });

  afterAll(async () => {
    await audit.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes one record per principal per window, with the count and the first and last refusal', async () => {
    const refusals = new RateLimitRefusals({ audit, logger: captureLogger().logger, windowMs: 60_000, now: () => now });
    for (let i = 0; i < 5; i++) {
      refusals.record(flooder);
      now += 1_000;
    }
    refusals.record(other);
    refusals.record(null); // nobody to audit
    expect(await audit.read()).toEqual([]);

    now += 60_000; // the flooder's window has ended: the next refusal writes it
    refusals.record(flooder);
    await refusals.flush(false);
    const first = await audit.read({ sub: 'bs-flood' });
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({
      outcome: 'denied',
      errorCodes: ['RATE_LIMITED'],
      patients: [],
      fields: [],
      refusals: { count: 5, from: '2026-03-01T01:00:00.000Z', to: '2026-03-01T01:00:04.000Z' },
    });
    // The other principal's window has ended too, and was written by the same flush.
    expect((await audit.read({ sub: 'bs-other' })).map((r) => r.refusals?.count)).toEqual([1]);

    await refusals.close();
    expect((await audit.read({ sub: 'bs-flood' })).map((r) => r.refusals?.count)).toEqual([5, 1]);
    await expect(audit.verify()).resolves.toEqual({ kind: 'intact', count: 3 });
  });

  it('counts in windows of one minute by default', async () => {
    const start = Date.parse('2026-03-02T00:00:00.000Z');
    let clock = start;
    const refusals = new RateLimitRefusals({ audit, logger: captureLogger().logger, now: () => clock });
    const minute: Principal = { ...flooder, sub: 'bs-minute' };
    refusals.record(minute);
    clock = start + 59_999;
    refusals.record(minute);
    clock = start + 60_000;
    refusals.record(minute);
    await refusals.close();
    expect((await audit.read({ sub: 'bs-minute' })).map((r) => r.refusals?.count)).toEqual([2, 1]);
  });

  it('refuses a window that makes no sense', () => {
    expect(() => new RateLimitRefusals({ audit, logger: captureLogger().logger, windowMs: 0 })).toThrow(/windowMs must be a positive integer/);
  });
});
