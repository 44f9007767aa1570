/**
 * A head grown into the room it leaves (issue 15, joint.ts): at a small quota a head that fits with
 * less room beside it than the batch behind needs is sent with that batch's first lines in one call.
 * Both batches come back whole, each with its own files' findings, and the call is charged once.
 */
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../src/core/clock';
import type { ModelConfig } from '../../../src/core/config/types';
import { estimateRequestTokens } from '../../../src/core/plan/estimate';
import type { Batch, BatchFile } from '../../../src/core/plan/types';
import { Dispatcher, type BatchResult, type DispatcherEvent } from '../../../src/core/schedule';
import { growHead, RELEASE_WAIT_MS } from '../../../src/core/schedule/admission';
import { splitUsage } from '../../../src/core/schedule/joint';
import { ModelQueue, type QueueEntry } from '../../../src/core/schedule/modelQueue';
import { FakeModels, seeded } from './fakes';

const M: ModelConfig = { id: 'm', tokensPerMinute: 9_000, maxKbPerBatch: 100, maxOutputTokens: 400 };

/** A file of `lines` ~40-byte lines under `<batchId>/` (FakeModels reads batch ids from paths). */
function file(batchId: string, name: string, lines: number): BatchFile {
  const text = Array.from({ length: lines }, (_, i) => `const v${i} = ${'x'.repeat(26)}; // ${i}`).join('\n') + '\n';
  return { path: `${batchId}/${name}.ts`, text, bytes: Buffer.byteLength(text, 'utf8'), hash: `${batchId}-${name}` };
}

function batch(id: string, files: BatchFile[]): Batch {
  return { id, files, preferredModel: 'm', lane: 'background', estInputTokens: estimateRequestTokens(files), score: 0.5, reason: 'test' };
}

/** Per path, the lines the result's parts carry, put back together in order. */
function textsOf(result: BatchResult, batch: Batch): Map<string, string> {
  assert.equal(result.status, 'ok', result.status === 'ok' ? '' : result.reason);
  const texts = new Map<string, string>();
  for (const part of result.status === 'ok' ? (result.parts ?? [{ files: batch.files }]) : []) for (const f of part.files) texts.set(f.path, (texts.get(f.path) ?? '') + f.text);
  return texts;
}

/**
 * Six ~3,700-token batches on a 9,000-token quota: two fill a window; when it turns, the head that
 * fits leaves ~1,000 beside it, less than the batch behind needs.
 */
function six(split: boolean, signal?: AbortSignal, latencyMs = 2_000) {
  const clock = new VirtualClock();
  const fakes = new FakeModels(clock, latencyMs);
  const dispatcher = new Dispatcher({ models: [M], providerFor: fakes.providerFor, clock, random: seeded(), spillover: false, priorTokenRatio: 1, windowGuardMs: 0 });
  const batches = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => batch(id, [file(id, 'f1', 120), file(id, 'f2', 120)]));
  const pending = batches.map((b) => dispatcher.submit(b, { split, ...(signal ? { signal } : {}) }));
  return { clock, fakes, dispatcher, batches, pending };
}

