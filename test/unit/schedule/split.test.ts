/**
 * Cutting batches (issue 15 items 2–3): cutToFit along files and lines, a queue head cut to fill the
 * room left in its window, and a batch re-packed to the limits of the idle model it spills to. The
 * result comes back in parts that cover the batch's files and lines exactly once, in order.
 */
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../src/core/clock';
import { estimateTokens } from '../../../src/core/contract';
import type { ModelConfig } from '../../../src/core/config/types';
import { estimateRequestTokens } from '../../../src/core/plan/estimate';
import type { Batch, BatchFile } from '../../../src/core/plan/types';
import { Dispatcher, type BatchResult, type DispatcherEvent } from '../../../src/core/schedule';
import { cutToFit, MIN_FILL_LINES_TOKENS, MIN_PIECE_CODE_TOKENS } from '../../../src/core/schedule/split';
import { FakeModels, seeded } from './fakes';

/** A file of `lines` lines of about 40 bytes each, under `<batchId>/` (FakeModels reads the batch id there). */
function file(batchId: string, name: string, lines: number, firstLine = 1): BatchFile {
  const text = Array.from({ length: lines }, (_, i) => `const v${i + firstLine} = ${'x'.repeat(24)}; // ${i}`).join('\n') + '\n';
  return { path: `${batchId}/${name}.ts`, text, bytes: Buffer.byteLength(text, 'utf8'), hash: `${batchId}-${name}`, ...(firstLine > 1 ? { firstLine, chunk: { index: 1, count: 3 } } : {}) };
}

function batch(id: string, model: string, files: BatchFile[]): Batch {
  return { id, files, preferredModel: model, lane: 'background', estInputTokens: estimateRequestTokens(files), score: 0.5, reason: `test route to ${model}` };
}

const code = (files: BatchFile[]) => files.reduce((s, f) => s + estimateTokens(f.text), 0);

/** The parts' files, in order, put back together per path: must be the batch's own text. */
function reassembled(result: BatchResult): Map<string, { text: string; firstLine: number }> {
  assert.equal(result.status, 'ok');
  const parts = result.status === 'ok' ? (result.parts ?? []) : [];
  const byPath = new Map<string, { text: string; firstLine: number }>();
  for (const part of parts) {
    for (const f of part.files) {
      const seen = byPath.get(f.path);
      if (!seen) byPath.set(f.path, { text: f.text, firstLine: f.firstLine ?? 1 });
      else {
        // A file cut across pieces continues exactly where the previous piece stopped.
        assert.equal(f.firstLine, seen.firstLine + seen.text.split('\n').length - 1, `${f.path} continues at the next line`);
        seen.text += f.text;
      }
    }
  }
  return byPath;
}

