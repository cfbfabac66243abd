import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/**
 * The layers, lowest first; a folder may import only from the folders before it (ARCHITECTURE.md).
 * `test/` may import anything.
 */
const LAYERS = ['dsl', 'contracts', 'db', 'activities', 'workflows', 'simulator', 'api', 'runtime', 'bench', 'chaos'];
/** Layers whose types (only) the web app may import: the shapes the API answers with. */
const TYPE_SHARING_LAYERS = ['dsl', 'contracts'];

/** no-restricted-imports patterns that refuse imports of the layers above `layer`. */
function upwardImports(layer) {
  const above = LAYERS.slice(LAYERS.indexOf(layer) + 1);
  // Specifiers are relative, so a folder of the root is reached by a chain of `../`: no folder
  // below the root shares a name with a layer, so the chain's first name is the layer.
  return [
    {
      regex: `^(\\.\\./)+(${above.join('|')})(/|$)`,
      message: `${layer}/ is below ${above.join(', ')}: it must not import from them (ARCHITECTURE.md).`,
    },
  ];
}

/** Workflow code is replayed: no I/O, no data layer, and only the types of activities. */
const WORKFLOW_IMPORTS = [
  { group: ['node:*', 'fs', 'path', 'http', 'net', 'crypto'], message: 'Workflow code does no I/O.' },
  {
    group: ['@mikro-orm/*', 'nodemailer', 'pino', '@temporalio/client', '@temporalio/worker', '@temporalio/activity'],
    message: 'Workflow code does no I/O: call an activity.',
  },
  { regex: '^(\\.\\./)+db(/|$)', message: 'Workflow code does no I/O: the data layer is for activities.' },
  {
    group: ['../activities', '../activities/*', '../../activities', '../../activities/*'],
    allowTypeImports: true,
    message: 'Import only activity types into workflows.',
  },
];

export default tseslint.config(
  { ignores: ['node_modules/', '.tools/', 'data/', 'coverage/', 'dist/'] },
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
    // Type-aware: a promise nobody awaits is a failure nobody sees (and in workflow code, a step
    // that runs out of order).
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-floating-promises': 'error' },
  },
  {
    // The web app runs in the browser and reaches the server only through the HTTP API: it
    // imports nothing of the server's folders (web/tsconfig.json has no Node types either).
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(\\.\\./)+(${LAYERS.filter((layer) => !TYPE_SHARING_LAYERS.includes(layer)).join('|')}|test)(/|$)`,
              message: 'The web app talks to the server over HTTP only.',
            },
            {
              // The shapes the API answers with (a compiled plan, a dry-run scenario) have one owner
              // on the server; the app may import their types, never their code.
              regex: `^(\\.\\./)+(${TYPE_SHARING_LAYERS.join('|')})(/|$)`,
              allowTypeImports: true,
              message: 'The web app imports only types from dsl/ and contracts/ (import type …).',
            },
          ],
        },
      ],
    },
  },
  {
    // `@temporalio/proto` is CommonJS with a namespace Node's ESM loader cannot see: a named value
    // import passes jest's transform and the type check, then `npm start` dies on a SyntaxError.
    files: ['**/*.ts'],
    ignores: ['test/**', 'workflows/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='@temporalio/proto'][importKind='value'] > ImportSpecifier",
          message: "Import the default export (`import proto from '@temporalio/proto'`), or the names as types only.",
        },
      ],
    },
  },
  ...LAYERS.filter((layer) => layer !== 'workflows').map((layer) => ({
    files: [`${layer}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns: upwardImports(layer) }] },
  })),
  {
    // Workflow code is replayed: wall-clock time and randomness must come from the SDK.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'fetch', 'process'],
      'no-restricted-imports': ['error', { patterns: [...WORKFLOW_IMPORTS, ...upwardImports('workflows')] }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message:
            'Use the SDK: Date.now() is deterministic only inside the sandbox; prefer workflow time from the interpreter.',
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: "Use the SDK's deterministic random (uuid4/random from @temporalio/workflow).",
        },
      ],
    },
  },
);