describe('a head grown into the room it leaves (joint.ts)', () => {
  it('sends the head with the first lines of the batch behind it, and every batch comes back whole', async () => {
    const { clock, fakes, batches, pending } = six(true);
    await clock.runAll();
    const results = await Promise.all(pending);
    const joint = fakes.calls.find((c) => c.batchIds.length > 1);
    assert.ok(joint, `a call carried two batches: ${JSON.stringify(fakes.calls.map((c) => c.batchIds))}`);
    const [first, second] = joint.batchIds;
    assert.equal(second!.charCodeAt(0), first!.charCodeAt(0) + 1, 'the head and the batch right behind it');
    results.forEach((r, i) => {
      const texts = textsOf(r, batches[i]!);
      for (const f of batches[i]!.files) assert.equal(texts.get(f.path), f.text, `${f.path}: every line once, in order`);
      assert.equal(texts.size, batches[i]!.files.length, 'no file of another batch');
    });
    // The joint call is charged once: the batches' parts add up to what the calls reported.
    const charged = results.reduce((s, r) => s + (r.status === 'ok' ? (r.parts ?? [r]).reduce((t, p) => t + p.response.batchUsage.inputTokens, 0) : 0), 0);
    const reported = fakes.calls.reduce((s, c) => s + (c.inputTokens ?? 0), 0);
    assert.equal(charged, reported);
  });

  it('never joins batches whose callers did not allow cutting', async () => {
    const { clock, fakes, pending } = six(false);
    await clock.runAll();
    await Promise.all(pending);
    assert.ok(fakes.calls.every((c) => c.batchIds.length === 1));
  });

  it('cancelling while the joint call runs ends both batches once, cancelled, with nothing left running', async () => {
    const ctrl = new AbortController();
    const { clock, fakes, dispatcher, pending } = six(true, ctrl.signal, 20_000);
    let ends = 0;
    for (const p of pending) void p.finally(() => ends++);
    const jointRunning = () => fakes.calls.some((c) => c.batchIds.length > 1 && c.end === undefined);
    for (let t = 0; t < 300 && !jointRunning(); t++) await clock.advance(1_000);
    assert.ok(jointRunning(), 'the joint call is in flight');
    ctrl.abort();
    await clock.runAll();
    const results = await Promise.all(pending);
    assert.ok(results.some((r) => r.status === 'cancelled'));
    for (const r of results) assert.ok(r.status === 'ok' || r.status === 'cancelled', r.status);
    assert.equal(ends, 6);
    assert.ok(dispatcher.snapshot().every((m) => m.inFlight === 0 && m.queued.background === 0));
    await dispatcher.idle();
  });
});

describe('growHead', () => {
  const entry = (need: number, grow?: QueueEntry['grow']): QueueEntry => ({ lane: 'background', seq: 0, need: () => need, start: () => {}, ...(grow ? { grow } : {}) });

  it('grows only into room the entry behind could not use, where a window holds few batches', () => {
    let asked = 0;
    const grow: QueueEntry['grow'] = () => {
      asked++;
      return undefined;
    };
    const insert = () => assert.fail('nothing is inserted when the head cannot grow');
    // 3,000 of 9,000 beside a 3,000 head: the next (3,000) fits there by itself.
    assert.equal(growHead([entry(3_000, grow), entry(3_000)], entry(3_000, grow), 3_000, 6_000, 9_000, 0, insert), undefined);
    // 1,000 of room left beside it, which the next cannot use: asked.
    const lane = [entry(3_000, grow), entry(3_000)];
    assert.equal(growHead(lane, lane[0]!, 3_000, 4_000, 9_000, 0, insert), undefined);
    assert.equal(asked, 1);
    // A large quota: a 3,000 head is below FEW_BATCHES_SHARE of 100,000, the window frees within seconds.
    assert.equal(growHead(lane, lane[0]!, 3_000, 4_000, 100_000, 0, insert), undefined);
    // Less than a few lines' worth left.
    assert.equal(growHead(lane, lane[0]!, 3_000, 3_100, 9_000, 0, insert), undefined);
    assert.equal(asked, 1);
  });

  it('puts the joint call in the head’s place and the rest of the entry behind back in', () => {
    const joint = entry(3_900);
    const rest = { ...entry(2_200), seq: 1 };
    const head = entry(3_000, () => ({ joint, rest }));
    const lane = [head, { ...entry(3_000), seq: 1 }, { ...entry(3_000), seq: 2 }];
    const inserted: QueueEntry[] = [];
    assert.equal(growHead(lane, head, 3_000, 4_000, 9_000, 0, (e) => inserted.push(e)), 'grown');
    assert.deepEqual([lane[0], lane.length, inserted], [joint, 2, [rest]]);
  });
});

describe('splitUsage', () => {
  it('shares every count by the head’s share, the two adding up to the whole', () => {
    const [head, piece] = splitUsage({ usage: { inputTokens: 1_001, outputTokens: 7, cacheReadInputTokens: 3 }, batchUsage: { inputTokens: 2_001, outputTokens: 9 } }, 0.7);
    assert.deepEqual(head.usage, { inputTokens: 701, outputTokens: 5, cacheReadInputTokens: 2 });
    assert.deepEqual(piece.usage, { inputTokens: 300, outputTokens: 2, cacheReadInputTokens: 1 });
    assert.equal(head.batchUsage.inputTokens + piece.batchUsage.inputTokens, 2_001);
    assert.equal(head.batchUsage.outputTokens + piece.batchUsage.outputTokens, 9);
  });
});

