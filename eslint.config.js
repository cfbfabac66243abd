import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/', '.tools/', 'data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // Workflow code is replayed: wall-clock time and randomness must come from the SDK.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'fetch', 'process'],
      'no-restricted-imports': ['error', { patterns: [
        { group: ['node:*', 'fs', 'path', 'http', 'net', 'crypto'], message: 'Workflow code does no I/O.' },
        { group: ['@mikro-orm/*', 'nodemailer', 'pino', '@temporalio/client', '@temporalio/worker', '@temporalio/activity'], message: 'Workflow code does no I/O: call an activity.' },
        { group: ['../activities', '../activities/*'], allowTypeImports: true, message: 'Import only activity types into workflows.' },
      ] }],
      'no-restricted-syntax': ['error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Use the SDK: Date.now() is deterministic only inside the sandbox; prefer workflow time from the interpreter.' },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'Use the SDK\'s deterministic random (uuid4/random from @temporalio/workflow).' },
      ],
    },
  },
);
