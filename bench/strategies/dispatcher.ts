/**
 * Chorus itself, and the one-model baseline, both through Chorus's own planner and Dispatcher (the
 * engine minus disk I/O, cache and findings publishing, which do not touch throughput): the burst is
 * planned into the background lane and submitted at once; a save is planned on its own and submitted
 * to the interactive lane of the same long-lived dispatcher, as the extension does.
 */
import { defaultConfig, NOVA_PRO_ID } from '../../src/core/config';
import type { ModelConfig } from '../../src/core/config/types';
import { planBatches, type Batch } from '../../src/core/plan';
import { Dispatcher, type BatchResult } from '../../src/core/schedule';
import type { Group, Lane, SourceFile } from '../../src/core/types';
import type { Strategy, StrategyEnv, StrategySession, WorkOutcome } from './types';

function outcomeOf(batch: Batch, result: BatchResult): WorkOutcome {
  const base = { id: batch.id, files: batch.files.length, attempts: result.attempts, ...(result.model ? { model: result.model } : {}) };
  return result.status === 'ok' ? { ...base, status: 'ok' } : { ...base, status: 'lost', reason: `${result.status}: ${result.reason}` };
}

function session(env: StrategyEnv, models: ModelConfig[], maxInputTokens?: number, calibrate = true, fillWindow = true): StrategySession {
  // Head-of-line is the scheduler before issue 15: no bypass, no cutting batches either.
  const cut = fillWindow;
  const config = { ...defaultConfig(), models };
  // As the hosts run it: with saves (the extension) interactive work keeps its reserve; a burst alone (the CLI) has none.
  const dispatcher = new Dispatcher({ models, providerFor: env.providerFor, clock: env.clock, random: env.random, spillover: config.spillover, calibrate, interactiveReserve: env.interactive, fillWindow, probeQuota: true });
  env.onDispatcher?.(dispatcher);
  if (env.trace) {
    const trace = env.trace;
    dispatcher.onEvent((e) => {
      if (e.type !== 'batch-finished') trace(`${(env.clock.now() / 1000).toFixed(1)} ${JSON.stringify(e)}`);
    });
  }
  const plan = (groups: Group[], files: ReadonlyMap<string, SourceFile>, lane: Lane, idPrefix: string) => {
    // As the engine does: later plans fit what each model was learned to count.
    const { batches, skipped } = planBatches(groups, files, config, { lane, idPrefix, tokenRatio: dispatcher.tokenRatios(), ...(maxInputTokens ? { maxInputTokens } : {}) });
    if (skipped.length > 0) throw new Error(`bench: the planner skipped ${skipped.length} file(s), e.g. ${skipped[0]!.path}: ${skipped[0]!.reason}`);
    return batches;
  };
  // As the engine submits (engine/dispatchBatch.ts): the dispatcher may cut a batch, the answer comes in parts.
  const run = (batches: Batch[]) => Promise.all(batches.map(async (b) => outcomeOf(b, await dispatcher.submit(b, { split: cut }))));
  return {
    burst: () => run(plan(env.groups, env.files, 'background', 'c')),
    async save(file, id) {
      const scored = env.groups.find((g) => g.files.includes(file.path));
      const group: Group = { files: [file.path], totalSize: file.bytes, complexity: scored?.complexity ?? 0, score: scored?.score ?? 0 };
      // A file larger than one batch is chunked; the save has its findings when every chunk is back.
      const parts = await run(plan([group], new Map([[file.path, file]]), 'interactive', `${id}.`));
      const lost = parts.find((p) => p.status === 'lost');
      const attempts = parts.reduce((s, p) => s + p.attempts, 0);
      return lost ? { ...lost, id, files: 1, attempts } : { id, status: 'ok', files: 1, attempts, ...(parts[0]?.model ? { model: parts[0].model } : {}) };
    },
    dispose: () => dispatcher.dispose(),
  };
}

export const chorusStrategy: Strategy = {
  key: 'chorus',
  label: 'Chorus',
  supports: (models) => models.length >= 1,
  open: (env) => session(env, env.models),
};

/**
 * Chorus with the engine's `maxBatchInputTokens` pinned to 8k: a fixed batch size beside the default
 * (about a tenth of each model's quota), to measure how much batch granularity costs.
 */
export const SMALL_BATCH_INPUT_TOKENS = 8_000;
export const chorusSmallBatchesStrategy: Strategy = {
  key: 'chorus-small',
  label: `Chorus, batches ≤ ${SMALL_BATCH_INPUT_TOKENS / 1000}k tokens`,
  supports: (models) => models.length >= 1,
  open: (env) => session(env, env.models, SMALL_BATCH_INPUT_TOKENS),
};

/**
 * Chorus as it was before issue 14: reservations and plans by the 4-bytes-a-token estimate alone, the
 * service's own counts used only to settle (the current behaviour the tokenizer workloads compare to).
 */
export const chorusUncalibratedStrategy: Strategy = {
  key: 'chorus-uncalibrated',
  label: 'Chorus, no calibration',
  supports: (models) => models.length >= 1,
  open: (env) => session(env, env.models, undefined, false),
};

/**
 * Chorus with strict head-of-line admission (before issue 15): a queue's head waits until its whole
 * reservation fits and nothing behind it starts meanwhile — the current scheduler beside the new one.
 */
export const chorusHeadOfLineStrategy: Strategy = {
  key: 'chorus-hol',
  label: 'Chorus (head-of-line)',
  supports: (models) => models.length >= 1,
  open: (env) => session(env, env.models, undefined, true, false),
};

/** Nova Pro alone (or, if it is not configured, the model complex groups would go to). */
export const oneModelStrategy: Strategy = {
  key: 'one-model',
  label: 'One model (Nova Pro)',
  supports: (models) => models.length >= 1,
  open(env) {
    const strong = env.models.find((m) => m.id === NOVA_PRO_ID) ?? [...env.models].sort((a, b) => (b.minComplexity ?? 0) - (a.minComplexity ?? 0))[0]!;
    return session(env, [strong]);
  },
};
