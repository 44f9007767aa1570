/**
 * The scheduler end to end: planned batches, the Dispatcher, the real AWS SDK provider over HTTP/1.1,
 * and the emulator with faults. Every batch must be accounted for, and the emulator's ledger must
 * agree with the dispatcher's metrics. Time runs at 20× (an emulated minute in three real seconds;
 * CHORUS_TEST_TIMESCALE overrides), the dispatcher and the emulator sharing one clock. Real-time
 * delays (signing, a busy machine) are multiplied by the scale, so a higher one makes the emulated
 * quota look tighter than it is.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { defaultConfig } from '../../../src/core/config';
import type { ChorusConfig } from '../../../src/core/config/types';
import { planBatches, type Batch } from '../../../src/core/plan';
import { createBedrockProviders } from '../../../src/core/providers';
import { Dispatcher, type BatchResult, type DispatcherEvent } from '../../../src/core/schedule';
import type { Group, SourceFile } from '../../../src/core/types';
import { startEmulator, type EmulatorConfig, type RunningEmulator } from '../../../src/emulator';

const NOVA = 'us.amazon.nova-pro-v1:0';
const LLAMA = 'us.meta.llama3-3-70b-instruct-v1:0';
const TIME_SCALE = Number(process.env.CHORUS_TEST_TIMESCALE ?? 20);
const CREDENTIALS = { accessKeyId: 'AKIDSCHEDULERTEST', secretAccessKey: 'scheduler-test-secret' };

/** `count` groups of 1–3 files, 2–10 KB each, with code the emulator's rules find things in. */
function workload(count: number): { groups: Group[]; files: Map<string, SourceFile> } {
  const files = new Map<string, SourceFile>();
  const groups: Group[] = [];
  for (let g = 0; g < count; g++) {
    const paths: string[] = [];
    for (let f = 0; f < 1 + (g % 3); f++) {
      const path = `src/g${g}/file${f}.ts`;
      const lines = Array.from({ length: 40 + ((g * 7 + f * 13) % 200) }, (_, i) =>
        i % 60 === 7 ? `  eval(input${i});` : i % 71 === 3 ? '  try { run(); } catch (e) {}' : `  const v${i} = compute(${i}, "${'x'.repeat(i % 30)}");`,
      );
      const text = `export function f${g}_${f}() {\n${lines.join('\n')}\n}\n`;
      files.set(path, { path, text, bytes: Buffer.byteLength(text), hash: createHash('sha256').update(text).digest('hex'), redactions: 0 });
      paths.push(path);
    }
    const totalSize = paths.reduce((s, p) => s + files.get(p)!.bytes, 0);
    const score = (g * 37) % 100 / 100;
    groups.push({ files: paths, totalSize, complexity: score, score });
  }
  return { groups, files };
}

interface Run {
  emulator: RunningEmulator;
  dispatcher: Dispatcher;
  batches: Batch[];
  results: BatchResult[];
  events: DispatcherEvent[];
}

async function run(emulatorConfig: EmulatorConfig, options: { groups?: number; requestTimeoutMs?: number; config?: ChorusConfig } = {}): Promise<Run> {
  const emulator = await startEmulator({ config: emulatorConfig, timeScale: TIME_SCALE });
  const config = options.config ?? defaultConfig();
  const { groups, files } = workload(options.groups ?? 30);
  const { batches, skipped } = planBatches(groups, files, config, { lane: 'background', maxInputTokens: 6_000 });
  assert.deepEqual(skipped, []);
  const providerFor = createBedrockProviders({ region: 'us-east-1', endpoint: emulator.url, clock: emulator.clock, requestTimeoutMs: options.requestTimeoutMs ?? 120_000, credentials: CREDENTIALS });
  let seed = 7;
  const dispatcher = new Dispatcher({
    models: config.models, providerFor, clock: emulator.clock, requestTimeoutMs: options.requestTimeoutMs ?? 120_000,
    random: () => ((seed = (seed * 16807) % 2147483647) / 2147483647),
  });
  const events: DispatcherEvent[] = [];
  dispatcher.onEvent((e) => events.push(e));
  const results = await Promise.all(batches.map((b) => dispatcher.submit(b)));
  await dispatcher.idle();
  return { emulator, dispatcher, batches, results, events };
}

/** Every batch has exactly one result, and the emulator saw what the dispatcher says it sent. */
function assertAccounted(r: Run): void {
  assert.deepEqual(r.results.map((x) => x.batchId).sort(), r.batches.map((b) => b.id).sort());
  for (const x of r.results) assert.ok(x.status === 'ok' || ('reason' in x && x.reason.length > 0), `batch ${x.batchId} ${x.status} without a reason`);
  const stats = r.emulator.stats();
  const records = r.emulator.requests();
  for (const m of r.dispatcher.snapshot()) {
    const own = records.filter((rec) => rec.model === m.id);
    assert.equal(stats.models[m.id]?.received ?? 0, m.requests, `${m.id}: requests`);
    const ok = own.filter((rec) => rec.outcome === 'ok');
    // A call we gave up on (timeout) may still have been answered: exact agreement needs none.
    const gaveUp = r.dispatcher.recentBatches().some((b) => b.model === m.id && b.reason.includes('TimeoutError'));
    const throttled = own.filter((rec) => rec.outcome === 'throttled').length;
    if (gaveUp) assert.ok(throttled >= m.throttles, `${m.id}: throttles`);
    else assert.equal(throttled, m.throttles, `${m.id}: throttles`);
    const okInput = ok.reduce((s, rec) => s + rec.inputTokens, 0);
    const okOutput = ok.reduce((s, rec) => s + rec.outputTokens, 0);
    if (gaveUp) {
      assert.ok(okInput >= m.inputTokens && okOutput >= m.outputTokens, `${m.id}: tokens`);
    } else {
      assert.equal(okInput, m.inputTokens, `${m.id}: input tokens`);
      assert.equal(okOutput, m.outputTokens, `${m.id}: output tokens`);
    }
    assert.equal(m.inFlight, 0);
  }
}

