import assert from 'node:assert/strict';
import { changedLines, DiffError, parseUnifiedDiff } from '../../../src/core/changes/diff';

const GIT_DIFF = [
  'diff --git a/src/a.ts b/src/a.ts',
  'index 111..222 100644',
  '--- a/src/a.ts',
  '+++ b/src/a.ts',
  '@@ -3,4 +3,5 @@ function f() {',
  ' const x = 1;',
  '-const y = 2;',
  '+const y = 3;',
  '+const z = 4;',
  ' return x;',
  ' }',
  '@@ -20 +21,0 @@',
  '-gone();',
  'diff --git a/old name.ts b/new name.ts',
  'similarity index 90%',
  'rename from old name.ts',
  'rename to new name.ts',
  '--- a/old name.ts',
  '+++ b/new name.ts',
  '@@ -1 +1 @@',
  '-a',
  '\\ No newline at end of file',
  '+b',
  '\\ No newline at end of file',
  'diff --git a/logo.png b/logo.png',
  'index 1..2 100644',
  'Binary files a/logo.png and b/logo.png differ',
  'diff --git a/dead.ts b/dead.ts',
  'deleted file mode 100644',
  '--- a/dead.ts',
  '+++ /dev/null',
  '@@ -1,2 +0,0 @@',
  '-x',
  '-y',
  'diff --git a/new.ts b/new.ts',
  'new file mode 100644',
  '--- /dev/null',
  '+++ b/new.ts',
  '@@ -0,0 +1,2 @@',
  '+one',
  '+two',
  '',
].join('\n');

describe('changes/diff: unified diffs as data', () => {
  it('reads files, hunks and true new-side line numbers from git output', () => {
    const files = parseUnifiedDiff(GIT_DIFF);
    assert.deepEqual(files.map((f) => [f.status, f.oldPath, f.newPath]), [
      ['modified', 'src/a.ts', 'src/a.ts'],
      ['renamed', 'old name.ts', 'new name.ts'],
      ['binary', 'logo.png', 'logo.png'],
      ['deleted', 'dead.ts', undefined],
      ['added', undefined, 'new.ts'],
    ]);
    const [a] = files;
    assert.deepEqual(a!.hunks[0]!.added, [4, 5]);
    assert.deepEqual(a!.hunks[0]!.removed, [{ oldStart: 4, count: 1, beforeNewLine: 4 }]);
    // A pure deletion after new line 20: named at its place, nothing added.
    assert.deepEqual(a!.hunks[1]!.removed, [{ oldStart: 20, count: 1, beforeNewLine: 22 }]);
    assert.deepEqual([...changedLines(a!)].sort((x, y) => x - y), [4, 5, 21, 22]);
    assert.deepEqual(files[4]!.hunks[0]!.added, [1, 2]);
  });

  it('reads CRLF diffs and quoted paths with octal escapes', () => {
    const crlf = 'diff --git "a/caf\\303\\251.ts" "b/caf\\303\\251.ts"\r\n--- "a/caf\\303\\251.ts"\r\n+++ "b/caf\\303\\251.ts"\r\n@@ -1,2 +1,2 @@\r\n a\r\n-b\r\n+c\r\n';
    const [f] = parseUnifiedDiff(crlf);
    assert.equal(f!.newPath, 'café.ts');
    assert.deepEqual(f!.hunks[0]!.added, [2]);
  });

  it('reads a plain diff -u without git headers', () => {
    const files = parseUnifiedDiff('--- x.py\t2024-01-01\n+++ x.py\t2024-01-02\n@@ -1 +1,2 @@\n a\n+b\n--- y.py\n+++ y.py\n@@ -5 +5 @@\n-q\n+r\n');
    assert.deepEqual(files.map((f) => [f.newPath, f.hunks[0]!.added]), [['x.py', [2]], ['y.py', [5]]]);
  });

  it('rejects malformed and hostile input with a clear DiffError', () => {
    assert.throws(() => parseUnifiedDiff('diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n'), (e: unknown) => e instanceof DiffError && /ends early/.test(e.message));
    assert.throws(() => parseUnifiedDiff('@@ -1 +1 @@\n-a\n+b\n'), /hunk before any file header/);
    assert.throws(() => parseUnifiedDiff('--- a/x\n+++ b/x\n@@ -1 +1 @@\n?what\n'), /unexpected line/);
    assert.throws(() => parseUnifiedDiff('--- a/x\n+++ b/x\n@@ -1 +99999999999999999999 @@\n-a\n+b\n'), /out of range/);
    assert.throws(() => parseUnifiedDiff('x'.repeat(101), { maxChars: 100, maxFiles: 10 }), /above the limit/);
    assert.throws(() => parseUnifiedDiff('--- a\n+++ b\n\u0000'), /NUL/);
    const many = Array.from({ length: 4 }, (_, i) => `--- a/f${i}\n+++ b/f${i}\n@@ -1 +1 @@\n-a\n+b\n`).join('');
    assert.throws(() => parseUnifiedDiff(many, { maxChars: 1e6, maxFiles: 3 }), /more than 3 files/);
    assert.deepEqual(parseUnifiedDiff(''), []);
  });
});
