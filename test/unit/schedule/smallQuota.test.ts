/**
 * Small quotas (issue 15): what kept a few-thousand-tokens-a-minute window from filling — the output
 * cap's first-guess floor held after short answers were seen, and room beside a window's batches
 * left empty a whole minute because it held less than FILL_CUT_SHARE of the head.
 */
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../src/core/clock';
import type { ModelConfig } from '../../../src/core/config/types';
import { DEFAULT_CUT_COST, FEW_BATCHES_SHARE, IDLE_CUT_SHARE, ModelQueue, type QueueEntry } from '../../../src/core/schedule/modelQueue';
import { FIRST_CALL_OUTPUT_RATIO, LEARNED_BASE_TOKENS, OutputCapLearner } from '../../../src/core/schedule/outputCap';
import { MIN_OUTPUT_TOKENS, OUTPUT_BASE_TOKENS } from '../../../src/core/schedule/limits';
import { MAX_SPREAD, TokenCalibration, WINDOW } from '../../../src/core/schedule/calibration';
import { seeded } from './fakes';

const MODEL: ModelConfig = { id: 'm', tokensPerMinute: 9_000, maxKbPerBatch: 100, maxOutputTokens: 4_096 };

describe('output caps after short answers', () => {
  it('follow what the model wrote, below the first guess’s floor, and grow again after a truncation', () => {
    const learner = new OutputCapLearner(MODEL);
    assert.equal(learner.capFor(1_000), 1_000 * FIRST_CALL_OUTPUT_RATIO + OUTPUT_BASE_TOKENS, 'the first guess is generous (a truncated first call waits a window)');
    for (let i = 0; i < 5; i++) learner.observe(2_400, 30 + i, false);
    const cap = learner.capFor(2_400);
    assert.ok(cap < MIN_OUTPUT_TOKENS, `cap ${cap} should be below ${MIN_OUTPUT_TOKENS} after 34-token answers`);
    assert.ok(cap >= Math.ceil(34 * 1.25) + LEARNED_BASE_TOKENS, `cap ${cap} keeps headroom over the longest answer`);
    learner.observe(2_400, cap, true);
    assert.ok(learner.capFor(2_400) >= 2 * cap, 'a truncated answer counts double');
  });

  it('cover the longest recent answer even for a smaller input (answers do not only scale with input)', () => {
    const learner = new OutputCapLearner(MODEL);
    learner.observe(4_000, 400, false);
    assert.ok(learner.capFor(500) >= 400 * 1.25, `cap ${learner.capFor(500)} for a small input after a 400-token answer`);
  });
});

/** Entries of `need` tokens charged `charge` of it after `latency` ms; the queue may cut them in two. */
function entries(queue: ModelQueue, clock: VirtualClock, count: number, need: number, started: { at: number; need: number }[], charge = 0.9): QueueEntry[] {
  const make = (seq: number, n: number): QueueEntry => ({
    lane: 'background',
    seq,
    need: () => n,
    start(r) {
      started.push({ at: clock.now(), need: n });
      void clock.sleep(1_000).then(() => queue.finish(r, Math.round(n * charge)));
    },
    // The first piece reserves `room`, the rest what is left plus a call's fixed part again.
    split: (room) => (room >= 1_000 ? [make(seq, room), make(seq, n - room + 600)] : undefined),
  });
  return Array.from({ length: count }, (_, i) => make(i, need));
}

describe('filling the room beside a small quota’s batches', () => {
  it('cuts the head into room that would stay empty a whole window, even below FILL_CUT_SHARE of it', async () => {
    const clock = new VirtualClock();
    const queue = new ModelQueue(MODEL, { clock, random: seeded(1) });
    const started: { at: number; need: number }[] = [];
    for (const e of entries(queue, clock, 4, 4_000, started)) queue.enqueue(e);
    await clock.advance(5_000);
    // Two batches (8,000 reserved) leave 1,000: a quarter of the next head, empty until the first expires at 60 s.
    assert.deepEqual(started.map((s) => s.need), [4_000, 4_000, 1_000]);
    assert.equal(started[2]!.at, 0, 'the piece went into the room at once');
  });

  it('does not cut when the window frees room soon (room × wait below what the cut costs)', async () => {
    const clock = new VirtualClock();
    const queue = new ModelQueue(MODEL, { clock, random: seeded(1) });
    const started: { at: number; need: number }[] = [];
    const [first, ...rest] = entries(queue, clock, 4, 4_000, started);
    queue.enqueue(first!);
    // The first batch is 55 s old when the others arrive: it leaves the window in ~5 s.
    await clock.advance(55_000);
    for (const e of rest) queue.enqueue(e);
    await clock.advance(1_500);
    // 1,000 tokens of room for ~5 s is worth less than a piece's fixed tokens for a window.
    assert.ok(1_000 * 6_000 < DEFAULT_CUT_COST * 60_000 * IDLE_CUT_SHARE);
    assert.deepEqual(started.map((s) => s.need), [4_000, 4_000], 'the head waits for the whole room');
    await clock.advance(10_000);
    assert.deepEqual(started.slice(0, 3).map((s) => s.need), [4_000, 4_000, 4_000]);
    assert.equal(started[2]!.at, 60_000, 'the whole head started as the first batch left the window');
  });
});

