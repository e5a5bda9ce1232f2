/**
 * A mark on a list item of a source's answer that survives the merge's sorting and copying (a
 * symbol key: never serialized, never seen by a client), so an error the source raised on that item
 * can follow it to its merged position (gateway/network/listItemErrors.ts).
 */
const ITEM_MARK: unique symbol = Symbol('patient-graph.listItemMark');

type Marked = { [ITEM_MARK]?: object };

/** The item's mark, created on first use. */
export function markItem(item: object): object {
  return ((item as Marked)[ITEM_MARK] ??= {});
}

export function itemMarkOf(item: unknown): object | undefined {
  return item !== null && typeof item === 'object' ? (item as Marked)[ITEM_MARK] : undefined;
}

/** Copies the mark from an item to its copy (where merged items are copied). */
export function carryItemMark(from: object, to: object): void {
  const mark = (from as Marked)[ITEM_MARK];
  if (mark !== undefined) (to as Marked)[ITEM_MARK] = mark;
}
