/**
 * Properties of the dispatcher over random workloads on virtual time (fast-check): quota windows
 * are never overrun, every batch ends exactly once, no batch runs twice at once, and interactive work
 * never waits behind background work that arrived later.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { VirtualClock } from '../../../src/core/clock';
import type { ModelConfig } from '../../../src/core/config/types';
import { estimatePromptTokens } from '../../../src/core/plan/estimate';
import { ProviderError, type ModelProvider } from '../../../src/core/providers/provider';
import { Dispatcher, type BatchResult } from '../../../src/core/schedule';
import type { Lane } from '../../../src/core/types';
import { makeBatch, seeded } from './fakes';

interface Call {
  model: string;
  batch: string;
  /** The request's prompt: the pieces of a cut batch have their own. */
  prompt: string;
  start: number;
  end?: number;
  reserved: number;
  charged?: number;
}

const MODELS: ModelConfig[] = [
  { id: 'strong', tokensPerMinute: 60_000, maxKbPerBatch: 120, maxOutputTokens: 4_000, minComplexity: 0.7 },
  { id: 'light', tokensPerMinute: 30_000, maxKbPerBatch: 60, maxOutputTokens: 2_000 },
];

const workItem = fc.record({
  kb: fc.integer({ min: 1, max: 40 }),
  files: fc.integer({ min: 1, max: 4 }),
  lane: fc.constantFrom<Lane>('interactive', 'background'),
  model: fc.constantFrom('strong', 'light'),
  arrival: fc.integer({ min: 0, max: 90_000 }),
  cancelAfter: fc.option(fc.integer({ min: 0, max: 60_000 }), { freq: 6 }),
});

