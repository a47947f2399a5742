// ESLint 9 flat config. Not type-aware, to stay fast.
//
// Besides the usual recommended rules, it enforces the process boundaries of
// the design (test/lint/boundaries.test.ts proves each one fails when broken):
//   - main/ never imports renderer/ (the page is built by Vite; what both need
//     lives in common/);
//   - main/core never imports 'electron' (the core runs under plain Node too);
//   - renderer never imports Node modules, native modules, 'electron' or main/;
//   - the contract (preload/contract.ts and preload/api/), shared by both sides,
//     imports only zod and its own files;
//   - common/ (neutral code the app, the page, the CLI and the server share)
//     imports only npm packages that work in Node and the browser, and its own
//     files: no main/, renderer/, server/, preload/, electron or Node built-ins.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...new Set(builtinModules.filter((m) => !m.startsWith('_')).map((m) => m.split('/')[0]))];

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * no-restricted-syntax entries for `import('x')` and `require('x')`, which
 * no-restricted-imports does not see: `names` are packages (also matching
 * their subpaths), `prefixes` match any specifier that starts with them,
 * `folders` any path into a folder of that name (`../../renderer/x`).
 */
function noDynamicImportOf({ names = [], prefixes = [], folders = [] }, message) {
  // esquery regexes cannot contain a slash: write it as \u002F.
  const alternatives = [
    ...names.map((n) => `${escape(n).replaceAll('/', '\\u002F')}(\\u002F|$)`),
    ...prefixes.map(escape),
    ...folders.map((f) => `(.*\\u002F)?${escape(f)}\\u002F`),
  ];
  const regex = `/^(${alternatives.join('|')})/`;
  return [
    { selector: `ImportExpression[source.value=${regex}]`, message },
    { selector: `CallExpression[callee.name='require'][arguments.0.value=${regex}]`, message },
  ];
}

const CORE_NO_ELECTRON = "main/core runs under plain Node as well: it must not import 'electron'. Ask the shell for OS services through an interface.";
const MAIN_NO_RENDERER = 'main/ must not import renderer/ (the page, built by Vite). Move what both need to common/.';
const COMMON_NEUTRAL =
  'common/ is shared by the app, the page and the server: it may import only npm packages that work in Node and the browser, and its own files (no main/, renderer/, server/, preload/, electron or Node built-ins).';
const RENDERER_NO_NODE =
  'The renderer is a web page: no Node modules, native modules, electron or main/. Call the core through the API contract (preload/contract).';

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'out/**', 'dist/**', 'release/**', 'demo-data/**', '.electron-native/**', 'test-results/**', '**/*.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },

  // ---------------------------------------------------------------- boundaries

  {
    files: ['main/**/*.{ts,tsx,js,mjs,cjs}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/renderer/**'], message: MAIN_NO_RENDERER }] }],
      'no-restricted-syntax': ['error', ...noDynamicImportOf({ folders: ['renderer'] }, MAIN_NO_RENDERER)],
    },
  },
  {
    // Repeats main/'s rule: a later block's options replace an earlier one's.
    files: ['main/core/**/*.{ts,tsx,js,mjs,cjs}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: CORE_NO_ELECTRON }],
          patterns: [
            { group: ['electron/*'], message: CORE_NO_ELECTRON },
            { group: ['**/renderer/**'], message: MAIN_NO_RENDERER },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        ...noDynamicImportOf({ names: ['electron'] }, CORE_NO_ELECTRON),
        ...noDynamicImportOf({ folders: ['renderer'] }, MAIN_NO_RENDERER),
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx,js,jsx,mjs}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      // The classic hooks rules. Version 7's `recommended` also turns on the
      // React Compiler rules (set-state-in-effect, refs, …); we do not use the
      // compiler, so they stay off.
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'better-sqlite3', 'serialport', ...nodeBuiltins].map((name) => ({ name, message: RENDERER_NO_NODE })),
          patterns: [
            { group: ['node:*', '@serialport/*', 'electron/*', ...nodeBuiltins.map((m) => `${m}/*`)], message: RENDERER_NO_NODE },
            { group: ['**/main/**'], message: RENDERER_NO_NODE },
            { group: ['**/preload/index', '**/preload/bridge'], message: 'The renderer uses only preload/contract (types); the preload itself runs apart.' },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        ...noDynamicImportOf({ names: ['electron', 'better-sqlite3', 'serialport', '@serialport', ...nodeBuiltins], prefixes: ['node:'] }, RENDERER_NO_NODE),
      ],
    },
  },
  {
    files: ['preload/contract.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!zod(/|$)|\\./api/[\\w-]+$)',
              message: 'The contract is shared by the page and the main process: it may import only zod and its own files (./api/*).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['preload/api/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!zod(/|$)|\\./[\\w-]+$)',
              message: 'The contract is shared by the page and the main process: it may import only zod and its own files (./api/*).',
            },
          ],
        },
      ],
    },
  },
  {
    // common/: one block of its own (helpers add to it without touching the others).
    files: ['common/**/*.{ts,tsx,js,mjs}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'better-sqlite3', 'serialport', ...nodeBuiltins].map((name) => ({ name, message: COMMON_NEUTRAL })),
          patterns: [
            { group: ['node:*', '@serialport/*', 'electron/*', ...nodeBuiltins.map((m) => `${m}/*`)], message: COMMON_NEUTRAL },
            { group: ['**/main', '**/main/**', '**/renderer', '**/renderer/**', '**/server', '**/server/**', '**/preload', '**/preload/**'], message: COMMON_NEUTRAL },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        ...noDynamicImportOf(
          { names: ['electron', 'better-sqlite3', 'serialport', '@serialport', ...nodeBuiltins], prefixes: ['node:'], folders: ['main', 'renderer', 'server', 'preload'] },
          COMMON_NEUTRAL,
        ),
      ],
    },
  },
);
