import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '**/*.golden.*'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The pure core: no SDKs, no I/O, no process.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', 'fs', 'path', 'http', 'https', '@azure/*', '@microsoft/microsoft-graph-client', 'jose', 'chalk', 'commander', '**/cli/**', '**/graph/**', '**/auth/**', '**/input/**', '**/report/**'] }],
      'no-restricted-globals': ['error', 'process', 'fetch', 'console'],
    },
  },
  {
    // Adapters take plain requests and Io (src/io.ts); the command line resolves its flags into them, never the
    // other way round.
    files: ['src/graph/**/*.ts', 'src/auth/**/*.ts', 'src/input/**/*.ts', 'src/report/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['**/cli/**', '**/cli.js'] }],
    },
  },
);
