/**
 * Runs inside the extension host (bundled by the e2e harness, not an e2e suite): Analyze Workspace
 * over the generated workspace with perf_hooks.monitorEventLoopDelay on, sampled per second with
 * the phase the run was in (engine events), twice — cold (the engine, the SDK and the parsers load
 * on first use) and warm (the cache cleared, everything loaded) — written as JSON to CHORUS_BENCH_OUT.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';

const EXTENSION_ID = 'chorus-dev.bedrock-chorus';
/** The sampling timer's interval: each recorded value is this plus the delay, which is what is reported. */
const RESOLUTION_MS = 10;

interface BenchApi {
  onEngineEvent(listener: (event: { type: string; outcome?: { status: string; reason?: string; findings: unknown[] } }) => void): () => void;
}

type Phase = 'prepare' | 'dispatch' | 'publish';

const delay = (ns: number) => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 10) / 10);

async function measure(api: BenchApi) {
  let phase: Phase = 'prepare';
  let batchesOpen = 0;
  let batchesStarted = 0;
  const statuses: Record<string, number> = {};
  let withFindings = 0;
  /** Why files were not analyzed (first few distinct reasons): a benchmark of failures measures nothing. */
  const reasons = new Set<string>();
  const unsubscribe = api.onEngineEvent((e) => {
    if (e.type === 'batch-started') {
      batchesStarted++;
      batchesOpen++;
      phase = 'dispatch';
    } else if (e.type === 'batch-finished') {
      batchesOpen--;
      if (batchesOpen === 0) phase = 'publish';
    } else if (e.type === 'file-done' && e.outcome) {
      statuses[e.outcome.status] = (statuses[e.outcome.status] ?? 0) + 1;
      if (e.outcome.findings.length > 0) withFindings++;
      if (e.outcome.status !== 'analyzed' && e.outcome.reason && reasons.size < 3) reasons.add(e.outcome.reason.slice(0, 300));
    }
  });
  const whole = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  const window = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  const samples: { t: number; phase: Phase; p99: number; max: number }[] = [];
  const started = Date.now();
  const sampler = setInterval(() => {
    samples.push({ t: Date.now() - started, phase, p99: delay(window.percentile(99)), max: delay(window.max) });
    window.reset();
  }, 1000);
  whole.enable();
  window.enable();
  await vscode.commands.executeCommand('chorus.analyzeWorkspace');
  const elapsedMs = Date.now() - started;
  whole.disable();
  window.disable();
  clearInterval(sampler);
  unsubscribe();
  const byPhase: Record<string, { seconds: number; worstP99: number; max: number }> = {};
  for (const s of samples) {
    const p = (byPhase[s.phase] ??= { seconds: 0, worstP99: 0, max: 0 });
    p.seconds++;
    p.worstP99 = Math.max(p.worstP99, s.p99);
    p.max = Math.max(p.max, s.max);
  }
  const files = Object.values(statuses).reduce((a, b) => a + b, 0);
  return {
    files, statuses, reasons: [...reasons], filesWithFindings: withFindings, elapsedMs, batches: batchesStarted,
    eventLoopDelayMs: { p50: delay(whole.percentile(50)), p90: delay(whole.percentile(90)), p99: delay(whole.percentile(99)), max: delay(whole.max), mean: delay(whole.mean) },
    byPhase, samples,
  };
}

describe('host event loop during Analyze Workspace', function () {
  this.timeout(30 * 60_000);

  it('measures', async () => {
    const api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as BenchApi;
    const cold = await measure(api);
    await vscode.commands.executeCommand('chorus.clearCache');
    // A CPU profile of the warm run, so the report can say where a stall's time goes (bench/host/main.ts).
    const inspector = new Session();
    inspector.connect();
    await inspector.post('Profiler.enable');
    await inspector.post('Profiler.start');
    const warm = await measure(api);
    const { profile } = await inspector.post('Profiler.stop');
    inspector.disconnect();
    writeFileSync(`${process.env.CHORUS_BENCH_OUT!}.cpuprofile`, JSON.stringify(profile));
    const engineThread = process.env.CHORUS_ENGINE_THREAD === 'host' ? 'host' : 'worker';
    writeFileSync(process.env.CHORUS_BENCH_OUT!, JSON.stringify({ resolutionMs: RESOLUTION_MS, engineThread, cold, warm }, null, 2));
  });
});
