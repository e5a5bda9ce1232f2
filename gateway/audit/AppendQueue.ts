interface Waiting<TItem, TResult> {
  readonly item: TItem;
  readonly resolve: (result: TResult) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Serializes appends to a hash chain and commits them in groups. A chain is linear: record n+1
 * needs record n's hash, so appends cannot overlap. Rather than one fsync (or one Redis round
 * trip) per request, everything that arrived while a commit was under way goes in the next one
 * (group commit, as databases do for their write-ahead log): the chain stays linear and the cost
 * of durability is shared by concurrent requests.
 *
 * `commit` receives the items in arrival order and returns one result per item; if it rejects,
 * every item of that group rejects with its error and the queue goes on with the next group.
 */
export class AppendQueue<TItem, TResult> {
  private waiting: Waiting<TItem, TResult>[] = [];
  private draining: Promise<void> | undefined;

  constructor(
    private readonly commit: (items: readonly TItem[]) => Promise<readonly TResult[]>,
    private readonly maxGroupSize = 256,
  ) {
    if (!Number.isInteger(maxGroupSize) || maxGroupSize < 1) throw new Error('maxGroupSize must be a positive integer');
  }

  push(item: TItem): Promise<TResult> {
    return new Promise<TResult>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  /** Resolves once nothing is waiting or being committed. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        const group = this.waiting.splice(0, this.maxGroupSize);
        try {
          const results = await this.commit(group.map((w) => w.item));
          if (results.length !== group.length) throw new Error(`append commit returned ${results.length} results for ${group.length} items`);
          group.forEach((w, i) => w.resolve(results[i] as TResult));
        } catch (error) {
          for (const w of group) w.reject(error);
        }
      }
    } finally {
      this.draining = undefined;
    }
  }
}
