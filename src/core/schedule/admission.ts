/**
 * Filling the window around a head that does not fit: a smaller entry behind it that fits starts
 * instead (bounded bypass), or the head is cut so that its first piece fills the room left.
 * Why: docs/scheduler.md; the queue that uses these: modelQueue.ts.
 */
import type { Lane } from '../types';
import type { QueueEntry } from './modelQueue';
import { MIN_FILL_LINES_TOKENS } from './split';

/**
 * How many entries may start ahead of a head that does not fit before it is admitted as soon as it
 * fits, nothing else jumping it. Each bypass only uses room the head cannot use yet, but it delays the
 * head by what that entry reserves, so the count is bounded. `false` in ModelQueueOptions.fillWindow
 * restores strict head-of-line admission (the benchmark's "Chorus (head-of-line)" row).
 */
export const MAX_BYPASS = 8;
/**
 * A head is cut to fill the room left only when the room holds at least this share of it: every
 * piece pays the system prompt, tool spec and an output cap again, and cutting into every sliver
 * of room (measured: 300 calls instead of 167 in the burst) charged ~8 % more tokens for the same
 * files, so the makespan grew although utilization rose.
 */
export const FILL_CUT_SHARE = 0.5;
/**
 * A head is also cut, whatever the share, when the room would otherwise stay empty long enough that
 * it is worth a call's fixed part: room × wait ≥ the piece's fixed tokens (system prompt, tool spec:
 * QueueEntry.cutCost, else DEFAULT_CUT_COST) × this share of the window. In a sliding window empty room
 * of R tokens for w ms costs R·w/window tokens of throughput; a cut costs its fixed tokens once, for
 * good (charged, analyzing nothing). At small quotas (a few thousand tokens a minute) a window holds
 * two to five batches and the room beside them stays empty 10–40 s at a time; at large quotas the
 * window frees within seconds and the share rule alone decides, as before.
 */
export const IDLE_CUT_SHARE = 1;
/** A cut's fixed tokens when the entry does not say (the default prompt and tool spec, about 430). */
export const DEFAULT_CUT_COST = 500;
/**
 * …and only where a window holds few batches: the head reserves at least this share of the limit.
 * The planner keeps batches to a tenth of a quota where it can, so this is where its budget's floor
 * (MIN_BATCH_BUDGET_TOKENS) made batches a large share of a small quota. At the default quotas the
 * idle rule cut ~40 more pieces into the burst (218 requests instead of ~180) for a slower makespan
 * (7.36 vs 7.19–7.24 min) and 2 timing-edge throttles.
 */
export const FEW_BATCHES_SHARE = 0.15;
/** Entries behind the head looked at for one that fits (bounds the pump's work on long queues). */
const BYPASS_SCAN = 64;

/**
 * The largest entry behind a head that does not fit whose reservation fits now (best fit: the first
 * that fits left most of the room empty when the queue held a mix of sizes), if the head may still be
 * overtaken; the head counts the bypass (in `bypassed`). Only room the head cannot use is filled:
 * if the window is cooling down or at its request limit, nothing fits.
 */
export function bypassOf(
  lane: QueueEntry[],
  head: QueueEntry,
  bypassed: WeakMap<QueueEntry, number>,
  admissionWaitMs: (need: number, lane: Lane) => number,
): { entry: QueueEntry; index: number; need: number } | undefined {
  const count = bypassed.get(head) ?? 0;
  if (count >= MAX_BYPASS) return undefined;
  let best: { entry: QueueEntry; index: number; need: number } | undefined;
  for (let index = 1; index < Math.min(lane.length, BYPASS_SCAN + 1); index++) {
    const entry = lane[index]!;
    const need = entry.need();
    if ((best && need <= best.need) || admissionWaitMs(need, entry.lane) > 0) continue;
    best = { entry, index, need };
  }
  if (best) bypassed.set(head, count + 1);
  return best;
}

/**
 * The idle rule (IDLE_CUT_SHARE): `room` tokens left empty for `waitMs` of a `windowMs` window cost
 * more throughput than a call's fixed tokens (`cutCost`), so filling them is worth a call.
 */
export function idleRoomWorthACall(room: number, waitMs: number, cutCost: number, windowMs: number): boolean {
  return room * waitMs >= cutCost * windowMs * IDLE_CUT_SHARE;
}

/**
 * When a queue whose head waits `wait` ms looks again: then, or when the window's next entry leaves
 * (`departure`, where the room could be filled around the head: a head that can be cut, or entries
 * behind it) if the room it leaves would then stay empty long enough to be worth a call's fixed part
 * (the idle rule of cutToRoom, IDLE_CUT_SHARE). At small quotas a window's entries leave in ones and
 * twos over a minute, and a queue woken only for its head left 2,000–3,000 of Llama's 8,000 tokens
 * empty for most of a minute (measured, small-quota bench). Waking at every departure was measured
 * worse: where a window's entries leave within seconds, each departure cut the head into the little
 * room it freed (FILL_CUT_SHARE), chasing room the next departure would have made whole — 687
 * requests instead of 613 for the same files, and more throttles at the edge (12k + 8k + 5k).
 */
