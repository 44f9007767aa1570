/**
 * Cyclomatic complexity of JavaScript and TypeScript equals ESLint 9's `complexity` rule, function by
 * function, on real code: ESLint's own sources (JavaScript) and MSAL's and secretlint's (TypeScript).
 * Functions are matched by where ESLint reports them (line and column of the function head).
 */
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFile } from '../../../src/core/score/analyzeFile';
import { eslintComplexities } from './eslintParity';

function sourcesUnder(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) sourcesUnder(path, out);
    else if (/\.(c|m)?(j|t)sx?$/.test(entry) && !/\.d\.[cm]?ts$/.test(entry)) out.push(path);
  }
  return out;
}

function byHead(entries: { line: number; column: number; complexity: number }[]): Map<string, string> {
  const lists = new Map<string, number[]>();
  for (const { line, column, complexity } of entries) {
    const key = `${line}:${column}`;
    lists.set(key, [...(lists.get(key) ?? []), complexity]);
  }
  return new Map([...lists].map(([key, list]) => [key, list.sort((a, b) => a - b).join(',')]));
}

interface Tally { files: number; compared: number; functions: number; mismatches: string[] }

async function compare(files: string[]): Promise<Tally> {
  const tally: Tally = { files: files.length, compared: 0, functions: 0, mismatches: [] };
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    // Fixtures are stored as .txt so that the project's own lint leaves them alone.
    const path = file.replace(/\.txt$/, '');
    const reference = eslintComplexities(path, text);
    const mine = await analyzeFile(path, text, text.length, { timeoutMs: 60_000, maxParseBytes: Infinity });
    // Only files both parsers accept: a file ESLint cannot parse has no reference to compare with.
    if (!reference || mine.note?.includes('syntax errors')) continue;
    tally.compared++;
    tally.functions += reference.length;
    const expected = byHead(reference);
    const actual = byHead(mine.functions.map((f) => ({ ...f.head!, complexity: f.cyclomatic })));
    for (const key of new Set([...expected.keys(), ...actual.keys()])) {
      if (expected.get(key) !== actual.get(key)) {
        tally.mismatches.push(`${file}:${key} eslint=[${expected.get(key) ?? ''}] chorus=[${actual.get(key) ?? ''}]`);
      }
    }
  }
  return tally;
}

describe('score: cyclomatic complexity equals ESLint complexity', function () {
  this.timeout(300_000);

  it('on ESLint\'s own JavaScript sources', async () => {
    const tally = await compare(sourcesUnder('node_modules/eslint/lib'));
    assert.ok(tally.compared >= 350, `compared only ${tally.compared} of ${tally.files} files`);
    assert.ok(tally.functions >= 3000, `only ${tally.functions} functions`);
    assert.deepEqual(tally.mismatches, []);
  });

  it('on TypeScript sources (MSAL, secretlint)', async () => {
    const files = [
      ...sourcesUnder('node_modules/@azure/msal-common/src'),
      ...sourcesUnder('node_modules/@azure/msal-browser/src'),
      ...sourcesUnder('node_modules/@secretlint/core/src'),
    ].filter((f) => /\.[cm]?tsx?$/.test(f));
    const tally = await compare(files);
    assert.ok(tally.compared >= 0.95 * tally.files, `compared only ${tally.compared} of ${tally.files} files`);
    assert.ok(tally.functions >= 1500, `only ${tally.functions} functions`);
    assert.deepEqual(tally.mismatches, []);
  });

  it('on TSX and on every construct the rule counts', async () => {
    const tally = await compare(['test/unit/score/fixtures/constructs.tsx.txt']);
    assert.equal(tally.compared, 1, 'the fixture must parse in both');
    assert.ok(tally.functions >= 15, `only ${tally.functions} functions`);
    assert.deepEqual(tally.mismatches, []);
  });
});
