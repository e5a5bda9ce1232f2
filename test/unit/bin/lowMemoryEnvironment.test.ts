// eslint-disable-next-line @typescript-eslint/no-require-imports -- the binary's helpers are CommonJS, run before any build
const { lowMemoryEnvironment } = require('../../../bin/lowMemoryEnvironment') as {
  lowMemoryEnvironment: (args: readonly string[], env: NodeJS.ProcessEnv) => NodeJS.ProcessEnv | null;
};

describe('lowMemoryEnvironment (the settings `source serve` starts with)', () => {
  it('sets the malloc arenas, mmap threshold and young generation for source serve, keeping the rest', () => {
    const env = lowMemoryEnvironment(['source', 'serve', '--config', 'h.yaml'], { PATH: '/bin', NODE_OPTIONS: '--enable-source-maps' });
    expect(env).toEqual({ PATH: '/bin', MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', NODE_OPTIONS: '--enable-source-maps --max-semi-space-size=2' });
  });

  it('leaves other commands alone', () => {
    for (const args of [['gateway'], ['demo'], ['source'], ['xml130', 'inspect', 'f'], []]) expect(lowMemoryEnvironment(args, {})).toBeNull();
  });

  it('keeps what the operator chose: their own MALLOC_ARENA_MAX, PATIENT_GRAPH_LOW_MEMORY=0, their semi-space and threshold', () => {
    expect(lowMemoryEnvironment(['source', 'serve'], { MALLOC_ARENA_MAX: '4' })).toBeNull();
    expect(lowMemoryEnvironment(['source', 'serve'], { PATIENT_GRAPH_LOW_MEMORY: '0' })).toBeNull();
    expect(lowMemoryEnvironment(['source', 'serve'], { NODE_OPTIONS: '--max-semi-space-size=8', MALLOC_MMAP_THRESHOLD_: '65536' })).toEqual({
      MALLOC_ARENA_MAX: '2',
      MALLOC_MMAP_THRESHOLD_: '65536',
      NODE_OPTIONS: '--max-semi-space-size=8',
    });
  });
});