export function lookAgainMs(wait: number, room: number, departure: { ms: number; tokens: number } | undefined, cutCost = DEFAULT_CUT_COST, windowMs = 60_000): number {
  if (!departure || departure.ms >= wait) return wait;
  return idleRoomWorthACall(room + departure.tokens, wait - departure.ms, cutCost, windowMs) ? departure.ms : wait;
}

/**
 * Cuts `head` (at the front of `lane`) so that its first piece fills `room`, when the room is less
 * than its `need` and holds at least FILL_CUT_SHARE of it, or (`idle`) would stay empty long enough to
 * pay for the cut (IDLE_CUT_SHARE) while the head is at least FEW_BATCHES_SHARE of the lane's limit;
 * the pieces go back in with `insert`. split.ts refuses pieces too small to be worth a call
 * (MIN_PIECE_CODE_TOKENS).
 */
export function cutToRoom(lane: QueueEntry[], head: QueueEntry, need: number, room: number, insert: (entry: QueueEntry) => void, idle?: { waitMs: number; windowMs: number; limit: number }): boolean {
  if (room <= 0 || room >= need) return false;
  const idleCut = idle !== undefined && idleRoomWorthACall(room, idle.waitMs, head.cutCost ?? DEFAULT_CUT_COST, idle.windowMs) && need >= idle.limit * FEW_BATCHES_SHARE;
  if (room < need * FILL_CUT_SHARE && !idleCut) return false;
  return replaceHead(lane, head.split?.(room), insert);
}

/**
 * How long a head that fits waits, once, for the answers of calls in flight to give back the output
 * caps they hold before it grows (growHead): an answer usually comes within a second or two, and each
 * gives back ~250 tokens of a cap it did not use, which the head can grow into; the wait is bounded for
 * a call that hangs.
 */
export const RELEASE_WAIT_MS = 3_000;

/**
 * Grows `head` (at the front of `lane`), which fits, into the `room` it would leave beside it: sent
 * with the first lines of the entry behind it in one call (joint.ts), when that entry does not fit
 * what is left either, so it would stay empty until the window turns — or, when nothing waits behind
 * it, of work queued on another model (a model fed by spillover holds one batch at a time and left
 * ~16 % of its window empty beside it: Nova Lite at 5k tokens a minute, measured) — and what is left holds at least
 * MIN_FILL_LINES_TOKENS of code; only where a window holds few batches (FEW_BATCHES_SHARE of the
 * lane's `limit`, as for idle cuts: at the default quotas the window frees within seconds and the
 * planner's batch sizes stand). The joint call takes the head's place and the rest of the entry behind
 * goes back in with `insert`; the pump admits the joint call as it would the head.
 *
 * `releasing`: output-cap tokens that calls in flight will likely give back when they answer. Room
 * that small is what a window's turn left empty most (measured: ~260 per answer, below any call worth
 * sending), so the head waits for them ('wait', RELEASE_WAIT_MS) and grows into them too.
 */
export function growHead(lane: QueueEntry[], head: QueueEntry, need: number, room: number, limit: number, releasing: number, insert: (entry: QueueEntry) => void): 'grown' | 'wait' | undefined {
  const behind = lane[1];
  const left = room + releasing - need;
  if (!head.grow || left < MIN_FILL_LINES_TOKENS || (behind && behind.need() <= left) || need < limit * FEW_BATCHES_SHARE) return undefined;
  if (releasing > 0) return 'wait';
  const grown = head.grow(room, behind);
  if (!grown) return undefined;
  lane.splice(0, grown.rest ? 2 : 1, grown.joint);
  if (grown.rest) insert(grown.rest);
  return 'grown';
}

/**
 * A head that reserves more than the whole (learned) quota would be sent into an empty window and
 * refused every time: cut it to half the quota (the planner's hard limit of one batch, limits.ts),
 * as it would have been planned had the quota been known. Not a filling rule: it holds in
 * head-of-line mode too. A head that cannot be cut is sent as it is and fails with its throttles.
 */
export function cutOversize(lane: QueueEntry[], head: QueueEntry, need: number, limit: number, insert: (entry: QueueEntry) => void): boolean {
  if (need <= limit || !head.split) return false;
  return replaceHead(lane, head.split(Math.floor(limit / 2)), insert);
}

/** The head, cut into `pieces`, leaves its lane and the pieces take their places (false: it could not be cut). */
function replaceHead(lane: QueueEntry[], pieces: QueueEntry[] | undefined, insert: (entry: QueueEntry) => void): boolean {
  if (!pieces) return false;
  lane.shift();
  for (const piece of pieces) insert(piece);
  return true;
}
