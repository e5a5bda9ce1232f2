'use strict';

/**
 * The environment `patient-graph source serve` runs with, or null when the current one will do.
 * A hospital's source may keep its QĐ 130 index in embedded PGlite; what such a process holds
 * beyond PGlite's own memory is mostly glibc's per-thread malloc arenas and V8's young
 * generations, not data (adapters/xml130/README.md, bench/RESULTS.md: 340–345 MB peak without
 * these settings, 267–287 MB with them, flat up to 1,000,000 HOSO). They must be set before the
 * process starts (glibc and V8 read them at start-up), so the binary starts the command in a
 * child with them. Anything the operator set already is kept: setting MALLOC_ARENA_MAX (to any
 * value) or PATIENT_GRAPH_LOW_MEMORY=0 leaves the environment as it is.
 */
function lowMemoryEnvironment(args, env) {
  if (args[0] !== 'source' || args[1] !== 'serve') return null;
  if (env.PATIENT_GRAPH_LOW_MEMORY === '0' || env.MALLOC_ARENA_MAX !== undefined) return null;
  const nodeOptions = env.NODE_OPTIONS ?? '';
  return {
    ...env,
    MALLOC_ARENA_MAX: '2',
    ...(env.MALLOC_MMAP_THRESHOLD_ === undefined ? { MALLOC_MMAP_THRESHOLD_: '131072' } : {}),
    NODE_OPTIONS: /--max-semi-space-size/.test(nodeOptions) ? nodeOptions : `${nodeOptions} --max-semi-space-size=2`.trim(),
  };
}

module.exports = { lowMemoryEnvironment };
