/**
 * A model with a small requests-per-minute quota the engine was not told of (new accounts get small
 * ones): the real AWS SDK client against the emulator, which refuses the rest of a minute's requests
 * with ThrottlingException "Too many requests, please wait before trying again." The engine must read
 * which limit the throttle names, learn the request limit from the first overload, keep its token
 * quota (the tokens were never full), and analyze every file with (almost) nothing refused after it.
 */
import assert from 'node:assert/strict';
import { ScaledClock } from '../../src/core/clock';
import { defaultConfig } from '../../src/core/config';
import { createEngine, createInterimScorer } from '../../src/core/engine';
import { startEmulator } from '../../src/emulator';
import { assertAccounted, NOVA, tempDir, useEmulatorPerTest, writeTree } from './helpers';

const SCALE = 60;
const TPM = 60_000;
const RPM = 8;

function workspace(count: number): { root: string; paths: string[] } {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const body = Array.from({ length: 30 }, (_, l) => `  total += values[${l}] * ${i + l};`).join('\n');
    files[`src/r${String(i).padStart(2, '0')}.js`] = `export function r${i}(values) {\n  let total = 0;\n${body}\n  return total;\n}\n`;
  }
  return { root: writeTree(tempDir('rpm'), files), paths: Object.keys(files) };
}

describe('a small requests-per-minute quota (engine against the emulator, time-scaled)', function () {
  this.timeout(180_000);
  const suite = useEmulatorPerTest();

  it('learns the request limit from "Too many requests", cuts no token quota, analyzes every file, ≤ 2 % refused after the first minute', async () => {
    suite.emu = await startEmulator({ timeScale: SCALE, config: { models: [{ id: NOVA, tokensPerMinute: TPM, requestsPerMinute: RPM }] } });
    const { root, paths } = workspace(40);
    suite.dirs.push(root);
    // One model (nowhere to spill to), told its tokens but not its requests per minute; small batches
    // (one or two files each) so that the request count, not the tokens, is what runs out.
    const engine = createEngine({
      config: { ...defaultConfig(), endpoint: suite.emu.url, models: [{ id: NOVA, tokensPerMinute: TPM, maxKbPerBatch: 350, minComplexity: 0 }] },
      clock: new ScaledClock(SCALE), scorer: createInterimScorer(), maxBatchInputTokens: 900,
    });
    try {
      const result = await engine.analyze({ root, lane: 'background', noCache: true });
      assertAccounted(result, paths);
      assert.ok(result.files.every((f) => f.status === 'analyzed'), JSON.stringify(result.files.filter((f) => f.status !== 'analyzed').map((f) => [f.path, f.status, f.reason])));
      const requests = suite.emu.requests();
      const throttled = requests.filter((r) => r.outcome === 'throttled');
      const first = Math.min(...requests.map((r) => r.sinceStartMs));
      const late = requests.filter((r) => r.sinceStartMs >= first + 60_000);
      const lateThrottled = late.filter((r) => r.outcome === 'throttled').length;
      const model = engine.snapshot().models.find((m) => m.id === NOVA)!;
      const summary = `${throttled.length} of ${requests.length} throttled, ${lateThrottled} of ${late.length} after the first minute; effective ${model.effectiveTpm} TPM, ${model.effectiveRpm ?? '-'} RPM`;
      if (process.env.CHORUS_TEST_VERBOSE) console.log(summary);
      assert.ok(requests.length > 2 * RPM, `the run needs more than two minutes of requests: ${summary}`);
      assert.ok(throttled.length >= 1, `the emulator did refuse for requests (the test can fail): ${summary}`);
      assert.ok(lateThrottled <= Math.max(1, late.length * 0.02), summary);
      assert.ok(throttled.length <= 4, `the first overload is what was on its way, not the queue: ${summary}`);
      assert.equal(model.effectiveTpm, TPM, `a request throttle cuts no token quota: ${summary}`);
      assert.ok(model.effectiveRpm !== undefined && model.effectiveRpm <= RPM && model.effectiveRpm >= RPM - 2, `learned near the real ${RPM}: ${summary}`);
    } finally {
      engine.dispose();
    }
  });
});
