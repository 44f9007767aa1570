/**
 * A quota too small for any batch is a configuration problem, not a reason to skip: the files fail
 * with what one call needs and what the largest quota allows, so a CI run that analyzed nothing
 * cannot pass. A model whose quota leaves no room hands its groups to one whose quota does.
 */
import assert from 'node:assert/strict';
import { defaultConfig, LLAMA_33_70B_ID, NOVA_PRO_ID } from '../../../src/core/config';
import type { ChorusConfig } from '../../../src/core/config/types';
import { planBatches } from '../../../src/core/plan';
import type { Group, SourceFile } from '../../../src/core/types';

function source(path: string, text: string): SourceFile {
  return { path, text, bytes: Buffer.byteLength(text), hash: `h-${path}`, redactions: 0 };
}

const files = new Map(['a.ts', 'b.ts', 'c.py'].map((p) => [p, source(p, 'export const x = 1;\n')]));
const groups: Group[] = [
  { files: ['a.ts', 'b.ts'], totalSize: 40, complexity: 0.9, score: 0.9 },
  { files: ['c.py'], totalSize: 20, complexity: 0.1, score: 0.1 },
];

function withQuotas(nova: number, llama: number): ChorusConfig {
  const base = defaultConfig();
  return { ...base, models: base.models.map((m) => ({ ...m, tokensPerMinute: m.id === NOVA_PRO_ID ? nova : llama })) };
}

describe('planBatches with a quota below one batch', () => {
  it('every model too small: each file fails with the tokens it needs and the largest quota, none is skipped', () => {
    const plan = planBatches(groups, files, withQuotas(1_500, 1_200), { lane: 'background' });
    assert.equal(plan.batches.length, 0);
    assert.deepEqual(plan.skipped, []);
    assert.deepEqual(plan.failed.map((f) => f.path).sort(), ['a.ts', 'b.ts', 'c.py']);
    for (const f of plan.failed) {
      const m = /^no model's quota fits this batch: needs (\d+) tokens .* the largest quota is 1500 tokens\/min$/.exec(f.reason);
      assert.ok(m, f.reason);
      // What it needs really is more than half the largest quota (the most one call may reserve).
      assert.ok(Number(m[1]) > 1_500 / 2, f.reason);
    }
  });

  it('one model too small: its groups go to the model whose quota fits, with the reason', () => {
    const plan = planBatches(groups, files, withQuotas(1_500, 60_000), { lane: 'background' });
    assert.deepEqual(plan.failed, []);
    assert.deepEqual(plan.skipped, []);
    assert.ok(plan.batches.every((b) => b.preferredModel === LLAMA_33_70B_ID));
    assert.deepEqual(plan.batches.flatMap((b) => b.files.map((f) => f.path)).sort(), ['a.ts', 'b.ts', 'c.py']);
    assert.ok(plan.batches.some((b) => b.reason.includes(`${NOVA_PRO_ID}'s quota leaves no room for a batch, so ${LLAMA_33_70B_ID}`)));
  });

  it('a forced model too small is not rerouted: its files fail', () => {
    const plan = planBatches(groups, files, withQuotas(1_500, 60_000), { lane: 'background', forceModel: NOVA_PRO_ID });
    assert.equal(plan.batches.length, 0);
    assert.equal(plan.failed.length, 3);
  });
});
