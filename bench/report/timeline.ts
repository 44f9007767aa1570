/**
 * Diagnostics for issue 15 (where is a window left empty?): runs workloads like `npm run bench` and
 * prints, per model and per emulated interval, what the client reserved in its window, what the
 * service's window held (reserved by running calls, charged by finished ones), calls in flight on
 * both sides and calls queued. Never writes bench/results.
 *
 *   npx tsx bench/report/timeline.ts --workloads small-quota --strategies chorus [--step 5] [--scale 30] [--json /tmp/t.json]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { EmulatorRequestRecord } from '../../src/emulator';
import type { Dispatcher } from '../../src/core/schedule';
import type { ModelQueue } from '../../src/core/schedule/modelQueue';
import { runBenchmark } from '../harness';
import { DEFAULT_CODEBASE } from '../workload/codebase';
import type { StrategyKey, WorkloadKey } from '../workloads';

interface ClientSample {
  t: number;
  model: string;
  windowTokens: number;
  inFlight: number;
  queued: number;
  effectiveTpm: number;
}

export interface TimelineRow extends ClientSample {
  /** The service's 60 s window at t: reserved by calls still running, charged by finished ones. */
  serviceWindow: number;
  serviceReserved: number;
  serviceInFlight: number;
  /** Tokens the service charged to calls that arrived in this interval. */
  chargedHere: number;
}

/** The service's view at `t` of one model's requests (records as the emulator logged them). */
export function serviceAt(records: readonly EmulatorRequestRecord[], t: number, stepMs: number) {
  let window = 0;
  let reserved = 0;
  let inFlight = 0;
  let chargedHere = 0;
  for (const r of records) {
    if (r.time > t || r.outcome === 'throttled') continue;
    const running = r.endTime === undefined || r.endTime > t;
    if (running) inFlight++;
    if (r.time > t - 60_000) {
      window += running ? r.reservedTokens : r.chargedTokens;
      if (running) reserved += r.reservedTokens;
    }
    if (r.time > t - stepMs) chargedHere += r.chargedTokens;
  }
  return { serviceWindow: window, serviceReserved: reserved, serviceInFlight: inFlight, chargedHere };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { workloads: { type: 'string' }, strategies: { type: 'string' }, step: { type: 'string' }, scale: { type: 'string' }, json: { type: 'string' }, limit: { type: 'string' } } });
  const stepMs = Number(values.step ?? 5) * 1000;
  const samples: ClientSample[] = [];
  let origin = 0;
  let stopPrevious = () => {};
  const results = await runBenchmark({
    codebase: DEFAULT_CODEBASE,
    timeScale: Number(values.scale ?? 30),
    saves: 12,
    saveStartMs: 30_000,
    saveEveryMs: 20_000,
    seed: 1,
    scorer: 'real',
    ...(values.limit ? { limit: Number(values.limit) } : {}),
    workloads: (values.workloads ?? 'small-quota').split(',') as WorkloadKey[],
    strategies: (values.strategies ?? 'chorus').split(',') as StrategyKey[],
    log: (line) => process.stderr.write(`timeline: ${line}\n`),
    onDispatcher: (d: Dispatcher) => {
      stopPrevious();
      samples.length = 0;
      // Diagnostics only: the windows are the dispatcher's private state, read here, never changed.
      const queues = (d as unknown as { queues: Map<string, ModelQueue> }).queues;
      const clock = (d as unknown as { clock: { now(): number; sleep(ms: number): Promise<void> } }).clock;
      origin = clock.now();
      let stopped = false;
      stopPrevious = () => (stopped = true);
      const tick = () => {
        for (const q of queues.values()) samples.push({ t: clock.now(), model: q.id, windowTokens: q.window.usage().tokens, inFlight: q.inFlight, queued: q.queued('background') + q.queued('interactive'), effectiveTpm: Math.round(q.quota.value) });
      };
      const loop = async () => {
        while (!stopped) {
          tick();
          await clock.sleep(1000);
          if (samples.length > 0 && [...queues.values()].every((q) => q.inFlight === 0 && q.queued('background') === 0) && clock.now() - origin > 120_000) stopped = true;
        }
      };
      void loop();
    },
    onRecords: (run, records) => print(run.workload, run.strategy, records, samples, stepMs, values.json),
  });
  process.stderr.write(`timeline: ${results.runs.length} run(s) in ${(results.realMs / 1000).toFixed(0)} s\n`);
}

