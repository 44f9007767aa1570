/** `chorus score DIR --json`: the walk (.gitignore, node_modules, binary), the fixed output names. */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScore } from '../../../src/cli/commands/score';

describe('score: chorus score command', function () {
  this.timeout(60_000);
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'chorus-score-'));
    const write = (path: string, content: string | Buffer) => {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), content);
    };
    write('.gitignore', 'build/\n*.log\n');
    write('src/main.ts', "import { helper } from './lib/helper';\nexport function main(a?: string) {\n  return helper(a ?? '');\n}\n");
    write('src/lib/helper.ts', 'export function helper(s: string) {\n  if (s) { return s; }\n  return s || "x";\n}\n');
    write('src/lib/.gitignore', 'generated.ts\n');
    write('src/lib/generated.ts', 'export const x = 1;\n');
    write('build/out.js', 'function f() {}\n');
    write('debug.log', 'log\n');
    write('node_modules/pkg/index.js', 'module.exports = 1;\n');
    write('assets/logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01]));
    write('README.md', '# hi\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prints files, groups and skipped files as JSON with the fixed names', async () => {
    let out = '';
    await runScore(dir, { json: true, workers: '1' }, (text) => (out += text));
    const result = JSON.parse(out) as {
      files: { path: string; language: string; loc: number; bytes: number; imports: string[]; functions: { name: string; startLine: number; endLine: number; cyclomatic: number; maxNesting: number }[] }[];
      groups: { files: string[]; totalSize: number; complexity: number; score: number }[];
      skipped: { path: string; reason: string }[];
    };
    assert.deepEqual(result.files.map((f) => f.path), ['.gitignore', 'README.md', 'src/lib/.gitignore', 'src/lib/helper.ts', 'src/main.ts']);
    assert.deepEqual(result.skipped, [{ path: 'assets/logo.png', reason: 'binary' }]);
    const main = result.files.find((f) => f.path === 'src/main.ts')!;
    assert.deepEqual(main.imports, ['src/lib/helper.ts']);
    assert.equal(main.language, 'typescript');
    assert.equal(main.loc, 4);
    assert.deepEqual(main.functions.map(({ name, startLine, endLine, cyclomatic, maxNesting }) => ({ name, startLine, endLine, cyclomatic, maxNesting })),
      [{ name: 'main', startLine: 2, endLine: 4, cyclomatic: 2, maxNesting: 0 }]);
    const group = result.groups.find((g) => g.files.includes('src/main.ts'))!;
    assert.deepEqual(group.files, ['src/lib/helper.ts', 'src/main.ts']);
    assert.equal(group.totalSize, main.bytes + result.files.find((f) => f.path === 'src/lib/helper.ts')!.bytes);
    assert.ok(group.score > 0 && group.score < 1);
  });

  it('prints a readable summary without --json, and rejects a missing directory', async () => {
    let out = '';
    await runScore(dir, { workers: '1' }, (text) => (out += text));
    assert.match(out, /^5 files \(2 parsed\), \d+ groups, 1 skipped/);
    assert.match(out, /most complex functions:\n\s+3 {2}src\/lib\/helper\.ts:1 {2}helper/);
    await assert.rejects(runScore(join(dir, 'nope'), {}, () => undefined), /not a directory/);
    await assert.rejects(runScore(dir, { workers: '0' }, () => undefined), /--workers must be a positive integer/);
  });
});
