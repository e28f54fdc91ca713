// Lint rules, including the process boundaries of ARCHITECTURE.md, enforced by the tool:
//  * only the Electron shell (main/electron/, preload/) may import `electron`;
//  * the renderer may import main-process code for its types only (import type …);
//  * common/ is shared by both processes, so it may import neither Node, Electron nor main/.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const electronOutsideShell = {
  name: 'electron',
  message: 'Only the Electron shell (main/electron/, preload/) may import electron.',
};

export default tseslint.config(
  {
    ignores: [
      'out/',
      'dist/',
      'coverage/',
      'test-results/',
      'playwright-report/',
      'drizzle/migrations/',
      'proto/generated/',
      '.tmp/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [electronOutsideShell] }],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    // test/fake-electron.ts is the shell's stand-in for electron in its unit tests.
    files: ['main/electron/**', 'preload/**', 'test/fake-electron.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [electronOutsideShell],
          patterns: [
            {
              group: ['**/main/**', '**/drizzle/**', '**/bench/**', '**/test/**'],
              allowTypeImports: true,
              message: 'The renderer may import only types from main-process code; share runtime code via common/.',
            },
            { group: ['node:*'], message: 'The renderer runs in a browser sandbox: no Node built-ins.' },
          ],
        },
      ],
    },
  },
  {
    // Renderer tests run under Node against the real server; they are not part of the page.
    files: ['renderer/**/*.test.ts', 'renderer/**/*.test.tsx'],
    languageOptions: { globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: [electronOutsideShell] }] },
  },
  {
    files: ['common/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [electronOutsideShell],
          patterns: [
            {
              group: ['node:*', '**/main/**', '**/renderer/**', '**/drizzle/**'],
              message: 'common/ runs in both processes: no Node built-ins, no main or renderer code.',
            },
          ],
        },
      ],
    },
  },
);
