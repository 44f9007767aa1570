/**
 * The original two-model strategy, exactly as the seed's pseudocode has it:
 * - createModelAwareBatches: each group is pre-assigned by its complexity score (> 0.7 → the strong
 *   model, else the light one); consecutive groups of the same model are packed up to that model's
 *   maxKbPerBatch (a group larger than the limit becomes a batch of its own);
 * - processBatches: one batch at a time overall, in order; on a rate-limit error the batch is tried
 *   once on the other model; if that fails too the error surfaces. The seed would abort the whole run
 *   there; we count the batch as lost and go on, so the run completes and the losses can be counted.
 * Calls carry the fixed output cap of fixedCall.ts. Saves are separate invocations of processBatches
 * (the service handles each trigger on its own), so they run concurrently with the burst.
 */
import type { ModelConfig } from '../../src/core/config/types';
import type { Group } from '../../src/core/types';
import { asPromptFiles, callWithFixedCap, describeError, isRateLimitError } from './fixedCall';
import type { Strategy, StrategyEnv, StrategySession, WorkOutcome } from './types';

const COMPLEXITY_THRESHOLD = 0.7;

interface SeedBatch {
  id: string;
  model: string;
  batch: Group[];
}

/** The seed's calculateComplexityScore, verbatim (its caps: 20 KB, 10 files). */
export function calculateComplexityScore(group: Group): number {
  const sizeFactor = Math.min(group.totalSize / (20 * 1024), 1);
  const dependencyFactor = group.complexity;
  const fileCountFactor = Math.min(group.files.length / 10, 1);
  return sizeFactor * 0.3 + dependencyFactor * 0.5 + fileCountFactor * 0.2;
}

interface SeedModels {
  strong: ModelConfig;
  light: ModelConfig;
}

function seedModels(models: readonly ModelConfig[]): SeedModels {
  const [a, b] = models;
  if (!a || !b || models.length !== 2) throw new TypeError(`The original strategy needs exactly two models, got ${models.length}`);
  // The seed's 'nova-pro' is the model complex groups go to: the higher minComplexity.
  return (a.minComplexity ?? 0) >= (b.minComplexity ?? 0) ? { strong: a, light: b } : { strong: b, light: a };
}

export function createModelAwareBatches(groups: readonly Group[], models: SeedModels, idPrefix = 'o'): SeedBatch[] {
  const select = (g: Group) => (calculateComplexityScore(g) > COMPLEXITY_THRESHOLD ? models.strong : models.light);
  const batches: SeedBatch[] = [];
  let current: Group[] = [];
  let currentModel: ModelConfig | null = null;
  let currentKb = 0;
  const push = () => {
    if (current.length > 0 && currentModel) batches.push({ id: `${idPrefix}${batches.length + 1}`, model: currentModel.id, batch: current });
  };
  for (const group of groups) {
    const model = select(group);
    const kb = group.totalSize / 1024;
    if (currentModel === null || model !== currentModel || currentKb + kb > model.maxKbPerBatch) {
      push();
      current = [group];
      currentModel = model;
      currentKb = kb;
    } else {
      current.push(group);
      currentKb += kb;
    }
  }
  push();
  return batches;
}

/** processWithModel with the seed's single fallback: assigned model, then the other one once. */
async function processOne(env: StrategyEnv, models: SeedModels, b: SeedBatch): Promise<WorkOutcome> {
  const paths = b.batch.flatMap((g) => g.files);
  const prompt = asPromptFiles(paths, env.files);
  const base = { id: b.id, files: paths.length };
  try {
    await callWithFixedCap(env.providerFor, b.model, prompt);
    return { ...base, status: 'ok', model: b.model, attempts: 1 };
  } catch (error) {
    if (!isRateLimitError(error)) return { ...base, status: 'lost', model: b.model, attempts: 1, reason: describeError(error) };
    const alternate = b.model === models.strong.id ? models.light.id : models.strong.id;
    try {
      await callWithFixedCap(env.providerFor, alternate, prompt);
      return { ...base, status: 'ok', model: alternate, attempts: 2 };
    } catch (alternateError) {
      return { ...base, status: 'lost', model: alternate, attempts: 2, reason: describeError(alternateError) };
    }
  }
}

export const originalStrategy: Strategy = {
  key: 'original',
  label: 'Original (seed)',
  supports: (models) => models.length === 2,
  open(env): StrategySession {
    const models = seedModels(env.models);
    return {
      async burst() {
        const results: WorkOutcome[] = [];
        // One at a time overall, in order: the seed's `for … of` with `await`.
        for (const b of createModelAwareBatches(env.groups, models)) results.push(await processOne(env, models, b));
        return results;
      },
      save(file, id) {
        const scored = env.groups.find((g) => g.files.includes(file.path));
        const group: Group = { files: [file.path], totalSize: file.bytes, complexity: scored?.complexity ?? 0, score: 0 };
        const [only] = createModelAwareBatches([group], models, id);
        return processOne(env, models, { ...only!, id });
      },
      dispose() {},
    };
  },
};