describe('a head that fits waits for the answers in flight before it grows', () => {
  const MODEL: ModelConfig = { id: 'm', tokensPerMinute: 9_000, maxKbPerBatch: 100, maxOutputTokens: 4_096 };

  /**
   * X (5,000) leaves the window at 60 s; A (3,000, of which a 1,000 output cap) started at 59.5 s and
   * answers `latency` ms later; head B (3,500) waits for X, then fits; C (4,000) behind it does not.
   */
  async function held(latency: number) {
    const clock = new VirtualClock();
    const queue = new ModelQueue(MODEL, { clock, random: seeded(1) });
    const grows: { at: number; room: number }[] = [];
    const plain = (seq: number, need: number, charge: number, ms: number, extra: Partial<QueueEntry> = {}): QueueEntry => ({
      lane: 'background', seq, need: () => need, start: (r) => void clock.sleep(ms).then(() => queue.finish(r, charge)), ...extra,
    });
    queue.enqueue(plain(0, 5_000, 5_000, 1_000));
    await clock.advance(59_500);
    queue.enqueue(plain(1, 3_000, 2_000, latency, { outputPart: () => 1_000 }));
    const grow: QueueEntry['grow'] = (room) => {
      grows.push({ at: clock.now(), room });
      return undefined;
    };
    queue.enqueue(plain(2, 3_500, 3_500, 1_000, { grow }));
    queue.enqueue(plain(3, 4_000, 4_000, 1_000));
    return { clock, grows };
  }

  it('grows into the output cap an answer gave back, not into the room before it', async () => {
    const { clock, grows } = await held(1_000);
    await clock.advance(2_000);
    assert.deepEqual(grows, [{ at: 60_500, room: 7_000 }], 'A answered at 60.5 s and settled to 2,000: 7,000 of room, not 6,000');
  });

  it('waits at most RELEASE_WAIT_MS for an answer that does not come', async () => {
    const { clock, grows } = await held(30_000);
    await clock.advance(500 + RELEASE_WAIT_MS + 1);
    assert.deepEqual(grows, [{ at: 60_000 + RELEASE_WAIT_MS, room: 6_000 }]);
  });
});

describe('a head with nothing behind it grows with work queued on another model', () => {
  it('takes the first lines of the batch that would run last elsewhere, which comes back whole', async () => {
    const clock = new VirtualClock();
    const fakes = new FakeModels(clock, 2_000);
    const other: ModelConfig = { ...M, id: 'o' };
    const dispatcher = new Dispatcher({ models: [M, other], providerFor: fakes.providerFor, clock, random: seeded(), priorTokenRatio: 1, windowGuardMs: 0 });
    // m's own batches are half the size the planner packs for it (~4,000 reserved): the last leaves room
    // that only lines from o's backlog can fill.
    const mine = ['a', 'b', 'c'].map((id) => batch(id, [file(id, 'f1', 60), file(id, 'f2', 60)]));
    const theirs = ['p', 'q', 'r', 's', 't', 'u', 'v', 'w'].map((id) => ({ ...batch(id, [file(id, 'f1', 120), file(id, 'f2', 120)]), preferredModel: 'o' }));
    const events: DispatcherEvent[] = [];
    dispatcher.onEvent((e) => events.push(e));
    const pending = [...mine, ...theirs].map((b) => dispatcher.submit(b, { split: true }));
    await clock.runAll();
    const results = await Promise.all(pending);
    const joins = events.filter((e) => e.type === 'spillover' && e.reason.startsWith('spillover, joined'));
    assert.ok(joins.some((e) => e.type === 'spillover' && e.from === 'o' && e.to === 'm' && 'pqrstuvw'.includes(e.batchId)), 'a piece of o’s work moved to m to be sent with m’s head');
    const joined = fakes.calls.filter((c) => c.model === 'm' && c.batchIds.length > 1 && c.batchIds.some((id) => 'pqrstuvw'.includes(id)));
    assert.ok(joined.length > 0, 'in one call with a batch of m’s');
    results.forEach((r, i) => {
      const b = [...mine, ...theirs][i]!;
      const texts = textsOf(r, b);
      for (const f of b.files) assert.equal(texts.get(f.path), f.text, `${f.path}: every line once, in order`);
    });
  });
});
