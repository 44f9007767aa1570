/**
 * Round-robin, the common router default: each call goes to a model picked at random with weights
 * proportional to the models' quotas; a 429 (or any other failed call) is retried after an
 * exponential backoff with full jitter, on a freshly picked model, up to MAX_RETRIES times; then the
 * batch is lost. The client keeps at most CONCURRENCY calls in flight (a typical p-limit setting) and
 * uses the fixed output cap of fixedCall.ts.
 *
 * It is given the very batches Chorus plans (planBatches), so the comparison isolates routing and
 * scheduling: same requests, different policy.
 */
import { planBatches, type Batch } from '../../src/core/plan';
import type { ModelConfig } from '../../src/core/config/types';
import { defaultConfig } from '../../src/core/config';
import { describeError, callWithFixedCap, type PromptSource } from './fixedCall';
import type { Strategy, StrategyEnv, StrategySession, WorkOutcome } from './types';

export const RR_MAX_RETRIES = 5;
export const RR_BACKOFF_BASE_MS = 1_000;
export const RR_BACKOFF_CAP_MS = 20_000;
export const RR_CONCURRENCY = 8;

export function pickWeighted(models: readonly ModelConfig[], random: () => number): ModelConfig {
  const total = models.reduce((s, m) => s + m.tokensPerMinute, 0);
  let r = random() * total;
  for (const m of models) {
    r -= m.tokensPerMinute;
    if (r < 0) return m;
  }
  return models[models.length - 1]!;
}

/** A counting semaphore: at most `limit` holders at once, released in arrival order. */
function semaphore(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

async function route(env: StrategyEnv, id: string, files: PromptSource[]): Promise<WorkOutcome> {
  let lastError = '';
  let model = '';
  for (let attempt = 0; attempt <= RR_MAX_RETRIES; attempt++) {
    if (attempt > 0) await env.clock.sleep(env.random() * Math.min(RR_BACKOFF_CAP_MS, RR_BACKOFF_BASE_MS * 2 ** (attempt - 1)));
    model = pickWeighted(env.models, env.random).id;
    try {
      await callWithFixedCap(env.providerFor, model, files);
      return { id, status: 'ok', model, files: files.length, attempts: attempt + 1 };
    } catch (error) {
      lastError = describeError(error);
    }
  }
  return { id, status: 'lost', model, files: files.length, attempts: RR_MAX_RETRIES + 1, reason: lastError };
}

function planFor(env: StrategyEnv): Batch[] {
  const config = { ...defaultConfig(), models: env.models };
  return planBatches(env.groups, env.files, config, { lane: 'background', idPrefix: 'r' }).batches;
}

export const roundRobinStrategy: Strategy = {
  key: 'round-robin',
  label: 'Round-robin',
  supports: (models) => models.length >= 1,
  open(env): StrategySession {
    const limit = semaphore(RR_CONCURRENCY);
    return {
      burst: () => Promise.all(planFor(env).map((b) => limit(() => route(env, b.id, b.files)))),
      // A save is one more request to the router, outside the burst's concurrency limit.
      save: (file, id) => route(env, id, [{ path: file.path, text: file.text }]),
      dispose() {},
    };
  },
};
