/**
 * Paces calls to VSS (a token bucket: `ratePerSecond`, bursts up to `burst`). VSS throttles and
 * may lock a facility account that floods it, so callers wait for their turn instead of being
 * refused; the wait is bounded by each call's own timeout upstream.
 */
export class RequestPacer {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError('RequestPacer: ratePerSecond must be > 0');
    if (!Number.isInteger(burst) || burst < 1) throw new RangeError('RequestPacer: burst must be a whole number ≥ 1');
    this.tokens = burst;
    this.last = now();
  }

  /** Resolves when the caller may send one request. Callers are served in arrival order. */
  acquire(): Promise<void> {
    const turn = this.queue.then(() => this.take());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async take(): Promise<void> {
    for (;;) {
      const now = this.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.sleep(Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000));
    }
  }
}