function print(workload: string, strategy: string, records: readonly EmulatorRequestRecord[], samples: readonly ClientSample[], stepMs: number, json: string | undefined): void {
  const models = [...new Set(records.map((r) => r.model))];
  const start = Math.min(...records.map((r) => r.time));
  const end = Math.max(...records.map((r) => r.endTime ?? r.time));
  const rows: TimelineRow[] = [];
  process.stdout.write(`\n== ${workload} / ${strategy}: makespan ${((end - start) / 60_000).toFixed(2)} min\n`);
  for (const model of models) {
    const mine = records.filter((r) => r.model === model);
    const last = Math.max(...mine.map((r) => r.endTime ?? r.time));
    process.stdout.write(`-- ${model}: ${mine.length} requests, ${mine.filter((r) => r.outcome === 'throttled').length} throttled, last answer at ${((last - start) / 1000).toFixed(0)} s\n`);
    process.stdout.write(`   ${summary(mine, start, last)}\n`);
    // Each refusal: what the service's window held just before it arrived, and what the call asked.
    for (const r of mine.filter((x) => x.outcome === 'throttled')) {
      const before = serviceAt(mine.filter((x) => x.seq < r.seq), r.time, 1000);
      const asked = (r.inputTokens ?? 0) + (r.maxTokens ?? 0);
      const client = samples.filter((x) => x.model === model && x.t <= r.time).at(-1);
      process.stdout.write(`   throttled #${r.seq} at ${((r.time - start) / 1000).toFixed(1)} s: service window ${before.serviceWindow} (running ${before.serviceReserved}, ${before.serviceInFlight} in flight) + asked ${asked} (input ${r.inputTokens}, maxTokens ${r.maxTokens}); client window a moment before ${client?.windowTokens ?? '?'}, eff ${client?.effectiveTpm ?? '?'}\n`);
    }
    process.stdout.write('   t(s)  client-window  svc-window  svc-reserved  charged/step  inflight c/s  queued  eff\n');
    const own = samples.filter((s) => s.model === model && s.t >= start - 1000);
    for (const s of own) {
      if (Math.round(s.t - start) % stepMs >= 1000) continue;
      const svc = serviceAt(mine, s.t, stepMs);
      const row = { ...s, ...svc };
      rows.push(row);
      process.stdout.write(`${((s.t - start) / 1000).toFixed(0).padStart(7)}  ${String(s.windowTokens).padStart(13)}  ${String(svc.serviceWindow).padStart(10)}  ${String(svc.serviceReserved).padStart(12)}  ${String(svc.chargedHere).padStart(12)}  ${`${s.inFlight}/${svc.serviceInFlight}`.padStart(12)}  ${String(s.queued).padStart(6)}  ${s.effectiveTpm}\n`);
    }
  }
  if (json) writeFileSync(json, JSON.stringify({ workload, strategy, rows }, null, 1));
}

/** Where a model's quota went: reservations vs charges, output caps vs outputs, the mean window fill. */
function summary(records: readonly EmulatorRequestRecord[], start: number, end: number): string {
  const ok = records.filter((r) => r.outcome !== 'throttled');
  const sum = (f: (r: EmulatorRequestRecord) => number) => ok.reduce((s, r) => s + f(r), 0);
  let fill = 0;
  let n = 0;
  for (let t = start + 60_000; t < end; t += 1000, n++) fill += serviceAt(records, t, 1000).serviceWindow;
  const mean = (x: number) => Math.round(x / Math.max(1, ok.length));
  return `mean per call: reserved ${mean(sum((r) => r.reservedTokens))}, charged ${mean(sum((r) => r.chargedTokens))}, input ${mean(sum((r) => r.inputTokens))}, maxTokens ${mean(sum((r) => r.maxTokens ?? 0))}, output ${mean(sum((r) => r.outputTokens))}, latency ${mean(sum((r) => r.latencyMs ?? 0))} ms; mean service window after the first minute ${Math.round(fill / Math.max(1, n))}`;
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`timeline: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