describe('cutting batches (split.ts)', () => {
  it('cuts after the largest prefix of files that fits, filled with the next file’s first lines, the rest never empty', () => {
    const files = [file('b', 'a', 100), file('b', 'b', 100), file('b', 'c', 100)];
    const one = code([files[0]!]);
    const cut = cutToFit(files, (piece) => code(piece) <= 2.5 * one)!;
    // Half a file of room after a and b: c's first lines fill it, its other lines are the rest.
    assert.deepEqual(cut.piece.map((f) => f.path), ['b/a.ts', 'b/b.ts', 'b/c.ts']);
    assert.deepEqual(cut.rest.map((f) => f.path), ['b/c.ts']);
    const [head, tail] = [cut.piece[2]!, cut.rest[0]!];
    assert.ok(code([head]) >= MIN_FILL_LINES_TOKENS && code(cut.piece) <= 2.5 * one, `c's head holds ${code([head])} tokens`);
    assert.equal(head.text + tail.text, files[2]!.text);
    assert.equal(tail.firstLine, 1 + head.text.split('\n').length - 1);
    // Room for fewer than MIN_FILL_LINES_TOKENS of c: whole files only.
    const whole = cutToFit(files, (piece) => code(piece) <= 2 * one + MIN_FILL_LINES_TOKENS / 2)!;
    assert.deepEqual(whole.piece.map((f) => f.path), ['b/a.ts', 'b/b.ts']);
    assert.deepEqual(whole.rest, [files[2]]);
    // Everything fits: the last file still stays in the rest (a cut leaves two pieces).
    assert.equal(cutToFit(files, () => true)!.rest.length, 1);
  });

  it('cuts a single file (or chunk) along its lines, keeping line numbers, hash and every line once', () => {
    const chunk = file('b', 'big', 400, 201);
    const cut = cutToFit([chunk], (piece) => code(piece) <= code([chunk]) * 0.4)!;
    assert.equal(cut.piece.length, 1);
    const [head, tail] = [cut.piece[0]!, cut.rest[0]!];
    assert.ok(code([head]) <= code([chunk]) * 0.4 && code([head]) >= MIN_PIECE_CODE_TOKENS);
    assert.equal(head.firstLine, 201);
    assert.equal(tail.firstLine, 201 + head.text.split('\n').length - 1);
    assert.equal(head.text + tail.text, chunk.text);
    assert.ok(head.hash === chunk.hash && tail.hash === chunk.hash);
    assert.equal(head.bytes + tail.bytes, chunk.bytes);
  });

  it('does not cut when the piece would carry less than MIN_PIECE_CODE_TOKENS of code, or a file is one line', () => {
    const files = [file('b', 'a', 400), file('b', 'b', 400)];
    assert.equal(cutToFit(files, (piece) => code(piece) < MIN_PIECE_CODE_TOKENS), undefined);
    const oneLine: BatchFile = { path: 'b/min.js', text: 'x'.repeat(20_000) + '\n', bytes: 20_001, hash: 'h' };
    assert.equal(cutToFit([oneLine], (piece) => code(piece) < 2_000), undefined);
  });
});

