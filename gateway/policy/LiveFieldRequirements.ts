import type { FieldRequirement, FieldRequirements } from './FieldRequirement';

/**
 * The field requirements of the supergraph being served, swapped whole when a registered contract
 * recomposes it (docs/registry.md §7). Readers see one complete map or the next, never a mix.
 */
export class LiveFieldRequirements implements FieldRequirements {
  constructor(private current: FieldRequirements) {}

  replace(next: FieldRequirements): void {
    this.current = next;
  }

  get size(): number {
    return this.current.size;
  }

  get(coordinate: string): FieldRequirement | undefined {
    return this.current.get(coordinate);
  }

  has(coordinate: string): boolean {
    return this.current.has(coordinate);
  }

  forEach(callback: (value: FieldRequirement, key: string, map: ReadonlyMap<string, FieldRequirement>) => void): void {
    this.current.forEach((value, key) => callback(value, key, this));
  }

  entries(): MapIterator<[string, FieldRequirement]> {
    return this.current.entries();
  }

  keys(): MapIterator<string> {
    return this.current.keys();
  }

  values(): MapIterator<FieldRequirement> {
    return this.current.values();
  }

  [Symbol.iterator](): MapIterator<[string, FieldRequirement]> {
    return this.current[Symbol.iterator]();
  }
}
