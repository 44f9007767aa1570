import assert from 'node:assert/strict';
import { defaultConfig, LLAMA_33_70B_ID, NOVA_PRO_ID } from '../../../src/core/config';
import type { ChorusConfig } from '../../../src/core/config/types';
import { parseBatchPrompt, renderBatchPrompt } from '../../../src/core/contract';
import { batchFits, batchTokenBudget, batchTokenLimit, estimateRequestTokens, initialOutputCap, maxBatchInputTokens, planBatches, routeByScore } from '../../../src/core/plan';
import type { Group, SourceFile } from '../../../src/core/types';

function file(path: string, kb: number, lineBytes = 64): SourceFile {
  const line = 'y'.repeat(lineBytes - 1);
  const lines = Math.max(1, Math.round((kb * 1024) / lineBytes));
  const text = Array.from({ length: lines }, () => line).join('\n') + '\n';
  return { path, text, bytes: Buffer.byteLength(text), hash: `h-${path}`, redactions: 0 };
}

function world(specs: { files: [string, number][]; score: number }[]) {
  const files = new Map<string, SourceFile>();
  const groups: Group[] = specs.map((g) => {
    for (const [p, kb] of g.files) files.set(p, file(p, kb));
    return { files: g.files.map(([p]) => p), totalSize: g.files.reduce((s, [p]) => s + files.get(p)!.bytes, 0), complexity: g.score, score: g.score };
  });
  return { files, groups };
}

describe('routing', () => {
  const models = defaultConfig().models;
  it('picks the model with the highest minComplexity not above the score', () => {
    assert.equal(routeByScore(0.7, models).model.id, NOVA_PRO_ID);
    assert.equal(routeByScore(0.69, models).model.id, LLAMA_33_70B_ID);
    assert.match(routeByScore(0.82, models).reason, /score 0\.82 ≥ minComplexity 0\.7 of us\.amazon\.nova-pro-v1:0/);
  });
  it('falls back to the least demanding model when every minComplexity is above the score', () => {
    const route = routeByScore(0.1, [{ ...models[0]!, minComplexity: 0.5 }, { ...models[1]!, minComplexity: 0.3 }]);
    assert.equal(route.model.id, LLAMA_33_70B_ID);
    assert.match(route.reason, /below every minComplexity/);
  });
});

