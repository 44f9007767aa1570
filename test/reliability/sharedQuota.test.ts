/**
 * Bedrock books a quota per account, not per process: two `chorus analyze` runs at once on one
 * machine and one destination must share it rather than each believing it owns the whole quota.
 * Two real CLI processes against one emulator with small quotas; the control is the same pair
 * without a shared ledger (separate cache folders), which is what Chorus did before.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import { cliEnv, parseReport, runChorus, TIME_SCALE, tempDir, writeTree } from '../integration/cli/helpers';
import { LLAMA, NOVA, removeAfter } from './helpers';

// Small quotas (a new account's), so that two runs together span several windows.
const QUOTAS = { [NOVA]: 12_000, [LLAMA]: 8_000 };

/** A workspace of `files` distinct modules of ~1.6 KB each (distinct per `tag`: no cache sharing). */
function workspace(tag: string, files: number): string {
  const tree: Record<string, string> = {};
  for (let i = 0; i < files; i++) {
    const body = Array.from({ length: 40 }, (_, j) => `export const ${tag}_${i}_${j} = compute(${i}, ${j}); // ${tag}`).join('\n');
    tree[`src/${tag}/m${i}.js`] = `if (value == ${i}) { run(); }\n${body}\n`;
  }
  return writeTree(tempDir(`shared-${tag}`), tree);
}

describe('shared quota: two CLI runs at once on one destination', function () {
  this.timeout(240_000);
  const dirs: string[] = [];
  removeAfter(dirs);
  let emu: RunningEmulator;
  let config: string;
  before(async () => {
    emu = await startEmulator({
      config: { models: Object.entries(QUOTAS).map(([id, tokensPerMinute]) => ({ id, tokensPerMinute, tokenRatio: 1, ...(id === LLAMA ? { toolChoice: ['auto'] } : {}) })) },
      port: 0,
      timeScale: TIME_SCALE,
    });
    const ci = tempDir('shared-config');
    dirs.push(ci);
    config = join(ci, 'chorus.json');
    writeFileSync(config, JSON.stringify({ endpoint: emu.url, models: Object.entries(QUOTAS).map(([id, tokensPerMinute]) => ({ id, tokensPerMinute, maxKbPerBatch: 6 })) }));
  });
  after(async () => emu.close());

  async function pair(shareLedger: boolean): Promise<{ throttled: number; received: number }> {
    const before = emu.stats().totals;
    const caches = shareLedger ? [tempDir('shared-cache')] : [tempDir('own-cache'), tempDir('own-cache')];
    dirs.push(...caches);
    const roots = [workspace(`a${shareLedger}`, 24), workspace(`b${shareLedger}`, 24)];
    dirs.push(...roots);
    const runs = await Promise.all(
      roots.map((root, i) => runChorus(['analyze', root, '--config', config, '--format', 'json'], cliEnv(caches[i % caches.length]!))),
    );
    for (const run of runs) {
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(parseReport(run).files.filter((f) => f.status !== 'analyzed').map((f) => `${f.path}: ${f.reason}`), []);
    }
    const after = emu.stats().totals;
    return { throttled: after.throttled - before.throttled, received: after.received - before.received };
  }

  it('with the machine\'s shared ledger, the pair is (almost) never throttled; without it, it is', async () => {
    const alone = await pair(false);
    await new Promise((r) => setTimeout(r, 60_000 / TIME_SCALE + 200)); // let the window empty
    const shared = await pair(true);
    process.stderr.write(`      shared ledger: ${shared.throttled} of ${shared.received} requests throttled; separate: ${alone.throttled} of ${alone.received}\n`);
    // The control shows the check can fail: each process alone believed it owned the quota.
    assert.ok(alone.throttled > 0, `without sharing: ${alone.throttled} of ${alone.received} throttled`);
    assert.ok(shared.throttled <= Math.max(1, Math.floor(shared.received * 0.02)), `shared: ${shared.throttled} of ${shared.received} throttled (alone: ${alone.throttled} of ${alone.received})`);
  });
});
