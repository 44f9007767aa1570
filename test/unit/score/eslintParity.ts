/**
 * The yardstick for JavaScript/TypeScript cyclomatic complexity: ESLint 9's own `complexity` rule,
 * run through its Linter, reported for every function (threshold 0).
 */
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';

export interface EslintFunction { line: number; column: number; complexity: number }

const linter = new Linter({ configType: 'flat' });
const COMPLEXITY = /complexity of (\d+)\./;

/** ESLint's report for every function, or undefined when ESLint cannot parse the file. */
export function eslintComplexities(path: string, text: string): EslintFunction[] | undefined {
  if (/\.[cm]?tsx?$/.test(path)) return verify(path, text, 'module');
  // Packages ship both CommonJS and ES modules under .js: try the one, then the other.
  return verify(path, text, path.endsWith('.mjs') ? 'module' : 'commonjs') ?? verify(path, text, 'module');
}

function verify(path: string, text: string, sourceType: 'module' | 'commonjs'): EslintFunction[] | undefined {
  const isTs = /\.[cm]?tsx?$/.test(path);
  const config: Linter.Config = {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs', '**/*.ts', '**/*.tsx'],
    rules: { complexity: ['error', 0] },
    languageOptions: isTs
      ? { parser: tseslint.parser, parserOptions: { ecmaFeatures: { jsx: path.endsWith('x') } } }
      : { ecmaVersion: 'latest', sourceType },
  };
  // A relative name: flat config matches `files` against the working directory.
  const messages = linter.verify(text, config, { filename: `parity${path.slice(path.lastIndexOf('.'))}` });
  if (messages.some((m) => m.fatal)) return undefined;
  return messages
    .filter((m) => m.ruleId === 'complexity')
    .map((m) => ({ line: m.line, column: m.column, complexity: Number(COMPLEXITY.exec(m.message)?.[1]) }));
}
