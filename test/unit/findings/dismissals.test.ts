import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDismissals, BaselineError, readBaseline, readBaselineFile, removeDismissals, serializeBaseline, writeBaseline } from '../../../src/core/findings';
import type { Finding } from '../../../src/core/types';

function f(file: string, line: number, ruleId: string, fp: string): Finding {
  return { file, startLine: line, endLine: line, severity: 'warning', ruleId, message: `${ruleId} here`, model: 'm', fingerprint: fp };
}

describe('baseline dismissals', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'chorus-dismiss-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('ignore this / ignore similar persist and suppress; restore brings them back', async () => {
    const path = join(dir, '.chorus', 'baseline.json');
    const a = f('src/a.ts', 3, 'eqeqeq', 'fp-a');
    const b = f('src/a.ts', 9, 'no-eval', 'fp-b');
    const c = f('src/b.ts', 1, 'no-eval', 'fp-c');
    await addDismissals(path, { findings: [a] });
    await addDismissals(path, { similar: [{ file: 'src/a.ts', ruleId: 'no-eval' }] });
    const baseline = await readBaseline(path);
    assert.deepEqual([a, b, c].map((x) => baseline.suppresses(x)), [true, true, false]);
    assert.ok(baseline.has('fp-a'), 'still a Set of fingerprints for older callers');
    await removeDismissals(path, { fingerprints: ['fp-a'], similar: [{ file: 'src/a.ts', ruleId: 'no-eval' }] });
    const after = await readBaseline(path);
    assert.deepEqual([a, b, c].map((x) => after.suppresses(x)), [false, false, false]);
  });

  it('stable order, one entry per line, createdAt kept: two branches\' additions are separate one-line diffs', async () => {
    const path = join(dir, 'baseline.json');
    await writeBaseline(path, [f('src/m.ts', 5, 'x', 'fp-m')], new Date('2026-01-01T00:00:00Z'));
    await addDismissals(path, { findings: [f('src/z.ts', 1, 'x', 'fp-z'), f('src/a.ts', 1, 'x', 'fp-a')] }, new Date('2026-02-02T00:00:00Z'));
    await addDismissals(path, { findings: [f('src/a.ts', 1, 'x', 'fp-a')] }); // the same twice: once in the file
    const text = readFileSync(path, 'utf8');
    const lines = text.split('\n');
    assert.equal(lines.filter((l) => l.includes('"fingerprint"')).length, 3);
    assert.deepEqual(lines.filter((l) => l.includes('"fingerprint"')).map((l) => (JSON.parse(l.replace(/,$/, '')) as { file: string }).file), ['src/a.ts', 'src/m.ts', 'src/z.ts']);
    assert.match(text, /"createdAt": "2026-01-01T00:00:00.000Z"/);
    // Same content, same bytes, whatever order it was given in.
    const file = await readBaselineFile(path);
    assert.equal(serializeBaseline({ ...file, findings: [...file.findings].reverse() }), text);
  });

  it('a missing file is created on the first dismissal; a broken one is a clear error, never overwritten', async () => {
    const path = join(dir, 'b.json');
    writeFileSync(path, '{ not json');
    await assert.rejects(addDismissals(path, { findings: [f('a', 1, 'x', 'fp')] }), (err: Error) => err instanceof BaselineError && /not valid JSON/.test(err.message));
    assert.equal(readFileSync(path, 'utf8'), '{ not json');
    const fresh = join(dir, 'new', 'baseline.json');
    await addDismissals(fresh, { similar: [{ file: 'a', ruleId: 'x' }] });
    assert.ok((await readBaseline(fresh)).suppresses({ fingerprint: 'other', file: 'a', ruleId: 'x' }));
  });

  it('hand-edited entries without a fingerprint are dropped, not a crash', async () => {
    const path = join(dir, 'b.json');
    writeFileSync(path, JSON.stringify({ findings: [{ file: 'a' }, null, 7, { fingerprint: 'ok', file: { x: 1 } }], ignoredRules: [{ file: 'a' }, 'x'] }));
    const file = await readBaselineFile(path);
    assert.deepEqual(file.findings, [{ fingerprint: 'ok', file: '', ruleId: '', startLine: 0, message: '' }]);
    assert.equal(file.ignoredRules, undefined);
  });
});
