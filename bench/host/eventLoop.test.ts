/**
 * Runs inside the extension host (bundled by the e2e harness, not an e2e suite): Analyze Workspace
 * over the generated workspace with perf_hooks.monitorEventLoopDelay on, sampled per second with
 * the phase the run was in (engine events), written as JSON to CHORUS_BENCH_OUT.
 */
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';

const EXTENSION_ID = 'chorus-dev.bedrock-chorus';

interface BenchApi {
  onEngineEvent(listener: (event: { type: string }) => void): () => void;
}

type Phase = 'prepare' | 'dispatch' | 'publish';

const ms = (ns: number) => Math.round((ns / 1e6) * 10) / 10;

describe('host event loop during Analyze Workspace', function () {
  this.timeout(30 * 60_000);

  it('measures', async () => {
    const api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as BenchApi;
    let phase: Phase = 'prepare';
    let filesDone = 0;
    let batchesOpen = 0;
    let batchesStarted = 0;
    const unsubscribe = api.onEngineEvent((e) => {
      if (e.type === 'batch-started') {
        batchesStarted++;
        batchesOpen++;
        phase = 'dispatch';
      } else if (e.type === 'batch-finished') {
        batchesOpen--;
      } else if (e.type === 'file-done') {
        filesDone++;
        if (batchesOpen === 0 && batchesStarted > 0) phase = 'publish';
      }
    });
    const whole = monitorEventLoopDelay({ resolution: 10 });
    const window = monitorEventLoopDelay({ resolution: 10 });
    const samples: { t: number; phase: Phase; p99: number; max: number; filesDone: number }[] = [];
    const started = Date.now();
    const sampler = setInterval(() => {
      samples.push({ t: Date.now() - started, phase, p99: ms(window.percentile(99)), max: ms(window.max), filesDone });
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
    const diagnostics = vscode.languages.getDiagnostics().filter(([, d]) => d.some((x) => x.source === 'Chorus')).length;
    const byPhase: Record<string, { seconds: number; worstP99: number; max: number }> = {};
    for (const s of samples) {
      const p = (byPhase[s.phase] ??= { seconds: 0, worstP99: 0, max: 0 });
      p.seconds++;
      p.worstP99 = Math.max(p.worstP99, s.p99);
      p.max = Math.max(p.max, s.max);
    }
    const result = {
      files: filesDone, elapsedMs, filesWithDiagnostics: diagnostics, batches: batchesStarted,
      eventLoopDelayMs: { p50: ms(whole.percentile(50)), p90: ms(whole.percentile(90)), p99: ms(whole.percentile(99)), max: ms(whole.max), mean: ms(whole.mean) },
      byPhase, samples,
    };
    writeFileSync(process.env.CHORUS_BENCH_OUT!, JSON.stringify(result, null, 2));
  });
});
