import assert from 'node:assert/strict';
import { planSave, SaveMemory } from '../../../src/core/changes/incremental';
import { lineDiff } from '../../../src/core/changes/lineDiff';
import type { Finding, SourceFile } from '../../../src/core/types';
import { workspace } from '../engine/fakes';
import { Reviewer } from './helpers';

const finding = (startLine: number, endLine = startLine, ruleId = 'r'): Finding => ({ file: 'a.ts', startLine, endLine, severity: 'warning', ruleId, message: 'm', model: 'x', fingerprint: 'f' });
const source = (text: string): SourceFile => ({ path: 'a.ts', text, bytes: text.length, hash: 'h', redactions: 0 });
const lines = (n: number, f: (i: number) => string = (i) => `line ${i}`) => Array.from({ length: n }, (_, i) => f(i + 1)).join('\n') + '\n';

describe('changes/lineDiff: a save as a diff of its previous version', () => {
  it('finds the shortest edit and maps every surviving old line to its new place', () => {
    const d = lineDiff('a.ts', 'a\nb\nc\nd\ne\n', 'a\nB\nc\ne\nx\n', 100)!;
    assert.equal(d.edits, 4);
    assert.deepEqual([...d.moved], [[1, 1], [3, 3], [5, 4]]);
    assert.deepEqual(d.diff.hunks.map((h) => [h.added, h.removed.map((r) => [r.oldStart, r.count, r.beforeNewLine])]), [
      [[2], [[2, 1, 2]]],
      [[], [[4, 1, 4]]],
      [[5], []],
    ]);
    assert.equal(d.diff.newPath, 'a.ts');
  });

  it('agrees with itself on random edits: kept lines read the same, added ones are the rest', () => {
    let seed = 7;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let t = 0; t < 300; t++) {
      const a = Array.from({ length: rnd(15) }, () => 'abc'[rnd(3)]!);
      const b = Array.from({ length: rnd(15) }, () => 'abc'[rnd(3)]!);
      const d = lineDiff('f', a.join('\n'), b.join('\n'), 100)!;
      for (const [o, n] of d.moved) assert.equal(a[o - 1], b[n - 1]);
      const added = new Set(d.diff.hunks.flatMap((h) => h.added));
      assert.deepEqual(b.map((_, i) => i + 1).filter((n) => !added.has(n)), [...d.moved.values()]);
      assert.equal(d.edits, a.length - d.moved.size + (b.length - d.moved.size));
    }
  });

  it('gives up above maxEdits instead of working through a rewrite', () => {
    assert.equal(lineDiff('a.ts', lines(50), lines(50, (i) => `other ${i}`), 10), undefined);
  });
});

describe('changes/incremental: what a save becomes', () => {
  it('a first save, an unchanged file and a rewrite are analyzed whole', () => {
    assert.equal(planSave(source(lines(10)), undefined).kind, 'whole');
    assert.equal(planSave(source(lines(10)), { text: lines(10), findings: [] }).kind, 'whole');
    const plan = planSave(source(lines(10, (i) => (i <= 6 ? `new ${i}` : `line ${i}`))), { text: lines(10), findings: [] });
    assert.deepEqual(plan, { kind: 'whole', reason: 'more than half of its lines changed' });
  });

  it('carries the old findings on untouched lines to their new lines, drops the ones the edit touched', () => {
    const before = lines(20);
    const after = before.replace('line 5\n', 'line 5\ninserted\n').replace('line 12\n', 'line twelve\n');
    const plan = planSave(source(after), { text: before, findings: [finding(3), finding(12), finding(14, 15), finding(5, 6)] });
    assert.equal(plan.kind, 'change');
    if (plan.kind !== 'change') return;
    // 3 stays, 12 was rewritten, 14-15 moved to 15-16, and 5-6 had a line inserted inside it.
    assert.deepEqual(plan.carried.map((f) => [f.startLine, f.endLine]), [[3, 3], [15, 16]]);
    assert.deepEqual(plan.edit.diff.hunks.flatMap((h) => h.added), [6, 13]);
  });

  it('remembers a bounded number of files, least recently used out first', () => {
    const memory = new SaveMemory(2);
    memory.remember('a', 'x', []);
    memory.remember('b', 'x', []);
    memory.get('a');
    memory.remember('c', 'x', [finding(1)]);
    assert.equal(memory.size, 2);
    assert.equal(memory.get('b'), undefined);
    assert.deepEqual(memory.get('c')?.findings.map((f) => f.startLine), [1]);
    memory.forget('c');
    assert.equal(memory.get('c'), undefined);
  });
});

describe('changes/review with carried findings: which old findings a save keeps', () => {
  const reviewers: Reviewer[] = [];
  after(() => reviewers.forEach((r) => r.dispose()));

  it('keeps findings outside the sent code and a whole-function finding a window cannot judge; the resent function answers afresh', async () => {
    // short(): lines 1-6, sent whole after its edit; long(): lines 8-89, edited near its top (a window).
    const short = ['function short(x) {', '  if (x == 1) go();', '  const a = 1;', '  const b = 2;', '  return a + b;', '}'];
    const long = ['function long(x) {', ...Array.from({ length: 80 }, (_, i) => `  x = x + ${i};`), '}'];
    const before = [...short, '', ...long, ''].join('\n');
    const after = before.replace('  if (x == 1) go();', '  if (x === 1) go();').replace('  x = x + 1;', '  x = x + 100;');
    const root = workspace({ 'a.js': after });
    const r = new Reviewer();
    reviewers.push(r);
    const carried = [
      { ...finding(2), ruleId: 'eqeqeq', file: 'a.js' }, // on a changed line: the edit fixed it
      { ...finding(4), ruleId: 'made-up', file: 'a.js' }, // in short(), sent whole: the fresh answer speaks for it
      { ...finding(8), ruleId: 'long-function', file: 'a.js' }, // long()'s first line, in the window: kept
      { ...finding(80), ruleId: 'far-away', file: 'a.js' }, // outside every excerpt: kept
    ];
    const result = await r.review({ root, changes: [lineDiff('a.js', before, after, 100)!.diff], scope: 'all', carried: new Map([['a.js', carried]]) });
    const sent = r.sent();
    assert.deepEqual(sent.map((f) => f.firstLine), [1, 8], 'short() whole, and a window of long() from its first line');
    assert.ok(sent[1]!.lines.length < long.length, 'long() is not sent whole');
    assert.deepEqual(result.files[0]!.findings.map((f) => `${f.ruleId}@${f.startLine}`), ['long-function@8', 'far-away@80']);
  });
});
