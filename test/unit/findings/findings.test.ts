import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RawFinding } from '../../../src/core/contract';
import {
  BaselineError, extractFindingsInput, normalizeFindings, parseBatchFindings, readBaseline, validateFindingsInput, writeBaseline,
} from '../../../src/core/findings';

const f = (over: Partial<RawFinding> = {}): RawFinding => ({
  file: 'a.js', startLine: 2, endLine: 2, severity: 'warning', ruleId: 'eqeqeq', message: 'loose', ...over,
});

describe('findings', () => {
  it('takes the tool input, or JSON from text (fenced or with prose around it)', () => {
    assert.deepEqual(extractFindingsInput({ toolInput: { findings: [] } }), { ok: true, value: { findings: [] } });
    const text = 'Here you go:\n```json\n{"findings": [{"file": "a.js", "message": "a } in a string"}]}\n```';
    const out = extractFindingsInput({ text });
    assert.ok(out.ok);
    assert.equal((out.value as { findings: { message: string }[] }).findings[0]!.message, 'a } in a string');
    assert.equal(extractFindingsInput({ text: 'I found nothing.' }).ok, false);
    assert.equal(extractFindingsInput({}).ok, false);
  });

  it('validates against the contract schema, item by item', () => {
    assert.equal(validateFindingsInput({ results: [] }).ok, false);
    assert.equal(validateFindingsInput([]).ok, false);
    const out = validateFindingsInput({ findings: [f(), f({ severity: 'fatal' as never }), { file: 'a.js' }] });
    assert.ok(out.ok);
    assert.equal(out.findings.length, 1);
    assert.deepEqual(out.rejected.map((r) => r.index), [1, 2]);
    const none = validateFindingsInput({ findings: [{ file: 42, line: 'seven' }] });
    assert.ok(!none.ok && /none of the 1 finding/.test(none.reason));
    assert.deepEqual(validateFindingsInput({ findings: [] }), { ok: true, findings: [], rejected: [], overBatchCap: 0 });
  });

  it('keeps only the batch files, clamps lines and merges duplicates', () => {
    const files = [{ path: 'a.js', text: 'x\ny == 1\nz\n' }];
    const { byFile, dropped } = normalizeFindings(
      [f(), f({ severity: 'error', message: 'loose equality' }), f({ file: './a.js', startLine: 0, endLine: 99, ruleId: 'no-eval' }), f({ file: 'elsewhere.js' })],
      files,
      'nova',
    );
    assert.deepEqual(dropped, [{ file: 'elsewhere.js', reason: 'not a file of this batch' }]);
    const list = byFile.get('a.js')!;
    assert.equal(list.length, 2);
    const eval_ = list.find((x) => x.ruleId === 'no-eval')!;
    assert.deepEqual([eval_.startLine, eval_.endLine, eval_.file, eval_.model], [1, 3, 'a.js', 'nova']);
    const eq = list.find((x) => x.ruleId === 'eqeqeq')!;
    assert.deepEqual([eq.severity, eq.message], ['error', 'loose equality']);
  });

  it('gives fingerprints that survive line shifts but not edits of the flagged line', () => {
    const before = { path: 'a.js', text: 'if (a == b) {}\nif (a == b) {}\n' };
    const after = { path: 'a.js', text: '// new header\n\nif (a == b) {}\nif (a == b) {}\n' };
    const edited = { path: 'a.js', text: 'if (a == c) {}\nif (a == b) {}\n' };
    const fps = (file: typeof before, lines: number[]) =>
      normalizeFindings(lines.map((l) => f({ startLine: l, endLine: l })), [file], 'm').byFile.get('a.js')!.map((x) => x.fingerprint);
    const a = fps(before, [1, 2]);
    assert.notEqual(a[0], a[1], 'identical lines get distinct occurrence indexes');
    assert.deepEqual(fps(after, [3, 4]), a);
    assert.notEqual(fps(edited, [1])[0], a[0]);
  });

  it('parses a whole batch response, failing on malformed output', () => {
    const files = [{ path: 'a.js', text: 'a\nb\n' }];
    const ok = parseBatchFindings({ text: JSON.stringify({ findings: [f()] }) }, files, 'llama');
    assert.ok(ok.ok && ok.byFile.get('a.js')!.length === 1);
    const bad = parseBatchFindings({ text: '{"findings": "none"}' }, files, 'llama');
    assert.deepEqual(bad, { ok: false, reason: 'malformed model output: "findings" is not an array' });
  });

  it('writes and reads a baseline keyed by fingerprint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chorus-baseline-'));
    try {
      const path = join(dir, 'sub', 'baseline.json');
      const [finding] = normalizeFindings([f()], [{ path: 'a.js', text: 'a\nb\n' }], 'm').byFile.get('a.js')!;
      await writeBaseline(path, [finding!]);
      assert.deepEqual([...(await readBaseline(path))], [finding!.fingerprint]);
      writeFileSync(path, '{oops');
      await assert.rejects(readBaseline(path), BaselineError);
      await assert.rejects(readBaseline(join(dir, 'missing.json')), /chorus baseline/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
