import { AppendQueue } from '../../../../gateway/audit/AppendQueue';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('AppendQueue', () => {
  it('commits items that arrive during a commit together in the next one, in arrival order', async () => {
    const groups: number[][] = [];
    const gate = deferred();
    const queue = new AppendQueue<number, string>(async (items) => {
      groups.push([...items]);
      if (groups.length === 1) await gate.promise;
      return items.map((n) => `#${n}`);
    });
    const first = queue.push(1);
    const rest = [queue.push(2), queue.push(3), queue.push(4)];
    gate.resolve();
    expect(await Promise.all([first, ...rest])).toEqual(['#1', '#2', '#3', '#4']);
    expect(groups).toEqual([[1], [2, 3, 4]]);
  });

  it('never runs two commits at once', async () => {
    let running = 0;
    let most = 0;
    const queue = new AppendQueue<number, number>(async (items) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 2));
      running--;
      return items;
    }, 3);
    await Promise.all(Array.from({ length: 20 }, (_, i) => queue.push(i)));
    expect(most).toBe(1);
  });

  it('rejects every item of a failed commit and goes on with the next group', async () => {
    const groups: string[][] = [];
    const gate = deferred();
    const queue = new AppendQueue<string, string>(async (items) => {
      groups.push([...items]);
      if (groups.length === 1) await gate.promise;
      if (groups.length === 2) throw new Error('disk full');
      return items;
    });
    const first = queue.push('a');
    const failed = [queue.push('b'), queue.push('c')];
    for (const p of failed) p.catch(() => undefined);
    gate.resolve();
    await expect(first).resolves.toBe('a');
    await expect(failed[0]).rejects.toThrow('disk full');
    await expect(failed[1]).rejects.toThrow('disk full');
    await expect(queue.push('d')).resolves.toBe('d');
    expect(groups).toEqual([['a'], ['b', 'c'], ['d']]);
  });

  it('idle() waits for the commits under way', async () => {
    const done: number[] = [];
    const queue = new AppendQueue<number, number>(async (items) => {
      await new Promise((r) => setTimeout(r, 5));
      done.push(...items);
      return items;
    });
    void queue.push(1);
    void queue.push(2);
    await queue.idle();
    expect(done).toEqual([1, 2]);
  });
});
