// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'web/dist/**', 'node_modules/**', 'coverage/**', 'ctfg-demo/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // Small functions in the product (issue 9): a composition function that grows is a capability without a module.
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }] },
  },
  {
    // better-sqlite3 is loaded in one place, which picks the release this Node can run (Node 20 vs 22/24).
    files: ['**/*.ts'],
    ignores: ['src/storage/sqlite/driver.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [
        { name: 'better-sqlite3', allowTypeImports: true, message: 'import Database from src/storage/sqlite/driver.ts (it picks the release that runs on this Node)' },
        { name: 'better-sqlite3-node20', message: 'import Database from src/storage/sqlite/driver.ts' },
      ] }],
    },
  },
  {
    // The web app talks to the server only through the wire protocol.
    files: ['web/src/**/*.ts', 'web/src/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/src/http/**', '**/src/storage/**', '**/src/live/**', '**/src/state/**', '**/src/config/**'], message: 'web/ may import only src/protocol and src/domain pure helpers' },
      ] }],
    },
  },
  {
    // Game rules stay pure: no storage, HTTP or live imports.
    files: ['src/domain/**/*.ts', 'src/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/http/**', '**/storage/**', '**/live/**', '**/state/**', 'fastify', 'better-sqlite3', 'ws'], message: 'domain/ and protocol/ are pure: no I/O imports' },
      ] }],
    },
  },
);