describe('the dispatcher cuts batches it may cut', () => {
  const M: ModelConfig = { id: 'm', tokensPerMinute: 20_000, maxKbPerBatch: 100, maxOutputTokens: 1_000 };

  async function fill(split: boolean) {
    const clock = new VirtualClock();
    const fakes = new FakeModels(clock, 2_000);
    const dispatcher = new Dispatcher({ models: [M], providerFor: fakes.providerFor, clock, random: seeded(), spillover: false, priorTokenRatio: 1, windowGuardMs: 0 });
    // ~9k tokens in flight, then five ~2k-token files: the whole batch does not fit the ~11k left, four do.
    const first = dispatcher.submit(batch('a', 'm', [file('a', 'f', 800)]));
    const b = batch('b', 'm', [1, 2, 3, 4, 5].map((i) => file('b', `f${i}`, 200)));
    const second = dispatcher.submit(b, { split });
    await clock.runAll();
    const results = await Promise.all([first, second]);
    return { fakes, b, result: results[1] };
  }

  it('fills the room left in a window with a piece of the head; the rest runs when it fits', async () => {
    const { fakes, b, result } = await fill(true);
    const calls = fakes.calls.filter((c) => c.batchIds.includes('b'));
    // A piece beside the first batch once its answer gave back the output cap it held (2 s: cutting
    // before would have cut into less room), long before the window expires.
    assert.ok(calls.length >= 2, `${calls.length} calls`);
    assert.equal(calls[0]!.start, 2_000, 'a piece started when the first batch answered, beside it');
    assert.ok(calls.at(-1)!.start >= 60_000, 'the last piece waited for the window');
    assert.equal(result.status, 'ok');
    if (result.status !== 'ok') return;
    assert.equal(result.parts?.length, calls.length);
    const back = reassembled(result);
    assert.deepEqual([...back.keys()], b.files.map((f) => f.path));
    for (const f of b.files) assert.equal(back.get(f.path)!.text, f.text);
    const sum = result.parts.reduce((s, p) => s + p.response.batchUsage.inputTokens, 0);
    assert.equal(result.response.batchUsage.inputTokens, sum, 'the batch is charged every piece');
  });

  it('never cuts a batch whose caller did not allow it (the whole batch waits)', async () => {
    const { fakes, result } = await fill(false);
    const calls = fakes.calls.filter((c) => c.batchIds.includes('b'));
    assert.equal(calls.length, 1);
    assert.ok(calls[0]!.start >= 60_000);
    assert.ok(result.status === 'ok' && result.parts === undefined);
  });

  it('re-packs a batch for an idle model whose KB limit it exceeds, and says so in the spillover event', async () => {
    const clock = new VirtualClock();
    const fakes = new FakeModels(clock, 20_000);
    const big: ModelConfig = { id: 'big', tokensPerMinute: 60_000, maxKbPerBatch: 350, maxOutputTokens: 2_000, minComplexity: 0.7 };
    const tiny: ModelConfig = { id: 'tiny', tokensPerMinute: 60_000, maxKbPerBatch: 12, maxOutputTokens: 2_000 };
    const dispatcher = new Dispatcher({ models: [big, tiny], providerFor: fakes.providerFor, clock, random: seeded(), priorTokenRatio: 1, windowGuardMs: 0 });
    const events: DispatcherEvent[] = [];
    dispatcher.onEvent((e) => events.push(e));
    // tiny has one small batch of its own; big gets ~32 KB batches (too large for tiny), more than a window holds.
    const own = dispatcher.submit(batch('t0', 'tiny', [file('t0', 'f', 50)]), { split: true });
    const batches = Array.from({ length: 10 }, (_, i) => batch(`s${i}`, 'big', [file(`s${i}`, 'f', 800)]));
    const pending = batches.map((b) => dispatcher.submit(b, { split: true }));
    await clock.runAll();
    const results = await Promise.all([own, ...pending]);
    assert.ok(results.every((r) => r.status === 'ok'));
    const repacked = events.filter((e) => e.type === 'spillover' && e.reason.startsWith('spillover, re-packed'));
    assert.ok(repacked.length > 0, 'an idle tiny took a piece of a batch too large for it');
    for (const e of repacked) assert.ok(e.type === 'spillover' && e.from === 'big' && e.to === 'tiny');
    // Every call tiny made fits its KB limit; every cut batch comes back whole.
    for (const c of fakes.calls.filter((x) => x.model === 'tiny')) assert.ok(c.batchIds.length === 1);
    results.slice(1).forEach((r, i) => {
      if (r.status !== 'ok' || !r.parts) return;
      const back = reassembled(r);
      assert.equal(back.get(batches[i]!.files[0]!.path)!.text, batches[i]!.files[0]!.text);
    });
    assert.ok(results.slice(1).some((r) => r.status === 'ok' && r.parts?.some((p) => p.model === 'tiny')));
  });

  it('cancelling a cut batch ends it once, cancelled, with no piece left running', async () => {
    const clock = new VirtualClock();
    const fakes = new FakeModels(clock, 30_000);
    const dispatcher = new Dispatcher({ models: [M], providerFor: fakes.providerFor, clock, random: seeded(), spillover: false, priorTokenRatio: 1, windowGuardMs: 0 });
    void dispatcher.submit(batch('a', 'm', [file('a', 'f', 800)]));
    const ctrl = new AbortController();
    let ends = 0;
    const second = dispatcher.submit(batch('b', 'm', [1, 2, 3, 4, 5].map((i) => file('b', `f${i}`, 200))), { split: true, signal: ctrl.signal }).finally(() => ends++);
    // The first batch answers at 30 s (the room it gives back is cut into), the piece runs 30 s more.
    await clock.advance(31_000);
    assert.equal(fakes.calls.filter((c) => c.batchIds.includes('b')).length, 1, 'a piece is running');
    ctrl.abort();
    await clock.runAll();
    const result = await second;
    assert.equal(result.status, 'cancelled');
    assert.equal(ends, 1);
    assert.ok(dispatcher.snapshot().every((m) => m.inFlight === 0 && m.queued.background === 0));
    await dispatcher.idle();
  });
});
