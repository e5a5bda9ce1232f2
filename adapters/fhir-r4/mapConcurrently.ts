/**
 * `Promise.all(items.map(work))` with at most `limit` of them under way at once, results in the
 * order of `items`: a long `_id` list split over many URLs is fetched in parallel without sending
 * the server every chunk at the same moment. The first failure rejects (the others still settle).
 */
export async function mapConcurrently<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
