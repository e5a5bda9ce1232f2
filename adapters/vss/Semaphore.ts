/**
 * A counting semaphore: at most `permits` holders at a time, the rest wait in arrival order.
 * `VssClient` uses it to bound concurrent calls to VSS, a shared national service.
 */
export class Semaphore {
  private available: number;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly permits: number) {
    if (!Number.isInteger(permits) || permits < 1) throw new RangeError('Semaphore: permits must be a positive integer');
    this.available = permits;
  }

  /** Runs `task` once a permit is free and releases it however the task ends. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  get inUse(): number {
    return this.permits - this.available;
  }

  get queued(): number {
    return this.waiting.length;
  }

  private acquire(): Promise<void> {
    if (this.available > 0) {
      this.available -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next(); // the permit passes straight to the next waiter
    else this.available += 1;
  }
}
