import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

// The arrows between folders are one-way (STYLE.md): lib imports nothing of
// ours, components never reach into the server, the SDK stands alone.
const boundary = (files, patterns, message) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group], message })) }],
  },
});

const config = [
  {
    ignores: ['.next/**', '.build/**', 'node_modules/**', 'sdk/dist/**', 'server/store/generated/**', '.data/**', 'next-env.d.ts', 'test-results/**', 'playwright-report/**'],
  },
  ...nextVitals,
  ...nextTs,
  {
    // Type-aware rules for what types alone can catch: a promise nobody awaits or handles, or one passed where a callback's result is ignored.
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // React ignores what an event handler returns; the panel's async handlers catch their own errors and show them.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  boundary(['lib/**'], ['**/server/**', '**/app/**', '**/components/**', '**/sdk/**'], 'lib/ holds shared contracts and imports nothing of ours.'),
  boundary(['components/**'], ['**/server/**'], 'components/ are presentational and never import the server.'),
  boundary(['sdk/**'], ['**/server/**', '**/app/**', '**/components/**', 'next', 'next/*', 'react', 'react-dom'], 'The SDK depends on lib/ contracts only.'),
  {
    // Playwright fixtures hand their value to `use`, which is not React's hook.
    files: ['tests/e2e/**'],
    rules: { 'react-hooks/rules-of-hooks': 'off' },
  },
  boundary(['app/**'], ['**/server/**'], 'The browser talks to the server over HTTP and Socket.IO, never by import.'),
  boundary(['server/**'], ['**/scripts/**', '**/tests/**'], 'The server is production code: it never imports scripts or tests.'),
  {
    // lib/protocol imports its siblings as `.js` for the SDK's ESM build, which Turbopack cannot map to `.ts` in the browser bundle.
    files: ['app/**', 'components/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/lib/protocol/**'], allowTypeImports: true, message: "The browser bundle cannot resolve lib/protocol's .js imports: use `import type`." }] },
      ],
    },
  },
];

export default config;
