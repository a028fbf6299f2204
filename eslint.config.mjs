import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const nodeBuiltins = [
  'fs',
  'path',
  'os',
  'crypto',
  'http',
  'https',
  'net',
  'child_process',
  'process',
  'util',
  'events',
  'stream',
  'timers',
  'worker_threads',
  'url',
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.tools/', '.data/', 'test/replay/histories/', 'web/', 'test-output/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked.map((c) => ({ ...c, files: ['**/*.ts'] })),
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
  {
    // Workflow code is replayed: no Node built-ins, no I/O, no wall clock (see ARCHITECTURE.md).
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.flatMap((m) => [m, `node:${m}`]),
            {
              // A patched() call of a patch the baseline stands for would write the marker the baseline saves.
              name: '@temporalio/workflow',
              importNames: ['patched', 'deprecatePatch'],
              message: "ask the run's Patches (workflows/shared/patches.ts): journal.patches.has(id)",
            },
          ],
          patterns: [
            {
              group: ['../activities/*', '../../activities/*', '../db/*', '../../db/*', '../api/*', '../../api/*'],
              allowTypeImports: true,
            },
            {
              // The working calendar (its holiday table) and zod belong to the activities: each worker thread
              // would hold them (test/workflows/bundle.test.ts checks the bundle itself, imports through
              // other modules included).
              group: ['zod', 'chinese-days', 'chinese-days/*', '**/domain/calendar', '**/domain/deadline-policies'],
              allowTypeImports: true,
              message: 'heavy at module load: compute it in an activity (see test/workflows/bundle.test.ts)',
            },
          ],
        },
      ],
    },
  },
  {
    // The rules of the business are pure (ARCHITECTURE.md): no storage, no HTTP, no Temporal, no Node I/O.
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.flatMap((m) => [m, `node:${m}`]),
          patterns: [
            {
              group: ['../db/*', '../api/*', '../activities/*', '../workflows/*', '../services/*', '../infra/*'],
              allowTypeImports: false,
              message: 'domain/ is pure: the layer that needs I/O calls the domain, never the other way',
            },
            { group: ['@temporalio/*', 'kysely', 'pg', 'express'], message: 'domain/ is pure' },
          ],
        },
      ],
    },
  },
  {
    // The worker preloads every module workflow code imports, once per thread, shared by every workflow
    // on it (infra/workflow-bundle.ts): state kept at module level would pass from one case to another
    // and break replay. Constants only; a Map or Set at module level is a ReadonlyMap or ReadonlySet.
    // The calendar and the policy table are never bundled (rule above) and may cache what they compute.
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    ignores: ['domain/calendar.ts', 'domain/deadline-policies.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: ':matches(Program, Program > ExportNamedDeclaration) > VariableDeclaration[kind!="const"]',
          message: 'no module-level variables in bundled code: the module is shared by every workflow',
        },
        {
          selector:
            ':matches(Program, Program > ExportNamedDeclaration) > VariableDeclaration > VariableDeclarator:not([id.typeAnnotation.typeAnnotation.typeName.name=/^Readonly(Map|Set)$/]) > NewExpression[callee.name=/^(Map|Set|WeakMap|WeakSet|Array)$/]',
          message:
            'a module-level collection in bundled code is shared by every workflow: make it a ReadonlyMap/ReadonlySet',
        },
        {
          selector: 'ClassBody > PropertyDefinition[static=true][readonly!=true]',
          message: 'a static field is module-level state, shared by every workflow: make it readonly',
        },
      ],
    },
  },
  // Layout is Prettier's (npm run format); ESLint keeps to what code means.
  prettier,
  { files: ['**/*.mjs'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
);
