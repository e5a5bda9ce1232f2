// ESLint flat config (ESLint 9, typescript-eslint 8, eslint-plugin-import-x 4). docs/style.md §6:
// lint guards the boundaries. Type-aware: every .ts file is checked with the type information of
// tsconfig.json (project service), so `no-floating-promises` and `switch-exhaustiveness-check` see
// real types.
import { defineConfig } from 'eslint/config';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const SOURCE_DIRS = ['core', 'contracts', 'gateway', 'subgraphs', 'adapters', 'cli', 'demo', 'bench', 'test', 'examples'];
const TS_FILES = SOURCE_DIRS.map((dir) => `${dir}/**/*.ts`);

/**
 * The layering (docs/style.md §6, docs/architecture.md §2): core ← contracts ← adapters ← subgraphs ← gateway ← cli/demo; test/
 * sees everything and nothing sees test/. `import-x/no-restricted-paths` resolves each import to a
 * file first, so relative paths of any depth (and `import type`, `export … from`) are caught.
 */
const boundaryZones = [
  {
    target: ['./core', './contracts', './subgraphs', './adapters'],
    from: './gateway',
    message: 'core/, subgraphs/ and adapters/ never depend on the gateway (docs/style.md §6).',
  },
  {
    target: './core',
    from: ['./contracts', './subgraphs', './adapters', './demo', './cli'],
    message: 'core/ is the bottom layer: it imports nothing of contracts/, subgraphs/, adapters/, gateway/, demo/ or cli/.',
  },
  {
    target: './contracts',
    from: ['./adapters', './subgraphs'],
    message: 'contracts/ (schemas, scalars, generated types) sit right above core/: they import nothing of adapters/ or subgraphs/.',
  },
  {
    target: './adapters',
    from: './subgraphs',
    message: 'adapters/ sit below subgraphs/: a subgraph serves an adapter, never the other way (docs/architecture.md §2).',
  },
  {
    target: ['./core', './contracts', './gateway', './subgraphs', './adapters', './cli', './demo', './bench', './examples'],
    from: './test',
    message: 'Nothing outside test/ imports from test/ (shared fixtures live in demo/, docs/style.md §9).',
  },
  {
    target: ['./gateway', './subgraphs', './adapters', './core', './contracts'],
    from: ['./demo', './cli'],
    message: 'Library code never imports demo/ or cli/: they sit on top of it.',
  },
  {
    target: './examples',
    from: ['./core', './contracts', './gateway', './subgraphs', './adapters', './cli', './demo', './bench'],
    message: 'examples/ are client code: they know the gateway only through its published schema and generated types.',
  },
  {
    target: ['./core', './contracts', './gateway', './subgraphs', './adapters', './cli', './demo', './bench'],
    from: './examples',
    message: 'Nothing imports examples/: they are client code on top of the published schema.',
  },
];

export default defineConfig(
  {
    name: 'patient-graph/ignores',
    // Plain JS/ESM config and launcher files are not part of tsconfig.json; they are left unlinted.
    ignores: ['**/node_modules/**', 'dist/**', 'coverage/**', '.patient-graph/**', '**/*.js', '**/*.cjs', '**/*.mjs'],
  },
  {
    name: 'patient-graph/typescript',
    files: TS_FILES,
    extends: [tseslint.configs.recommendedTypeChecked],
    plugins: { 'import-x': importX },
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    settings: {
      'import-x/extensions': ['.ts', '.d.ts', '.js', '.cjs', '.mjs', '.json'],
      'import-x/external-module-folders': ['node_modules', 'node_modules/@types'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      // The built-in resolver (unrs-resolver) with TypeScript extensions is enough for this CJS /
      // node10 project: no path aliases, so eslint-import-resolver-typescript is not needed.
      'import-x/resolver-next': [
        createNodeResolver({
          extensions: ['.ts', '.d.ts', '.js', '.json', '.node'],
          conditionNames: ['require', 'node', 'default'],
          mainFields: ['main'],
        }),
      ],
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports', disallowTypeAnnotations: true },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        // A deliberate `default` (e.g. over graphql's large Kind enum) counts; a switch without one must list every case.
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      // Apollo Server plugin hooks and context functions must return promises; `async` without an
      // `await` is the documented idiom there. Missing awaits are caught by no-floating-promises.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Only files inside the repo take part; node_modules are never walked for cycles.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones: boundaryZones }],
    },
  },
  {
    name: 'patient-graph/tests',
    files: ['test/**/*.ts'],
    rules: {
      // Tests read JSON bodies (`await res.json()` is `any`) and assert on values they just checked.
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      // `expect(obj.method).toHaveBeenCalled()` is jest's idiom, not an unbound call.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
