/**
 * Planning: route each group to a model by complexity, then pack each model's groups into batches
 * that fit its KB limit and token budget (see estimate.ts). Files that cannot be planned are returned
 * in `skipped` with a reason; nothing is dropped silently.
 */
import type { ChorusConfig, ModelConfig } from '../config/types';
import { SYSTEM_PROMPT } from '../contract';
import type { Group, Lane, SourceFile } from '../types';
import { chunkFile } from './chunk';
import { BATCH_QUOTA_SHARE, batchByteLimit, estimateRequestTokens, fileTokens, initialOutputCap, maxBatchInputTokens, MIN_BATCH_BUDGET_TOKENS, overheadTokens } from './estimate';
import { packUnits, type PackItem, type PackLimits, type PackUnit } from './pack';
import { routeByScore } from './route';
import type { Batch } from './types';

export type { Batch, BatchFile } from './types';
export { routeByScore } from './route';
export * from './estimate';

export interface PlanOptions {
  lane: Lane;
  /** Send every group to this model id (must be configured). */
  forceModel?: string;
  /** Batch ids are `${idPrefix}${n}`; default `b`. */
  idPrefix?: string;
  /** System prompt the batches will be sent with (default: the contract's). */
  system?: string;
  /** Cap on a batch's input tokens below the model's budget (smaller batches, more parallel calls). */
  maxInputTokens?: number;
  /**
   * Per model id: the service's input tokens per token of our estimate, as the dispatcher learned it
   * (schedule/calibration.ts). Batches are packed so that their input *as the model counts it* fits
   * the budget; a model not listed counts 1.
   */
  tokenRatio?: Readonly<Record<string, number>>;
}

export interface Plan {
  batches: Batch[];
  skipped: { path: string; reason: string }[];
  /**
   * Files no configured model can take because no model's per-minute quota fits even a batch of
   * this one file: a configuration problem, so they fail (and the CLI exits non-zero) instead of
   * being skipped — a run that analyzed nothing must not look like a clean one.
   */
  failed: { path: string; reason: string }[];
}

export function planBatches(groups: Group[], files: ReadonlyMap<string, SourceFile>, config: ChorusConfig, options: PlanOptions): Plan {
  const system = options.system ?? SYSTEM_PROMPT;
  const skipped: Plan['skipped'] = [];
  const failed: Plan['failed'] = [];
  const forced = options.forceModel === undefined ? undefined : config.models.find((m) => m.id === options.forceModel);
  if (options.forceModel !== undefined && !forced) {
    const reason = `model ${options.forceModel} is not configured (configured: ${config.models.map((m) => m.id).join(', ')})`;
    for (const path of new Set(groups.flatMap((g) => g.files))) skipped.push({ path, reason });
    return { batches: [], skipped, failed };
  }

  const overhead = overheadTokens(system, config.instructions);
  const ratioOf = (id: string) => {
    const r = options.tokenRatio?.[id];
    return typeof r === 'number' && r > 0 && Number.isFinite(r) ? r : 1;
  };
  const limitsOf = (model: ModelConfig): PackLimits => ({
    maxBytes: batchByteLimit(model),
    maxTokens: Math.floor(Math.min(maxBatchInputTokens(model), options.maxInputTokens ?? Infinity) / ratioOf(model.id)) - overhead,
    // Where a window holds few batches (the budget is at its floor, not a tenth of the quota) every call's
    // fixed tokens are window time, so batches are packed full; at larger quotas next fit's extra small
    // batches keep calls in flight and the last ones short (burst: 6.43 min, filled 7.21–7.34 min).
    fillSplitGroups: model.tokensPerMinute * BATCH_QUOTA_SHARE < MIN_BATCH_BUDGET_TOKENS,
  });

  // The model whose quota leaves the most room for files, for groups routed to one that leaves none.
  const roomiest = (forced ? [forced] : config.models).reduce((best, m) => (limitsOf(m).maxTokens > limitsOf(best).maxTokens ? m : best));
  const largestQuota = Math.max(...config.models.map((m) => m.tokensPerMinute));
  /** Why no model can take `tokens` of file: what one call would need against what any quota allows. */
  const noQuotaFits = (tokens: number): string => {
    const input = overhead + tokens;
    const need = input + initialOutputCap(input, roomiest);
    return `no model's quota fits this batch: needs ${need} tokens (prompt, this file and the output cap), one call may reserve at most half a model's tokens per minute, and the largest quota is ${largestQuota} tokens/min`;
  };

  const unitsByModel = new Map<string, PackUnit[]>(config.models.map((m) => [m.id, []]));
  const seen = new Set<string>();
  for (const group of groups) {
    let route = forced ? { model: forced, reason: `forced to ${forced.id}` } : routeByScore(group.score, config.models);
    if (limitsOf(route.model).maxTokens <= 0 && roomiest !== route.model && limitsOf(roomiest).maxTokens > 0) {
      route = { model: roomiest, reason: `${route.reason}; ${route.model.id}'s quota leaves no room for a batch, so ${roomiest.id}` };
    }
    const limits = limitsOf(route.model);
    const items: PackItem[] = [];
    for (const path of group.files) {
      if (seen.has(path)) continue;
      seen.add(path);
      const file = files.get(path);
      if (!file) {
        skipped.push({ path, reason: 'not among the discovered files' });
        continue;
      }
      const whole = { path, text: file.text, bytes: Buffer.byteLength(file.text, 'utf8'), hash: file.hash };
      const tokens = fileTokens(whole);
      if (limits.maxTokens <= 0) {
        failed.push({ path, reason: noQuotaFits(tokens) });
        continue;
      }
      if (whole.bytes <= limits.maxBytes && tokens <= limits.maxTokens) {
        items.push({ file: whole, tokens });
        continue;
      }
      const chunks = chunkFile(file, limits);
      if ('reason' in chunks) skipped.push({ path, reason: `too large for ${route.model.id}: ${chunks.reason}` });
      else items.push(...chunks.map((c) => ({ file: c, tokens: fileTokens(c) })));
    }
    if (items.length > 0) unitsByModel.get(route.model.id)!.push({ items, score: group.score, reason: route.reason });
  }

  const prefix = options.idPrefix ?? 'b';
  const batches: Batch[] = [];
  for (const model of config.models) {
    for (const bin of packUnits(unitsByModel.get(model.id)!, limitsOf(model))) {
      const batchFiles = bin.items.map((i) => i.file);
      batches.push({
        id: `${prefix}${batches.length + 1}`,
        files: batchFiles,
        preferredModel: model.id,
        lane: options.lane,
        estInputTokens: estimateRequestTokens(batchFiles, system, config.instructions),
        score: bin.score,
        reason: bin.reason,
      });
    }
  }
  return { batches, skipped, failed };
}
