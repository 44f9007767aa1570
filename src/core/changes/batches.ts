/**
 * The excerpts a change review must send, packed into batches like the planner packs files: routed
 * together by the most demanding file's complexity score (one route, so the files share requests),
 * within each model's KB limit and token budget (plan/estimate.ts), a file's excerpts kept together
 * where they fit. A file's CHANGE block rides with its first excerpt
 * in every batch that carries the file. An excerpt larger than any batch is cut into line ranges
 * (plan/chunk.ts), keeping its true line numbers.
 */
import type { ChorusConfig, ModelConfig } from '../config/types';
import { SYSTEM_PROMPT, type ChangeContext, type PromptFile } from '../contract';
import { chunkFile } from '../plan/chunk';
import { estimateRequestTokens, fileTokens, maxBatchInputTokens, overheadTokens } from '../plan/estimate';
import { packUnits, type PackItem, type PackLimits, type PackUnit } from '../plan/pack';
import { routeByScore } from '../plan/route';
import type { Batch, BatchFile } from '../plan/types';
import type { Lane, OutcomeCode } from '../types';
import { contextForBatch } from './deletions';
import type { ChangeStats, FileState } from './reviewTypes';

/** One excerpt to send: which file, which region (its index in the file's excerpts). */
export interface PendingExcerpt {
  path: string;
  region: number;
  firstLine: number;
  text: string;
  changed: readonly number[];
  /** sha256 of the whole redacted file (BatchFile.hash). */
  hash: string;
}

export type ExcerptFile = BatchFile & PromptFile & { region: number };

export interface ChangePlan {
  batches: Batch[];
  /** Files no model's batch can take, with why. */
  failed: { path: string; reason: string; code: OutcomeCode }[];
  /** Excerpts cut into pieces (their answers are not cached per function). */
  cut: Set<string>;
}

export interface ChangePlanOptions {
  lane: Lane;
  idPrefix: string;
  forceModel?: string;
  maxInputTokens?: number;
  tokenRatio?: Readonly<Record<string, number>>;
}

