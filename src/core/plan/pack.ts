/**
 * Packing one model's groups into batches (bins) under two limits: bytes (maxKbPerBatch) and input
 * tokens. First fit, largest group first, keeps the number of calls low while a group's files stay in
 * one batch; a group too large for any batch is split over batches of its own, in the group's order
 * (consecutive runs, or where a window holds few batches each file into the first that fits), so
 * related files still share as few batches as possible.
 */
import type { BatchFile } from './types';

export interface PackItem {
  file: BatchFile;
  /** What the file adds to the request's input tokens. */
  tokens: number;
}

/** One group's files, routed to one model. */
export interface PackUnit {
  items: PackItem[];
  score: number;
  reason: string;
}

export interface PackLimits {
  maxBytes: number;
  /** Budget for the files' tokens (the request overhead already taken off). */
  maxTokens: number;
  /**
   * A group too large for one batch fills its earlier batches (first fit) instead of consecutive runs
   * (next fit). The planner sets it where a window holds few batches (plan/index.ts).
   */
  fillSplitGroups?: boolean;
}

export interface Bin {
  items: PackItem[];
  bytes: number;
  tokens: number;
  score: number;
  reason: string;
}

const sum = (items: readonly PackItem[], f: (i: PackItem) => number) => items.reduce((s, i) => s + f(i), 0);

export function packUnits(units: readonly PackUnit[], limits: PackLimits): Bin[] {
  const bins: Bin[] = [];
  const fits = (bin: Bin, bytes: number, tokens: number) => bin.bytes + bytes <= limits.maxBytes && bin.tokens + tokens <= limits.maxTokens;
  const add = (bin: Bin, items: PackItem[], unit: PackUnit) => {
    bin.items.push(...items);
    bin.bytes += sum(items, (i) => i.file.bytes);
    bin.tokens += sum(items, (i) => i.tokens);
    if (unit.score > bin.score || bin.reason === '') {
      bin.score = Math.max(bin.score, unit.score);
      bin.reason = unit.reason;
    }
  };
  const open = (): Bin => {
    const bin: Bin = { items: [], bytes: 0, tokens: 0, score: 0, reason: '' };
    bins.push(bin);
    return bin;
  };

  const bySizeDesc = [...units].sort((a, b) => sum(b.items, (i) => i.tokens) - sum(a.items, (i) => i.tokens));
  for (const unit of bySizeDesc) {
    const bytes = sum(unit.items, (i) => i.file.bytes);
    const tokens = sum(unit.items, (i) => i.tokens);
    if (bytes <= limits.maxBytes && tokens <= limits.maxTokens) {
      add(bins.find((b) => fits(b, bytes, tokens)) ?? open(), unit.items, unit);
      continue;
    }
    // Too large for one batch: in the group's own order, each file into the last of the group's own
    // batches (next fit: consecutive runs), or with fillSplitGroups the first of them it fits. Next fit
    // leaves a batch as empty as the next file is large: at 15k tokens/min the bench corpus planned
    // 329 batches where 284 hold the files, each extra call paying the system prompt and tool spec.
    const own: Bin[] = [];
    for (const item of unit.items) {
      const candidates = limits.fillSplitGroups ? own : own.slice(-1);
      let bin = candidates.find((b) => fits(b, item.file.bytes, item.tokens));
      if (!bin) own.push((bin = open()));
      add(bin, [item], unit);
    }
  }
  return bins;
}
