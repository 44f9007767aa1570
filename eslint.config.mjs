import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.vscode-host/**', 'test-artifacts/**', 'out/**', 'demo/workspace/**', '**/*.mjs', '**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
    },
  },
  {
    // The layers of DESIGN.md: only the extension host may import `vscode` at run time.
    files: ['src/core/**/*.ts', 'src/cli/**/*.ts', 'src/emulator/**/*.ts', 'src/webview/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'Only src/extension may import vscode at run time.', allowTypeImports: true }],
      }],
    },
  },
  {
    // The engine's worker thread has no VS Code API: a run-time `vscode` import would fail there,
    // and any other host module could pull one in.
    files: ['src/extension/worker/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'The engine worker runs without the VS Code API.', allowTypeImports: true }],
      }],
      'no-restricted-imports': ['error', { patterns: [
        { group: ['../host/**', '../commands/**', '../status/**', '../diagnostics/**', '../dashboard/**', '../notify/**', '../settings/**', '../consent/**', '../triggers/**'], message: 'The engine worker may import core only.' },
      ] }],
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/emulator/**/*.ts', 'src/webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/extension/**', '**/cli/**'], message: 'core, emulator and webview must not depend on hosts.' },
      ] }],
    },
  },
  {
    // The emulator stands in for Bedrock: engine code it imported would make it agree with the engine
    // by construction (docs/emulator.md). Infrastructure only, and the estimate for `tokenRatio`.
    files: ['src/emulator/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/extension/**', '**/cli/**'], message: 'core, emulator and webview must not depend on hosts.' },
        { regex: '(^|/)core/(?!(clock|random|schema|contract/tokens)$)', message: 'The emulator must not share engine code (clock, random, schema and the tokenRatio estimate only).' },
      ] }],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
);
