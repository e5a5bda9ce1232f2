/**
 * The V8 old-space limit the demo runs with (`npm start`, `npm run soak`, bench/runDemoMemory.ts).
 * Under 100 clients the demo's live heap stays at 105–135 MB, but without a limit V8 lets the old
 * space climb to ~400 MB between major collections and the process keeps those pages: RSS
 * 760–790 MB. With this limit it collects earlier: RSS 440–448 MB, no lower throughput
 * (bench/RESULTS.md, issue 9 wave 5).
 */
export const DEMO_MAX_OLD_SPACE_MB = 256;

/** The node option that applies it. */
export const DEMO_HEAP_OPTION = `--max-old-space-size=${DEMO_MAX_OLD_SPACE_MB}`;