describe('planBatches', () => {
  const config = defaultConfig();

  it('routes by score and packs within each model’s KB limit and token budget', () => {
    const specs = Array.from({ length: 30 }, (_, i) => ({ files: [[`g${i}/a.ts`, 8], [`g${i}/b.ts`, 4]] as [string, number][], score: i % 3 === 0 ? 0.9 : 0.2 }));
    const { files, groups } = world(specs);
    const { batches, skipped } = planBatches(groups, files, config, { lane: 'background' });
    assert.deepEqual(skipped, []);
    for (const b of batches) {
      const model = config.models.find((m) => m.id === b.preferredModel)!;
      assert.ok(b.files.reduce((s, f) => s + f.bytes, 0) <= model.maxKbPerBatch * 1024, `${b.id} within KB`);
      assert.ok(b.estInputTokens + initialOutputCap(b.estInputTokens, model) <= batchTokenBudget(model), `${b.id} within the token budget`);
      assert.equal(b.estInputTokens, estimateRequestTokens(b.files), 'the estimate is that of the exact request');
      assert.equal(b.lane, 'background');
    }
    // Each group's files share a batch, and every file is planned once.
    const where = new Map(batches.flatMap((b) => b.files.map((f) => [f.path, b.id] as const)));
    assert.equal(where.size, 60);
    for (const g of groups) assert.equal(where.get(g.files[0]!), where.get(g.files[1]!));
    assert.ok(batches.filter((b) => b.preferredModel === NOVA_PRO_ID).every((b) => b.score >= 0.7));
    assert.ok(batches.filter((b) => b.preferredModel === LLAMA_33_70B_ID).every((b) => b.score < 0.7));
  });

  it('keeps batches to about a tenth of a minute’s quota, so many calls share the window', () => {
    const [nova, llama] = config.models;
    assert.equal(batchTokenBudget(nova!), 10_000);
    assert.equal(batchTokenBudget(llama!), 6_000);
    assert.equal(batchTokenBudget({ ...nova!, contextTokens: 5_000 }), 5_000, 'never more than the context');
    // Packing aims at the budget; moving a batch to another model checks only its hard limit (half its
    // quota), so Nova Pro's batches can still spill over to Llama.
    assert.equal(batchTokenLimit(llama!), 30_000);
    assert.ok(maxBatchInputTokens(nova!) > maxBatchInputTokens(llama!));
    assert.ok(batchFits(100 * 1024, maxBatchInputTokens(nova!), llama!));
  });

  it('keeps every batch at most half a minute’s quota, so it can always be admitted', () => {
    // A tenth of this quota would leave no room for files: the floor applies, within half the quota.
    const small: ChorusConfig = { ...config, models: [{ id: 'tiny', tokensPerMinute: 8_000, maxKbPerBatch: 1000 }] };
    const { files, groups } = world([{ files: [['a.ts', 30], ['b.ts', 30]], score: 0.5 }]);
    const { batches } = planBatches(groups, files, small, { lane: 'interactive' });
    assert.ok(batches.length >= 4);
    for (const b of batches) assert.ok(b.estInputTokens + initialOutputCap(b.estInputTokens, small.models[0]!) <= 4_000);
    assert.ok(maxBatchInputTokens(small.models[0]!) < 4_000);
  });

  it('splits a group too large for one batch, its files kept consecutive', () => {
    const { files, groups } = world([{ files: [['a.ts', 14], ['b.ts', 14], ['c.ts', 2]], score: 0.1 }]);
    const { batches } = planBatches(groups, files, config, { lane: 'background' });
    assert.deepEqual(batches.map((b) => b.files.map((f) => f.path)), [['a.ts'], ['b.ts', 'c.ts']]);
  });

  it('where a window holds few batches, a split group fills its earlier batches (no half-empty batch before a large file)', () => {
    // 15k tokens/min: the budget is at its floor (4k). Next fit (consecutive runs) needs [a] [b, c] [d].
    const small: ChorusConfig = { ...config, models: [{ id: 'small', tokensPerMinute: 15_000, maxKbPerBatch: 1000 }] };
    const { files, groups } = world([{ files: [['a.ts', 6], ['b.ts', 6], ['c.ts', 4], ['d.ts', 4]], score: 0.1 }]);
    const { batches } = planBatches(groups, files, small, { lane: 'background' });
    const limit = maxBatchInputTokens(small.models[0]!);
    for (const b of batches) assert.ok(b.estInputTokens <= limit, `${b.id}: ${b.estInputTokens} > ${limit}`);
    assert.deepEqual(batches.flatMap((b) => b.files.map((f) => f.path)).sort(), ['a.ts', 'b.ts', 'c.ts', 'd.ts']);
    assert.equal(batches.length, 2, JSON.stringify(batches.map((b) => b.files.map((f) => f.path))));
  });

  it('chunks a file larger than any batch, keeping its original line numbers', () => {
    const { files, groups } = world([{ files: [['huge.ts', 300]], score: 0.1 }]);
    const { batches, skipped } = planBatches(groups, files, config, { lane: 'background' });
    assert.deepEqual(skipped, []);
    const chunks = batches.flatMap((b) => b.files);
    assert.ok(chunks.length >= 2);
    assert.deepEqual(chunks.map((c) => c.chunk?.index), chunks.map((_, i) => i));
    assert.ok(chunks.every((c) => c.hash === 'h-huge.ts' && c.chunk?.count === chunks.length));
    // Chunks tile the file: each starts where the previous ended, and the lines are the file's.
    const original = files.get('huge.ts')!.text.split('\n').slice(0, -1);
    let next = 1;
    for (const c of chunks) {
      assert.equal(c.firstLine, next);
      const parsed = parseBatchPrompt(renderBatchPrompt([c]))[0]!;
      assert.deepEqual(parsed.lines, original.slice(next - 1, next - 1 + parsed.lines.length));
      next += parsed.lines.length;
    }
    assert.equal(next - 1, original.length);
  });

  it('skips with a reason what cannot be planned, and never plans a file twice', () => {
    const files = new Map<string, SourceFile>();
    const line = 'z'.repeat(260 * 1024);
    files.set('min.js', { path: 'min.js', text: line, bytes: line.length, hash: 'm', redactions: 0 });
    files.set('ok.ts', file('ok.ts', 1));
    const groups: Group[] = [
      { files: ['min.js', 'ok.ts', 'gone.ts'], totalSize: 0, complexity: 0, score: 0.1 },
      { files: ['ok.ts'], totalSize: 0, complexity: 0, score: 0.9 },
    ];
    const { batches, skipped } = planBatches(groups, files, config, { lane: 'background' });
    assert.deepEqual(batches.flatMap((b) => b.files.map((f) => f.path)), ['ok.ts']);
    assert.deepEqual(skipped.map((s) => s.path), ['min.js', 'gone.ts']);
    assert.match(skipped[0]!.reason, /too large for us\.meta\.llama3-3-70b-instruct-v1:0: line 1 alone is larger than a batch/);
    assert.match(skipped[1]!.reason, /not among the discovered files/);
  });

  it('forceModel sends everything to one model; an unknown one skips with the configured ids', () => {
    const { files, groups } = world([{ files: [['a.ts', 2]], score: 0.1 }, { files: [['b.ts', 2]], score: 0.9 }]);
    const forced = planBatches(groups, files, config, { lane: 'interactive', forceModel: NOVA_PRO_ID, idPrefix: 'save-' });
    assert.deepEqual(forced.batches.map((b) => [b.id, b.preferredModel, b.reason]), [['save-1', NOVA_PRO_ID, `forced to ${NOVA_PRO_ID}`]]);
    const unknown = planBatches(groups, files, config, { lane: 'interactive', forceModel: 'nope' });
    assert.equal(unknown.batches.length, 0);
    assert.match(unknown.skipped[0]!.reason, /model nope is not configured \(configured: us\.amazon\.nova-pro-v1:0, /);
  });
});
