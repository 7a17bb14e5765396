import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import reactHooks from 'eslint-plugin-react-hooks';
import reactRefresh from 'eslint-plugin-react-refresh';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // src/types/api.ts is generated (`npm run api-types`); scripts/api-types.sh --check guards it.
  { ignores: ['dist', 'node_modules', 'e2e/artifacts', 'test-results', 'playwright-report', 'src/types/api.ts'] },
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: {
      ecmaVersion: 2022,
      globals: { ...globals.browser },
    },
    rules: {
      'no-console': 'error',
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat.recommended],
    plugins: { 'react-refresh': reactRefresh },
    rules: {
      'react-refresh/only-export-components': ['warn', { allowConstantExport: true }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/types/models.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '/types/api$', message: 'Import the named API types from @/types/models.' }] },
      ],
    },
  },
  {
    // Feature boundaries (bulletproof-react): a feature uses shared code and its own files only,
    // and only app/ puts features together. Imports inside one element are not checked.
    files: ['src/**/*.{ts,tsx}'],
    plugins: { boundaries },
    settings: {
      'import/resolver': { typescript: { project: './tsconfig.json' } },
      'boundaries/elements': [
        { type: 'app', pattern: 'src/app' },
        { type: 'feature', pattern: 'src/features/*' },
        { type: 'shared', pattern: ['src/components', 'src/hooks', 'src/lib', 'src/types'] },
        { type: 'testing', pattern: 'src/testing' },
      ],
      'boundaries/files': [
        { category: 'entry', pattern: 'src/main.tsx' },
        { category: 'test', pattern: 'src/**/*.test.{ts,tsx}' },
      ],
    },
    rules: {
      'boundaries/no-unknown-files': 'error',
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          message:
            'No import from {{ from.element.type }} to {{ to.element.type }}: a feature uses shared code (components, hooks, lib, types) and its own files, never another feature; app/ puts features together; testing/ is for tests.',
          policies: [
            { from: { file: { categories: 'entry' } }, allow: { to: { element: { types: { anyOf: ['app', 'shared'] } } } } },
            { from: { element: { type: 'app' } }, allow: { to: { element: { types: { anyOf: ['feature', 'shared'] } } } } },
            { from: { element: { type: 'feature' } }, allow: { to: { element: { type: 'shared' } } } },
            { from: { element: { type: 'shared' } }, allow: { to: { element: { type: 'shared' } } } },
            // The test helpers render inside the app's providers.
            { from: { element: { type: 'testing' } }, allow: { to: { element: { types: { anyOf: ['app', 'shared'] } } } } },
            { from: { file: { categories: 'test' } }, allow: { to: { element: { type: 'testing' } } } },
          ],
        },
      ],
    },
  },
  {
    files: ['src/testing/**', 'src/**/*.test.{ts,tsx}'],
    rules: { 'react-refresh/only-export-components': 'off' },
  },
  {
    files: ['scripts/**', 'e2e/**', '*.config.{ts,js}'],
    languageOptions: { globals: { ...globals.node } },
  },
);
