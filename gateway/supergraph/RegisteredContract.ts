import type { RegisteredSource } from '../sources/RegisteredSource';

/**
 * A contract the gateway does not ship, brought by the sources that serve it (for example an
 * `imaging` contract from radiology systems; docs/registry.md §7). Its SDL is the `_service { sdl }`
 * of its earliest-registered active source, as checked at registration and stored in the registry,
 * so every replica composes the same supergraph; every later source satisfies it.
 */
export interface RegisteredContract {
  /** The contract name: the subgraph's name in the supergraph. */
  readonly name: string;
  readonly sdl: string;
  /** The sources serving it, in registration order (the merge order); codes are MA_CSKCB. */
  readonly sources: readonly RegisteredSource[];
}