describe('no idle cut where a window holds many batches', () => {
  it('leaves a sliver beside ten-odd batches of a large quota empty (the head is below FEW_BATCHES_SHARE of it)', async () => {
    const clock = new VirtualClock();
    const queue = new ModelQueue({ ...MODEL, tokensPerMinute: 100_000 }, { clock, random: seeded(1) });
    const started: { at: number; need: number }[] = [];
    for (const e of entries(queue, clock, 12, 12_000, started, 1)) queue.enqueue(e);
    await clock.advance(5_000);
    assert.ok(12_000 < 100_000 * FEW_BATCHES_SHARE);
    // Eight batches hold 96,000: 4,000 left (a third of the head), empty until 60 s, and no piece is cut into it.
    assert.deepEqual(started.map((s) => s.need), Array<number>(8).fill(12_000));
  });
});

describe('a throttle at a level the service accepted before', () => {
  /** Calls of `tokens` each, sent and answered at once (charged what they reserved). */
  function accepted(queue: ModelQueue, clock: VirtualClock, count: number, tokens: number): void {
    for (let i = 0; i < count; i++) {
      const r = queue.window.reserve(tokens);
      queue.window.restamp(r, clock.now());
      queue.window.settle(r, tokens);
    }
  }

  it('cuts the learned quota no lower than that level, though most of the window is still unproven', async () => {
    const clock = new VirtualClock();
    const queue = new ModelQueue({ ...MODEL, tokensPerMinute: 15_000 }, { clock, random: seeded(1), quotaProbeMs: 1_000 });
    accepted(queue, clock, 4, 3_500);
    assert.equal(queue.window.provenLevel, 14_000);
    await clock.advance(61_000);
    // A new window: two calls on their way (unproven), and the next refused at the timing edge.
    for (let i = 0; i < 2; i++) queue.window.restamp(queue.window.reserve(3_500), clock.now());
    const refused = queue.window.reserve(3_500);
    queue.window.restamp(refused, clock.now());
    await clock.advance(100);
    assert.equal(queue.window.acceptedTokens(), 0, 'nothing of this window is proven yet');
    queue.window.settle(refused, 0);
    queue.noteThrottle(refused);
    assert.equal(queue.quota.value, 14_000, 'cut to what the service held before, not halved');
  });

  it('still lands on a lower real quota: a probe above the proven level refused cuts to what is held', async () => {
    const clock = new VirtualClock();
    const queue = new ModelQueue({ ...MODEL, tokensPerMinute: 15_000 }, { clock, random: seeded(1), quotaProbeMs: 1_000 });
    accepted(queue, clock, 2, 3_500);
    const probe = queue.window.reserve(3_500);
    queue.window.restamp(probe, clock.now());
    await clock.advance(100);
    queue.window.settle(probe, 0);
    queue.noteThrottle(probe);
    assert.equal(queue.quota.value, 7_500, 'the quota held 7,000 and refused 10,500: at most half in one overload');
  });
});

describe('reservations cover how a model’s counts spread', () => {
  it('reserve up to the largest recent ratio (capped), not the median, once a model has answered enough', () => {
    const c = new TokenCalibration();
    // Counts spread 1.0–1.2× the estimate: the median is 1.1, one call in ten counts ~1.2.
    for (let i = 0; i < WINDOW; i++) c.observe(1_000, 1_000 + Math.round((200 * i) / (WINDOW - 1)));
    assert.ok(Math.abs(c.ratio - 1.1) < 0.01);
    const reserved = c.apply(1_000);
    assert.ok(reserved >= 1_200 && reserved <= Math.ceil(1_100 * MAX_SPREAD), `reserved ${reserved}`);
    const steady = new TokenCalibration();
    for (let i = 0; i < WINDOW; i++) steady.observe(1_000, 1_250);
    assert.equal(steady.apply(1_000), 1_250, 'counts that agree reserve exactly their ratio');
  });
});
