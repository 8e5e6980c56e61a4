// @ts-check
import tseslint from 'typescript-eslint';

/** Every TypeScript source and test: typescript-eslint's recommended rules (`npm run lint`, part of `npm test`). */
export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/build/**', 'bench/**', 'examples/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  ...tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_name` marks a parameter an interface requires but this implementation does not use.
      // A variable a callback reads before its one assignment (`let self; open(() => self...); self = ...`).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Plugins are CommonJS modules found at run time, and the tests load them as vsb does.
    files: ['packages/cli/src/assemble.ts', 'packages/cli/src/installed-plugins.ts', 'packages/cli/test/installed-plugins.test.ts', 'test/examples/**'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
