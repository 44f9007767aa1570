/**
 * A batch the dispatcher cuts reaches the engine whole (issue 15): dispatchWithRetry reads every
 * piece's answer against that piece's files, so each file gets the findings of every piece it was
 * in, at the original line numbers, and the run's budget is charged every piece.
 */
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../src/core/clock';
import type { ModelConfig } from '../../../src/core/config/types';
import { Budget } from '../../../src/core/engine/budget';
import { dispatchWithRetry } from '../../../src/core/engine/dispatchBatch';
import { estimateRequestTokens } from '../../../src/core/plan/estimate';
import type { Batch, BatchFile } from '../../../src/core/plan/types';
import type { ModelProvider } from '../../../src/core/providers/provider';
import { Dispatcher } from '../../../src/core/schedule';
import type { SourceFile } from '../../../src/core/types';
import { seeded } from '../../unit/schedule/fakes';

const M: ModelConfig = { id: 'm', tokensPerMinute: 20_000, maxKbPerBatch: 100, maxOutputTokens: 1_000 };

function source(path: string, lines: number): SourceFile {
  const text = Array.from({ length: lines }, (_, i) => `let a${i} = ${'y'.repeat(30)};`).join('\n') + '\n';
  return { path, text, bytes: Buffer.byteLength(text, 'utf8'), hash: `h-${path}`, redactions: 0 };
}

const asBatchFile = (f: SourceFile): BatchFile => ({ path: f.path, text: f.text, bytes: f.bytes, hash: f.hash });

/** Answers one finding at the first line of every file (or line range) in the prompt; charges what it read. */
const reported: number[] = [];
function provider(clock: VirtualClock, calls: { at: number; files: string[] }[]): ModelProvider {
  return {
    async converse(request) {
      const markers = [...request.prompt.matchAll(/<<<CHORUS FILE path="([^"]+)" lines=\d+(?: firstLine=(\d+))?>>>/g)];
      calls.push({ at: clock.now(), files: markers.map((m) => `${m[1]}@${m[2] ?? 1}`) });
      await clock.sleep(2_000);
      const findings = markers.map((m) => ({ file: m[1]!, startLine: Number(m[2] ?? 1), endLine: Number(m[2] ?? 1), severity: 'info', ruleId: 'seen', message: 'first line of this piece' }));
      const inputTokens = Math.ceil(request.prompt.length / 4) + 300;
      reported.push(inputTokens + 80);
      return { toolInput: { findings }, usage: { inputTokens, outputTokens: 80 }, stopReason: 'tool_use', latencyMs: 2_000 };
    },
  };
}

describe('a cut batch through dispatchWithRetry', () => {
  it('gives every file the findings of every piece it was in, at original lines, and charges every piece', async () => {
    const clock = new VirtualClock();
    const calls: { at: number; files: string[] }[] = [];
    const dispatcher = new Dispatcher({ models: [M], providerFor: () => provider(clock, calls), clock, random: seeded(), spillover: false, priorTokenRatio: 1, windowGuardMs: 0, calibrate: false });
    const budget = new Budget({ maxTokens: 10_000_000 }, [M]);
    // ~10k tokens in flight first, so the next batch (one large file and two small ones) does not fit
    // whole, not even once the first batch's answer gives back the output cap it held.
    const first = source('a/first.ts', 900);
    const files = [source('b/large.ts', 600), source('b/x.ts', 60), source('b/y.ts', 60)];
    const byPath = new Map([first, ...files].map((f) => [f.path, f]));
    const mk = (id: string, fs: SourceFile[]): Batch => ({ id, files: fs.map(asBatchFile), preferredModel: 'm', lane: 'background', estInputTokens: estimateRequestTokens(fs.map(asBatchFile)), score: 0.5, reason: 'test' });
    const runs = [dispatchWithRetry(dispatcher, mk('a', [first]), budget, undefined, byPath), dispatchWithRetry(dispatcher, mk('b', files), budget, undefined, byPath)];
    await clock.runAll();
    const [, b] = await Promise.all(runs);
    const bCalls = calls.filter((c) => c.files.some((f) => f.startsWith('b/')));
    assert.ok(bCalls.length >= 2, `the batch was cut: ${JSON.stringify(bCalls)}`);
    assert.equal(bCalls[0]!.at, 2_000, 'its first piece ran beside the first batch, once that one answered');
    for (const f of files) {
      const outcome = b!.files.get(f.path);
      assert.ok(outcome?.kind === 'ok', `${f.path}: ${JSON.stringify(outcome)}`);
      const pieces = bCalls.flatMap((c) => c.files).filter((x) => x.startsWith(`${f.path}@`));
      // One finding per piece the file was in, at the line that piece started.
      assert.deepEqual(outcome.findings.map((x) => x.startLine).sort((p, q) => p - q), pieces.map((x) => Number(x.split('@')[1])).sort((p, q) => p - q));
    }
    // Every call was charged: what the provider reported, summed over both batches' calls.
    dispatcher.dispose();
    assert.equal(budget.spent.tokens, reported.reduce((s, n) => s + n, 0));
  });
});

describe('a joint call through dispatchWithRetry', () => {
  it('reads one answer into both batches: each file gets its own findings, none crosses over, the call is charged once', async () => {
    reported.length = 0;
    const clock = new VirtualClock();
    const calls: { at: number; files: string[] }[] = [];
    const small: ModelConfig = { id: 'm', tokensPerMinute: 9_000, maxKbPerBatch: 100, maxOutputTokens: 400 };
    const dispatcher = new Dispatcher({ models: [small], providerFor: () => provider(clock, calls), clock, random: seeded(), spillover: false, priorTokenRatio: 1, windowGuardMs: 0, calibrate: false });
    // No token limit: a budget that admits call by call never has its batches joined.
    const budget = new Budget({}, [small]);
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    const sources = ids.map((id) => [source(`${id}/one.ts`, 100), source(`${id}/two.ts`, 100)]);
    const byPath = new Map(sources.flat().map((f) => [f.path, f]));
    const mk = (id: string, fs: SourceFile[]): Batch => ({ id, files: fs.map(asBatchFile), preferredModel: 'm', lane: 'background', estInputTokens: estimateRequestTokens(fs.map(asBatchFile)), score: 0.5, reason: 'test' });
    const runs = ids.map((id, i) => dispatchWithRetry(dispatcher, mk(id, sources[i]!), budget, undefined, byPath));
    await clock.runAll();
    const done = await Promise.all(runs);
    const joint = calls.find((c) => new Set(c.files.map((f) => f.split('/')[0])).size > 1);
    assert.ok(joint, `a call carried two batches' files: ${JSON.stringify(calls.map((c) => c.files))}`);
    done.forEach((d, i) => {
      assert.deepEqual([...d.files.keys()].sort(), sources[i]!.map((f) => f.path).sort(), 'only its own files');
      for (const f of sources[i]!) {
        const outcome = d.files.get(f.path);
        assert.ok(outcome?.kind === 'ok', `${f.path}: ${JSON.stringify(outcome)}`);
        const pieces = calls.flatMap((c) => c.files).filter((x) => x.startsWith(`${f.path}@`));
        assert.deepEqual(outcome.findings.map((x) => x.startLine).sort((p, q) => p - q), pieces.map((x) => Number(x.split('@')[1])).sort((p, q) => p - q));
      }
    });
    dispatcher.dispose();
    assert.equal(budget.spent.tokens, reported.reduce((s, n) => s + n, 0), 'each call charged once across the batches it served');
  });
});
