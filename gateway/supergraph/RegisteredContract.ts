import type { RegisteredSource } from '../sources/RegisteredSource';

/**
 * A contract the gateway does not ship, brought by the one source that serves it (for example an
 * `imaging` contract from a radiology system; docs/registry.md §7). Its SDL is the source's
 * `_service { sdl }` as checked at registration, stored in the registry so every replica composes
 * the same supergraph.
 */
export interface RegisteredContract {
  /** The contract name: the subgraph's name in the supergraph. */
  readonly name: string;
  readonly sdl: string;
  /** The source serving it (its code is the facility's MA_CSKCB). */
  readonly source: RegisteredSource;
}
