import type { ConsentDirectives } from '../../core/consent/ConsentDirectives';

/** Where patients' consent directives live (docs/architecture.md §7: embedded, or Redis shared by replicas). */
export interface ConsentStore {
  /** Directives of each patient; patients without any are absent (no opt-outs). */
  getMany(nationalIds: readonly string[]): Promise<ReadonlyMap<string, ConsentDirectives>>;
  set(nationalId: string, directives: ConsentDirectives): Promise<void>;
  close?(): Promise<void>;
}
