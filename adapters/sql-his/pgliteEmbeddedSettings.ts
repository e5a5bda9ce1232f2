/**
 * PostgreSQL settings every embedded PGlite of this project starts with (PgliteDatabase), unless
 * its opener overrides one: memory over cache. PGlite's WebAssembly memory only grows, so what
 * PostgreSQL allocates once (shared_buffers above all) stays the process's resident size for good,
 * and the demo runs several of them in one process (the SQL HIS hospitals, the QĐ 130 index, the
 * patient index). PostgreSQL's defaults are shared_buffers 128MB, maintenance_work_mem 64MB,
 * temp_buffers 8MB, max_connections 100 (sized for a server; PGlite is one session). Measured in
 * bench/RESULTS.md ("The demo's memory: bounded PGlite settings"). A PostgreSQL server configured
 * instead of PGlite keeps its own settings.
 */
export const PGLITE_EMBEDDED_SETTINGS: Readonly<Record<string, string>> = {
  shared_buffers: '16MB',
  work_mem: '4MB',
  maintenance_work_mem: '16MB',
  temp_buffers: '4MB',
  wal_buffers: '512kB',
  max_connections: '4',
};
