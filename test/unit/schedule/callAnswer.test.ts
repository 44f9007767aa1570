/**
 * The call stage's reading of answers (callAnswer.ts) and halving on overflow (callOverflow.ts), on
 * their own: each stop reason's kind and outcome code, findings per file, pieces combined, and how
 * two halves' outcomes for one file merge.
 */
import assert from 'node:assert/strict';
import type { Batch, BatchFile } from '../../../src/core/plan/types';
import type { ChargedResponse } from '../../../src/core/providers/provider';
import { combine, readAnswer } from '../../../src/core/schedule/callAnswer';
import { halves, linesOf, merge, OUTPUT_PIECE_TOKENS, type FileDispatch } from '../../../src/core/schedule/callOverflow';
import type { BatchResult } from '../../../src/core/schedule/types';

const usage = { inputTokens: 100, outputTokens: 20 };
const answer = (over: Partial<ChargedResponse>): ChargedResponse => ({ usage, batchUsage: usage, stopReason: 'tool_use', latencyMs: 1, ...over });
const finding = (file: string, line: number) => ({ file, startLine: line, endLine: line, severity: 'warning', ruleId: 'eqeqeq', message: `loose on ${line}` });
const texts = [{ path: 'a.js', text: 'if (a == b) {}\nx();\n' }, { path: 'b.js', text: 'y == z;\n' }];
const result: BatchResult = { batchId: 'b1', status: 'ok', model: 'm', response: answer({}), attempts: 1, reasons: [] };

describe('call stage: reading an answer', () => {
  it('maps each stop reason to its kind and outcome code, never silently', () => {
    const kinds = (stopReason: string, toolInput?: unknown) => {
      const a = readAnswer('m', answer({ stopReason, ...(toolInput !== undefined ? { toolInput } : {}) }), texts, result);
      return a.kind === 'ok' ? 'ok' : `${a.kind}/${a.code}`;
    };
    assert.equal(kinds('content_filtered'), 'failed/content-filtered');
    assert.equal(kinds('guardrail_intervened'), 'failed/content-filtered');
    assert.equal(kinds('malformed_tool_use'), 'malformed/malformed-output');
    assert.equal(kinds('model_context_window_exceeded'), 'too-large/context-exceeded');
    assert.equal(kinds('max_tokens', { findings: 'cut' }), 'too-large/output-exceeded');
    assert.equal(kinds('tool_use', { findings: 'cut' }), 'malformed/malformed-output');
    assert.equal(kinds('tool_use', { findings: [] }), 'ok');
  });

  it('gives each file its findings, and marks every file partial when the answer stopped at max_tokens', () => {
    const a = readAnswer('m', answer({ stopReason: 'max_tokens', toolInput: { findings: [finding('a.js', 1), finding('b.js', 1)] } }), texts, result);
    assert.equal(a.kind, 'ok');
    if (a.kind !== 'ok') return;
    assert.deepEqual([...a.byFile.keys()].sort(), ['a.js', 'b.js']);
    assert.equal(a.byFile.get('a.js')![0]!.startLine, 1);
    for (const path of ['a.js', 'b.js']) assert.match(a.partial.get(path)!, /largest output cap/);
  });

  it('combines pieces: findings of a file from every piece, models named once; the first unusable piece decides', () => {
    const one = readAnswer('m1', answer({ toolInput: { findings: [finding('a.js', 1)] } }), [texts[0]!], result);
    const two = readAnswer('m2', answer({ toolInput: { findings: [finding('a.js', 2)] } }), [texts[0]!], result);
    const both = combine([one, two], result);
    assert.equal(both.kind, 'ok');
    if (both.kind === 'ok') {
      assert.equal(both.model, 'm1, m2');
      assert.deepEqual(both.byFile.get('a.js')!.map((f) => f.startLine), [1, 2]);
    }
    const blocked = readAnswer('m2', answer({ stopReason: 'content_filtered' }), [texts[1]!], result);
    assert.equal(combine([one, blocked], result), blocked);
  });
});

describe('call stage: halving on overflow', () => {
  const file = (path: string, lines: number, firstLine?: number): BatchFile => {
    const text = Array.from({ length: lines }, (_, i) => `const v${i} = ${i};`).join('\n') + '\n';
    return { path, text, bytes: Buffer.byteLength(text), hash: `h-${path}`, ...(firstLine ? { firstLine } : {}) };
  };
  const batch = (files: Batch['files']): Batch => ({ id: 'b', files, preferredModel: 'm', lane: 'background', estInputTokens: 0 }) as Batch;

  it('halves along files first, then one file along its lines with true line numbers, and stops at the smallest piece', () => {
    const [h1, h2] = halves(batch([file('a.js', 3), file('b.js', 3), file('c.js', 3)]), 'why', OUTPUT_PIECE_TOKENS)!;
    assert.deepEqual([h1.files.map((f) => f.path), h2.files.map((f) => f.path)], [['a.js', 'b.js'], ['c.js']]);
    assert.match(h1.reason, /^half 1 of b: why/);
    assert.ok(h1.estInputTokens > 0);
    const lines = halves(batch([file('big.js', 200)]), 'why', OUTPUT_PIECE_TOKENS)!;
    assert.equal(lines[1].files[0]!.firstLine, 1 + lines[0].files[0]!.text.split('\n').length - 1);
    assert.equal(halves(batch([file('tiny.js', 2)]), 'why', OUTPUT_PIECE_TOKENS), undefined);
  });

  it('names the piece a failure is about', () => {
    assert.equal(linesOf(batch([file('a.js', 3)])), 'a.js');
    assert.equal(linesOf(batch([file('a.js', 3, 120)])), 'lines 120–122 of a.js');
    assert.equal(linesOf(batch([file('a.js', 1), file('b.js', 1)])), 'a batch of 2 files');
  });

  it('merges two halves of one file: failure over skip over findings, but an output overflow keeps the findings as partial', () => {
    const ok = (n: number): FileDispatch => ({ kind: 'ok', model: 'm', findings: Array(n).fill(null) as never[] });
    const failed: FileDispatch = { kind: 'failed', reason: 'denied', code: 'access-denied' };
    const skipped: FileDispatch = { kind: 'skipped', reason: 'budget', code: 'budget' };
    const overflow: FileDispatch = { kind: 'failed', reason: 'lines 1–9 did not fit', code: 'output-exceeded' };
    assert.equal(merge(ok(1), failed), failed);
    assert.equal(merge(skipped, ok(1)), skipped);
    assert.equal(merge(skipped, failed), failed);
    const both = merge(ok(1), ok(2));
    assert.ok(both.kind === 'ok' && both.findings.length === 3);
    const kept = merge(overflow, ok(2));
    assert.ok(kept.kind === 'ok' && kept.findings.length === 2 && kept.partial === 'lines 1–9 did not fit');
  });
});
