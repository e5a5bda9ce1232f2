/**
 * Where the xml130 index lives: embedded PostgreSQL (PGlite) in a data directory by default, or a
 * PostgreSQL database when configured. `dataDir: null` keeps PGlite in memory (tests, trials).
 */
export type Xml130IndexStore =
  | { readonly kind: 'pglite'; readonly dataDir: string | null }
  | { readonly kind: 'postgres'; readonly url: string };
