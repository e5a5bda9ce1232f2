/**
 * Whether a `fetch` rejection is its `AbortSignal.timeout` firing. Checked by name, not
 * `instanceof DOMException`: fetch errors come from Node's own realm (not jest's).
 */
export function isFetchTimeout(error: unknown): boolean {
  const name = error !== null && typeof error === 'object' ? (error as { name?: unknown }).name : undefined;
  return name === 'TimeoutError' || name === 'AbortError';
}
