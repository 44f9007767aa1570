/**
 * A new account whose quotas are a sixteenth of what the engine assumes (the known defaults, 100k and
 * 60k tokens/min, because Service Quotas could not be read): the real AWS SDK client against the
 * emulator enforcing 6,000 and 4,000. Batches were planned for the assumed quotas (several thousand
 * tokens each, larger than the whole real window); the engine must learn the quota from refusals of
 * calls that were alone in the window, cut the queued batches to fit it, and analyze every file.
 * Before: 0 of 32 files analyzed, 26 of 27 calls throttled (the learned quota's floor was a tenth
 * of the ceiling, and a batch tried once was never cut).
 */
import assert from 'node:assert/strict';
import { ScaledClock } from '../../src/core/clock';
import { defaultConfig } from '../../src/core/config';
import { createEngine, createInterimScorer } from '../../src/core/engine';
import { startEmulator } from '../../src/emulator';
import { assertAccounted, LLAMA, NOVA, tempDir, useEmulatorPerTest, writeTree } from './helpers';

const SCALE = 60;
const REAL = { [NOVA]: 6_000, [LLAMA]: 4_000 };

/** Small files beside a few large ones (a large one after small ones once kept a batch whole). */
function workspace(): { root: string; paths: string[] } {
  const files: Record<string, string> = {};
  for (let i = 0; i < 24; i++) {
    const lines = i % 6 === 5 ? 160 : 12;
    const body = Array.from({ length: lines }, (_, l) => `  total += values[${l}] * ${i + l}; // step ${l}`).join('\n');
    files[`src/m${String(i).padStart(2, '0')}.js`] = `export function m${i}(values) {\n  let total = 0;\n${body}\n  return total;\n}\n`;
  }
  return { root: writeTree(tempDir('far-quota'), files), paths: Object.keys(files) };
}

describe('quotas far below the assumed ones (engine against the emulator, time-scaled)', function () {
  this.timeout(240_000);
  const suite = useEmulatorPerTest();

  it('learns a quota a sixteenth of the assumed one, cuts its batches to fit, and analyzes every file', async () => {
    suite.emu = await startEmulator({
      timeScale: SCALE,
      config: { models: [{ id: NOVA, tokensPerMinute: REAL[NOVA] }, { id: LLAMA, tokensPerMinute: REAL[LLAMA], toolChoice: ['auto'] }] },
    });
    const { root, paths } = workspace();
    suite.dirs.push(root);
    const engine = createEngine({
      // Told the defaults (100k / 60k), as when the account's quotas cannot be read.
      config: { ...defaultConfig(), endpoint: suite.emu.url },
      clock: new ScaledClock(SCALE), scorer: createInterimScorer(),
    });
    try {
      const result = await engine.analyze({ root, lane: 'background', noCache: true });
      assertAccounted(result, paths);
      const requests = suite.emu.requests();
      const throttled = requests.filter((r) => r.outcome === 'throttled').length;
      const models = engine.snapshot().models;
      const summary = `${throttled} of ${requests.length} throttled; learned ${models.map((m) => `${m.id} ${m.effectiveTpm}`).join(', ')}`;
      if (process.env.CHORUS_TEST_VERBOSE) console.log(summary);
      assert.deepEqual(result.files.filter((f) => f.status !== 'analyzed').map((f) => [f.path, f.status, f.reason]), [], summary);
      assert.ok(throttled >= 1, `the emulator did refuse (the test can fail): ${summary}`);
      for (const m of models) {
        if (m.requests === 0) continue;
        const real = REAL[m.id as keyof typeof REAL];
        assert.ok(m.effectiveTpm <= real * 1.1, `${m.id} learned near its real ${real}: ${summary}`);
      }
      assert.ok(throttled <= requests.length / 2, `refusals are the learning, not the run: ${summary}`);
    } finally {
      engine.dispose();
    }
  });
});
