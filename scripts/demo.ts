/**
 * `npm run demo`: Chorus end to end without AWS. Starts the Bedrock emulator in-process with the
 * default quotas on a sped-up clock, analyzes the bundled sample workspace (demo/workspace) with the
 * same engine the CLI and the extension use, and prints the findings and the per-model summary.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ScaledClock } from '../src/core/clock';
import { defaultConfig } from '../src/core/config';
import { createEngine } from '../src/core/engine';
import { formatText } from '../src/cli/format';
import { createProgress } from '../src/cli/progress';
import { defaultEmulatorConfig, startEmulator } from '../src/emulator';

/** One emulated minute per real second: the quotas are per minute, the demo takes seconds. */
const TIME_SCALE = 60;

async function main(): Promise<void> {
  const root = resolve(__dirname, '..', 'demo', 'workspace');
  const emulator = await startEmulator({ config: defaultEmulatorConfig(), port: 0, timeScale: TIME_SCALE });
  // The emulator accepts any signature when it has no credentials configured; the SDK still needs some.
  process.env.AWS_ACCESS_KEY_ID ??= 'AKIDCHORUSDEMO';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'chorus-demo-secret';
  // A fresh cache, so every demo run really calls the models.
  const cacheDir = mkdtempSync(join(tmpdir(), 'chorus-demo-cache-'));
  const config = defaultConfig();
  // The sample is small, so its groups score lower than a real project's: lower the strong model's
  // threshold so the demo shows both models at work (quotas stay the defaults).
  for (const model of config.models) if ((model.minComplexity ?? 0) > 0.3) model.minComplexity = 0.3;
  const engine = createEngine({
    config: { ...config, endpoint: emulator.url },
    clock: new ScaledClock(TIME_SCALE),
    cacheDir,
    // Small batches, so the burst spreads over both models' queues as it would on a real project.
    maxBatchInputTokens: 2_500,
  });
  const progress = createProgress(process.stderr);
  engine.onEvent(progress.listener);
  try {
    process.stderr.write(`chorus demo: emulator on ${emulator.url} (time ×${TIME_SCALE}), analyzing ${root}\n`);
    const startedAt = performance.now();
    const result = await engine.analyze({ root, lane: 'background' });
    const realSeconds = (performance.now() - startedAt) / 1000;
    progress.finish();
    process.stdout.write(formatText(result, { color: process.stdout.isTTY === true }));
    const stats = emulator.stats();
    process.stdout.write(
      `\nEmulator: ${stats.totals.received} request(s); routing: ${result.routing.map((r) => `${r.batchId} → ${r.model ?? 'none'}`).join(', ')}\n` +
        `Times above are emulated (the clock runs ×${TIME_SCALE}, so per-minute quotas pass in seconds); real time: ${realSeconds.toFixed(1)} s.\n`,
    );
    process.exitCode = result.files.some((f) => f.status === 'failed') ? 3 : 0;
  } finally {
    engine.dispose();
    await emulator.close();
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`chorus demo: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exitCode = 1;
});