describe('scheduler against the emulator (real SDK provider)', function () {
  this.timeout(120_000);
  let current: Run | undefined;
  afterEach(async () => {
    current?.dispatcher.dispose();
    await current?.emulator.close();
    current = undefined;
  });

  it('a burst uses both models at their quotas, with the estimate matching what the emulator charges and almost no throttles', async () => {
    // tokenRatio 1: this checks that the planner and the emulator count the same parts of a request;
    // a service that counts its own way (the default) is the calibration tests' subject.
    current = await run({ models: [{ id: NOVA, tokensPerMinute: 100_000, tokenRatio: 1 }, { id: LLAMA, tokensPerMinute: 60_000, tokenRatio: 1 }] }, { groups: 40 });
    assertAccounted(current);
    assert.ok(current.results.every((x) => x.status === 'ok'), current.results.filter((x) => x.status !== 'ok').map((x) => x.reasons.join('; ')).join('\n'));
    const records = current.emulator.requests();
    const byId = new Map(current.batches.map((b) => [b.files.map((f) => f.path).join(','), b]));
    for (const rec of records.filter((x) => x.outcome === 'ok')) {
      const batch = byId.get(rec.files.join(','));
      assert.ok(batch, 'every request carries one planned batch');
      assert.equal(rec.inputTokens, batch.estInputTokens, 'the planner estimates exactly what the emulator charges');
    }
    const throttles = records.filter((x) => x.outcome === 'throttled').length;
    assert.ok(throttles <= Math.ceil(records.length * 0.1), `${throttles} throttles in ${records.length} requests`);
    const used = new Set(records.map((x) => x.model));
    assert.deepEqual([...used].sort(), [NOVA, LLAMA].sort());
  });

  it('throttle storm on one model: batches move to the other, none is lost', async () => {
    current = await run({ models: [{ id: NOVA, tokensPerMinute: 100_000 }, { id: LLAMA, tokensPerMinute: 60_000 }], faults: [{ model: NOVA, kind: 'throttle', until: 120 }] });
    assertAccounted(current);
    assert.ok(current.results.every((x) => x.status === 'ok'));
    const nova = current.dispatcher.snapshot().find((m) => m.id === NOVA)!;
    assert.ok(nova.throttles > 0 && nova.fallbacksOut > 0, `throttles ${nova.throttles}, fallbacks ${nova.fallbacksOut}`);
    assert.ok(current.events.some((e) => e.type === 'fallback' && e.from === NOVA && e.to === LLAMA));
  });

  it('AccessDenied on one model: it leaves the run with one message, the other takes everything', async () => {
    current = await run({ models: [{ id: NOVA, tokensPerMinute: 100_000 }, { id: LLAMA, tokensPerMinute: 60_000, access: 'denied' }] });
    assertAccounted(current);
    assert.ok(current.results.every((x) => x.status === 'ok' && x.model === NOVA));
    const disabled = current.events.filter((e) => e.type === 'model-disabled');
    assert.equal(disabled.length, 1);
    assert.match(disabled[0]!.type === 'model-disabled' ? disabled[0]!.reason : '', /AccessDeniedException/);
  });

  it('503s and connection resets: retried with backoff or moved; every batch ends ok or with its reason', async () => {
    current = await run({
      models: [{ id: NOVA, tokensPerMinute: 100_000 }, { id: LLAMA, tokensPerMinute: 60_000 }],
      faults: [{ kind: 'ServiceUnavailableException', rate: 0.25 }, { kind: 'reset', rate: 0.15 }],
    });
    assertAccounted(current);
    const records = current.emulator.requests();
    assert.ok(records.some((x) => x.outcome === 'ServiceUnavailableException') && records.some((x) => x.outcome === 'reset'));
    const ok = current.results.filter((x) => x.status === 'ok').length;
    assert.ok(ok >= current.results.length - 1, `${ok} of ${current.results.length} ok`);
    assert.ok(current.results.some((x) => x.attempts > 1));
  });

  it('hung requests: the timeout fires, the call is retried, and the emulator sees the client leave', async () => {
    current = await run(
      { models: [{ id: NOVA, tokensPerMinute: 100_000 }, { id: LLAMA, tokensPerMinute: 60_000 }], faults: [{ kind: 'hang', rate: 0.2 }] },
      { requestTimeoutMs: 40_000, groups: 20 },
    );
    assertAccounted(current);
    const hung = current.emulator.requests().filter((x) => x.fault === 'hang');
    assert.ok(hung.length > 0);
    assert.ok(hung.every((x) => x.endTime !== undefined), 'every hung request ended when the client gave up');
    assert.ok(current.results.filter((x) => x.status === 'ok').length >= current.results.length - 1);
    assert.ok(current.results.some((x) => x.reasons.some((r) => r.includes('TimeoutError'))));
  });
});