export function planExcerpts(
  excerpts: readonly PendingExcerpt[],
  contexts: ReadonlyMap<string, ChangeContext>,
  scores: ReadonlyMap<string, number>,
  config: ChorusConfig,
  options: ChangePlanOptions,
): ChangePlan {
  const failed: ChangePlan['failed'] = [];
  const cut = new Set<string>();
  const forced = options.forceModel === undefined ? undefined : config.models.find((m) => m.id === options.forceModel);
  const models = forced ? [forced] : config.models;
  if (models.length === 0) {
    for (const path of new Set(excerpts.map((e) => e.path))) failed.push({ path, reason: `model ${String(options.forceModel)} is not configured`, code: 'no-model' });
    return { batches: [], failed, cut };
  }
  const overhead = overheadTokens(SYSTEM_PROMPT, config.instructions);
  const ratioOf = (id: string) => {
    const r = options.tokenRatio?.[id];
    return typeof r === 'number' && r > 0 && Number.isFinite(r) ? r : 1;
  };
  // The largest CHANGE block is held back from every budget: whichever excerpt leads a batch carries one.
  const contextTokens = Math.max(0, ...[...contexts].map(([path, change]) => fileTokens({ path, text: '', changedLines: [], change }) - fileTokens({ path, text: '', changedLines: [] })));
  const limitsOf = (model: ModelConfig): PackLimits => ({
    maxBytes: model.maxKbPerBatch * 1024,
    maxTokens: Math.floor(Math.min(maxBatchInputTokens(model), options.maxInputTokens ?? Infinity) / ratioOf(model.id)) - overhead - contextTokens,
  });

  const byFile = new Map<string, PendingExcerpt[]>();
  for (const e of excerpts) byFile.set(e.path, [...(byFile.get(e.path) ?? []), e]);
  // One route for the whole review, by its most demanding file: excerpts are small, and every request
  // pays the system prompt and tool schema again — the review's files share requests instead of
  // splitting over the models by score.
  const top = Math.max(0, ...[...byFile.keys()].map((p) => scores.get(p) ?? 0));
  const routed = routeByScore(top, models);
  const shared = byFile.size > 1 ? { ...routed, reason: `${routed.reason} (the review's most demanding file)` } : routed;
  const units = new Map<string, PackUnit[]>(models.map((m) => [m.id, []]));
  for (const [path, list] of byFile) {
    const score = scores.get(path) ?? 0;
    const route = forced ? { model: forced, reason: `forced to ${forced.id}` } : shared;
    const limits = limitsOf(route.model);
    const items: PackItem[] = [];
    let failure: { reason: string; code: OutcomeCode } | undefined;
    for (const e of list) {
      const file: ExcerptFile = { path, text: e.text, firstLine: e.firstLine, bytes: Buffer.byteLength(e.text, 'utf8'), hash: e.hash, changedLines: e.changed, region: e.region };
      const tokens = fileTokens(file);
      if (limits.maxTokens <= 0) {
        failure = { reason: `no model's quota leaves room for a batch of this change (${route.model.id}: ${route.model.tokensPerMinute} tokens/min)`, code: 'quota-too-small' };
        break;
      }
      if (file.bytes <= limits.maxBytes && tokens <= limits.maxTokens) {
        items.push({ file, tokens });
        continue;
      }
      const pieces = chunkFile({ path, text: e.text, hash: e.hash }, limits);
      if ('reason' in pieces) {
        failure = { reason: `a changed function is too large for ${route.model.id}: ${pieces.reason}`, code: 'too-large' };
        break;
      }
      cut.add(`${path}#${e.region}`);
      for (const p of pieces) {
        const firstLine = (p.firstLine ?? 1) + e.firstLine - 1;
        const last = firstLine + p.text.split('\n').length - 2;
        const piece: ExcerptFile = { ...p, firstLine, changedLines: e.changed.filter((n) => n >= firstLine && n <= last), region: e.region };
        items.push({ file: piece, tokens: fileTokens(piece) });
      }
    }
    if (failure) failed.push({ path, ...failure });
    else units.get(route.model.id)!.push({ items, score, reason: `${route.reason}; change review` });
  }

  // Every excerpt (or piece) of each file, in plan order: which batch carries a file's first one.
  const planned = new Map<string, ExcerptFile[]>();
  for (const list of units.values()) for (const u of list) for (const i of u.items) planned.set(i.file.path, [...(planned.get(i.file.path) ?? []), i.file as ExcerptFile]);
  const batches: Batch[] = [];
  for (const model of models) {
    for (const bin of packUnits(units.get(model.id)!, limitsOf(model))) {
      const seen = new Set<string>();
      const items = bin.items.map((i) => i.file as ExcerptFile);
      const files = items.map((f) => {
        if (seen.has(f.path)) return f;
        seen.add(f.path);
        const whole = contexts.get(f.path);
        const all = planned.get(f.path) ?? [];
        const change = whole && contextForBatch(whole, items.filter((x) => x.path === f.path), all, items.includes(all[0]!));
        return change && (change.outline || change.removed || change.imports) ? { ...f, change } : f;
      });
      batches.push({
        id: `${options.idPrefix}${batches.length + 1}`,
        files,
        preferredModel: model.id,
        lane: options.lane,
        estInputTokens: estimateRequestTokens(files, SYSTEM_PROMPT, config.instructions),
        score: bin.score,
        reason: bin.reason,
      });
    }
  }
  return { batches, failed, cut };
}

/** Counts the regions (and their lines) the plan sends, once each however many pieces they were cut into. */
export function countSent(plan: ChangePlan, states: ReadonlyMap<string, FileState>, stats: ChangeStats): void {
  const sentRegions = new Set<string>();
  for (const batch of plan.batches) {
    for (const f of batch.files) {
      if (states.get(f.path)?.failure) continue;
      const region = (f as { region?: number }).region ?? -1;
      if (!sentRegions.has(`${f.path}#${region}`)) {
        sentRegions.add(`${f.path}#${region}`);
        stats.regionsSent++;
        const e = states.get(f.path)!.file.excerpts[region];
        if (e) stats.linesSent += e.endLine - e.startLine + 1;
      }
    }
  }
}
