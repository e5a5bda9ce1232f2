import type { SourceRecord } from './SourceRecord';

/**
 * Where registered sources are kept (docs/architecture.md §7): a file for one gateway, Redis for
 * replicas. Every change is a whole record; readers reload the whole (small) registry.
 */
export interface SourceRecordStore {
  /** Every stored record, in registration order. */
  list(): Promise<readonly SourceRecord[]>;
  /** Stores a new record unless its code is taken (atomically): `taken` changes nothing. */
  create(record: SourceRecord): Promise<'created' | 'taken'>;
  /** Replaces the record of the same code; `missing` when there is none. */
  replace(record: SourceRecord): Promise<'replaced' | 'missing'>;
  remove(code: string): Promise<'removed' | 'missing'>;
  /** Called when another replica changed the registry (this replica's own changes too, at most once more). */
  onChange(listener: () => void): void;
  /** Whether the store answers now (for `/readyz`). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