const scenario = fc.record({
  work: fc.array(workItem, { minLength: 1, maxLength: 25 }),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  throttleRate: fc.constantFrom(0, 0, 0.1, 0.3),
  transientRate: fc.constantFrom(0, 0.1),
  spillover: fc.boolean(),
  // Whether batches may be cut (submit's split): pieces fill windows and fit idle models.
  split: fc.boolean(),
  models: fc.constantFrom(MODELS, [MODELS[0]!]),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

async function simulate(s: Scenario) {
  const clock = new VirtualClock();
  const random = seeded(s.seed);
  const calls: Call[] = [];
  const providerFor = (model: string): ModelProvider => ({
    async converse(request, signal) {
      const input = estimatePromptTokens(request.system, request.prompt);
      const call: Call = { model, batch: /path="([^/"]+)\//.exec(request.prompt)![1]!, prompt: request.prompt, start: clock.now(), reserved: input + request.maxTokens };
      calls.push(call);
      try {
        const latencyMs = 500 + random() * 20_000;
        await clock.sleep(latencyMs, signal);
        const roll = random();
        if (roll < s.throttleRate) throw new ProviderError('throttled', 'ThrottlingException', 'Too many tokens');
        if (roll < s.throttleRate + s.transientRate) throw new ProviderError('transient', 'ServiceUnavailableException', 'busy');
        const output = Math.floor(random() * request.maxTokens);
        call.charged = input + output;
        return { toolInput: { findings: [] }, usage: { inputTokens: input, outputTokens: output }, stopReason: 'tool_use', latencyMs };
      } finally {
        call.charged ??= 0;
        call.end = clock.now();
      }
    },
  });
  const models = s.models.map((m) => ({ ...m }));
  const dispatcher = new Dispatcher({ models, providerFor, clock, random, spillover: s.spillover, windowGuardMs: 0 });
  const modelIds = new Set(models.map((m) => m.id));
  const submitted = s.work.map((w, i) => {
    const model = modelIds.has(w.model) ? w.model : models[0]!.id;
    const batch = makeBatch(`b${i}`, model, { kb: Math.min(w.kb, model === 'light' ? 20 : 40), lane: w.lane, files: w.files });
    const result = clock.sleep(w.arrival).then(() => {
      const ctrl = new AbortController();
      if (w.cancelAfter !== null) void clock.sleep(w.cancelAfter).then(() => ctrl.abort());
      return { at: clock.now(), result: dispatcher.submit(batch, { signal: ctrl.signal, split: s.split }) };
    });
    return { w, batch, result };
  });
  let settled = 0;
  const results = submitted.map((x) => x.result.then(async ({ at, result }) => ({ at, result: await result.finally(() => settled++) })));
  await clock.runAll(24 * 3_600_000);
  await dispatcher.idle();
  const done: { at: number; result: BatchResult }[] = await Promise.all(results);
  return { calls, done, submitted, settled, models, dispatcher };
}

/** Modest by default so the suite stays fast; CHORUS_FC_RUNS raises it (and skips shrinking). */
const RUNS: fc.Parameters<unknown> = process.env.CHORUS_FC_RUNS ? { numRuns: Number(process.env.CHORUS_FC_RUNS), endOnFailure: true } : { numRuns: 40 };

describe('dispatcher properties', function () {
  this.timeout(120_000);

  it('never reserves more than a model’s quota in any 60 s window (as the service counts it)', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const { calls, models } = await simulate(s);
        for (const model of models) {
          const own = calls.filter((c) => c.model === model.id);
          for (const c of own) {
            // What the service sees when c arrives: reservations of running calls, charges of finished ones.
            const used = own
              .filter((o) => o.start > c.start - 60_000 && o.start <= c.start)
              .reduce((sum, o) => sum + (o.end !== undefined && o.end <= c.start && o !== c ? o.charged! : o.reserved), 0);
            assert.ok(used <= model.tokensPerMinute, `${model.id} at ${c.start}: ${used} > ${model.tokensPerMinute}`);
          }
        }
      }),
      RUNS,
    );
  });

  it('ends every batch exactly once, and never runs one batch twice at once', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const { calls, done, settled, dispatcher, submitted } = await simulate(s);
        assert.equal(settled, s.work.length);
        // A cut batch's parts are its files, each once, in order.
        done.forEach((d, i) => {
          if (d.result.status === 'ok' && d.result.parts) assert.deepEqual(d.result.parts.flatMap((p) => p.files.map((f) => f.path)), submitted[i]!.batch.files.map((f) => f.path));
        });
        assert.deepEqual(done.map((d) => d.result.batchId), s.work.map((_, i) => `b${i}`));
        for (const d of done) {
          assert.ok(['ok', 'failed', 'skipped', 'cancelled'].includes(d.result.status));
          if (d.result.status === 'failed') assert.ok(d.result.reason.length > 0);
        }
        const byBatch = new Map<string, Call[]>();
        // By request: the pieces of a cut batch may run at once, one request never twice at once.
        for (const c of calls) byBatch.set(c.prompt, [...(byBatch.get(c.prompt) ?? []), c]);
        for (const own of byBatch.values()) {
          const sorted = own.sort((a, b) => a.start - b.start);
          for (let i = 1; i < sorted.length; i++) assert.ok(sorted[i]!.start >= sorted[i - 1]!.end!, `${sorted[i]!.batch} ran twice at once`);
        }
        assert.ok(dispatcher.snapshot().every((m) => m.inFlight === 0 && m.queued.background === 0 && m.queued.interactive === 0));
      }),
      RUNS,
    );
  });

  it('never starts background work that arrived later before waiting interactive work (one model)', async () => {
    await fc.assert(
      fc.asyncProperty(scenario.map((s) => ({ ...s, models: [MODELS[0]!], spillover: false, work: s.work.map((w) => ({ ...w, cancelAfter: null })) })), async (s) => {
        const { calls, done } = await simulate(s);
        const firstStart = new Map<string, number>();
        for (const c of calls) if (!firstStart.has(c.batch)) firstStart.set(c.batch, c.start);
        s.work.forEach((wi, i) => {
          if (wi.lane !== 'interactive') return;
          s.work.forEach((wb, j) => {
            if (wb.lane !== 'background' || done[j]!.at <= done[i]!.at) return;
            const si = firstStart.get(`b${i}`);
            const sb = firstStart.get(`b${j}`);
            if (si !== undefined && sb !== undefined) assert.ok(si <= sb, `interactive b${i} started at ${si}, after background b${j} (arrived later) at ${sb}`);
          });
        });
      }),
      RUNS,
    );
  });
});
