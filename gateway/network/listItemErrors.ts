import type { SourceError } from './fetchFromSource';
import { INTERNAL_ALIAS_PREFIX } from './internalAliases';
import { itemMarkOf, markItem } from './listItemMark';

/**
 * Errors a source raises on one item of a merged list (`_entities.0.encounters.2.period.start`: a
 * value the source could not read, docs/architecture.md §3) name the item by its index in that
 * source's list. After the merge interleaves and sorts the lists of every source, that index points
 * at another hospital's item. So the item itself is marked before the merge, the mark travels with
 * it through sorting and alias stripping (listItemMark.ts), and the error is re-pathed to where the
 * item ended up.
 */

/** An error on an item of a merged list, waiting for the merge to say where the item went. */
export interface PendingItemError {
  readonly error: SourceError;
  readonly target: number;
  readonly listKey: string;
  readonly rest: readonly (string | number)[];
  readonly mark: object;
}

/**
 * Whether a source's error lies inside a list item of an entity (`['_entities', j, list, k, …]`);
 * if so, marks the item in the source's verified answer and returns the pending error.
 */
export function markItemError(
  error: SourceError,
  entity: Readonly<Record<string, unknown>> | null | undefined,
  target: number,
): PendingItemError | undefined {
  const path = error.path;
  if (!path || path[0] !== '_entities' || typeof path[2] !== 'string' || typeof path[3] !== 'number') return undefined;
  const list = entity?.[path[2]];
  const item = Array.isArray(list) ? (list as unknown[])[path[3]] : undefined;
  if (item === null || typeof item !== 'object') return undefined;
  const mark = markItem(item);
  return { error, target, listKey: path[2], rest: path.slice(4), mark };
}

/**
 * The error's path in the merged answer, or null when it is not to be reported: the item was cut
 * by a limit, or the error is on an internal alias the gateway added (`_pgSortKey`: the same value
 * the client's own field already reports).
 */
export function mergedItemPath(pending: PendingItemError, merged: readonly Record<string, unknown>[]): (string | number)[] | null {
  if (pending.rest.some((step) => typeof step === 'string' && step.startsWith(INTERNAL_ALIAS_PREFIX))) return null;
  const list = merged[pending.target]?.[pending.listKey];
  if (!Array.isArray(list)) return null;
  const index = (list as unknown[]).findIndex((item) => itemMarkOf(item) === pending.mark);
  return index < 0 ? null : ['_entities', pending.target, pending.listKey, index, ...pending.rest];
}
