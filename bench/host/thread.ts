/**
 * `npx tsx bench/host/thread.ts [--files N] [--rounds R]`: the host thread's event-loop delay while
 * the engine analyzes N generated files (bench/host/workspace.ts, default 5,000), with the engine on
 * that thread and in its worker thread (src/core/engine/remoteEngine.ts), alternating R rounds so
 * both meet the same machine load. Plain Node, no VS Code: what the engine itself costs the thread
 * that hosts it (bench:host measures the real extension host, with diagnostics published). The
 * emulator runs in a process of its own so its work never lands on the measured loop.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { SHARE_ENV, Worker } from 'node:worker_threads';
import { defaultConfig } from '../../src/core/config';
import type { ChorusConfig, ModelConfig } from '../../src/core/config/types';
import { createEngine } from '../../src/core/engine';
import type { Engine } from '../../src/core/engine/api';
import { RemoteEngine } from '../../src/core/engine/remoteEngine';
import { defaultEmulatorConfig } from '../../src/emulator';
import { writeTree } from '../../test/integration/cli/helpers';
import { startEmulatorProcess } from '../../test/support/emulatorProcess';
import { hostWorkspace } from './workspace';

const REPO = resolve(import.meta.dirname, '..', '..');
const TSX = pathToFileURL(join(REPO, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const RESOLUTION_MS = 10;
const TPM = 20_000_000;

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const value = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!(value > 0)) throw new Error(`${name} needs a positive number`);
  return value;
}

async function measure(engine: Engine, root: string) {
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  let events = 0;
  engine.onEvent(() => events++);
  const started = Date.now();
  delay.enable();
  const result = await engine.analyze({ root, lane: 'background' });
  delay.disable();
  const ms = (ns: number) => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 10) / 10);
  return {
    elapsedMs: Date.now() - started,
    analyzed: result.files.filter((f) => f.status === 'analyzed').length,
    files: result.files.length,
    events,
    p50: ms(delay.percentile(50)),
    p99: ms(delay.percentile(99)),
    max: ms(delay.max),
  };
}

async function main(): Promise<void> {
  const files = flag('--files', 5000);
  const rounds = flag('--rounds', 2);
  process.env.AWS_ACCESS_KEY_ID = `AKIDBENCH${Date.now()}`;
  process.env.AWS_SECRET_ACCESS_KEY = Math.random().toString(36).slice(2);
  const emulatorConfig = defaultEmulatorConfig();
  // Fast answers: the host thread is measured, not the service (as bench/host/eventLoop.setup.ts).
  emulatorConfig.models = emulatorConfig.models.map((m) => ({ ...m, tokensPerMinute: TPM, firstTokenMs: 50, outputTokensPerSecond: 20_000 }));
  const emulator = await startEmulatorProcess(emulatorConfig, 1);
  const base = defaultConfig();
  const models: ModelConfig[] = [
    { ...base.models[0]!, id: 'us.amazon.nova-pro-v1:0', label: 'Nova Pro', tokensPerMinute: TPM, maxKbPerBatch: 8, minComplexity: 0.7 },
    { ...base.models[0]!, id: 'us.meta.llama3-3-70b-instruct-v1:0', label: 'Llama 3.3 70B', tokensPerMinute: TPM, maxKbPerBatch: 8, maxOutputTokens: 4096, minComplexity: 0 },
  ];
  const config: ChorusConfig = { ...base, endpoint: emulator.url, models };
  const root = writeTree(mkdtempSync(join(tmpdir(), 'chorus-bench-thread-')), hostWorkspace(files));
  const caches: string[] = [];
  const cacheDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'chorus-bench-thread-cache-'));
    caches.push(dir);
    return dir;
  };
  const make = {
    host: () => createEngine({ config, cacheDir: cacheDir() }),
    worker: () =>
      new RemoteEngine({
        options: { config, cacheDir: cacheDir() },
        spawn: () => new Worker(join(REPO, 'src/extension/worker/engineWorker.ts'), { execArgv: ['--import', TSX], env: SHARE_ENV }),
      }),
  };
  try {
    console.log(`${files} files, the emulator in its own process; event-loop delay of the thread that hosts the engine (net of the ${RESOLUTION_MS} ms timer):`);
    for (let round = 1; round <= rounds; round++) {
      for (const where of ['host', 'worker'] as const) {
        const engine = make[where]();
        try {
          // A worker's start (loading the engine in it) once per engine, apart from the run.
          const startedAt = Date.now();
          if (engine instanceof RemoteEngine) await engine.ready();
          const startMs = Date.now() - startedAt;
          const r = await measure(engine, root);
          const label = where === 'host' ? 'engine on the thread' : `engine in a worker (started in ${(startMs / 1000).toFixed(1)} s)`;
          console.log(`  round ${round} ${label}: ${r.analyzed}/${r.files} analyzed in ${(r.elapsedMs / 1000).toFixed(1)} s, ${r.events} events · p50 ${r.p50} ms · p99 ${r.p99} ms · max ${r.max} ms`);
        } finally {
          engine.dispose();
        }
      }
    }
  } finally {
    await emulator.close();
    rmSync(root, { recursive: true, force: true });
    for (const dir of caches) rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
