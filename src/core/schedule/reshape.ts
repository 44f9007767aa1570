/**
 * Reshaping queued jobs to fit a window: a job cut in two (pieces.ts) so that its first piece fills
 * the room left, or a head sent together with the first lines of the job behind it (joint.ts) so that
 * it leaves none. Both only for jobs whose caller reads their result in parts (submit's `split`).
 */
import type { BatchFile } from '../plan/types';
import type { Job } from './job';
import { jointJob, joinable, joinCut } from './joint';
import type { ModelQueue, QueueEntry } from './modelQueue';
import type { Outcomes } from './outcomes';
import { fitsRoom, pieceJobs, roomCut } from './pieces';
import type { Router } from './router';
import { maxBatchInputTokens } from './limits';
import type { Cut } from './split';

export interface ReshapeHost {
  readonly system: string;
  readonly instructions: string | undefined;
  /** The planner's cap on a batch's input (DispatcherOptions.maxBatchInputTokens). */
  readonly maxBatchInputTokens: number;
  readonly router: Router;
  readonly outcomes: Outcomes;
  inputOf(files: readonly BatchFile[]): number;
  entryOf(job: Job, q: ModelQueue): QueueEntry;
  jobOf(entry: QueueEntry): Job | undefined;
  /** A job queued on another model whose first lines may fill `q`'s room (Stealing.donorFor). */
  donorFor(q: ModelQueue, may: (job: Job) => boolean): { job: Job; from: ModelQueue } | undefined;
  move(job: Job, from: string, to: string, reason: string): void;
  enqueue(job: Job, modelId: string): void;
}

export class Reshaping {
  constructor(private readonly h: ReshapeHost) {}

  /** Cuts a queued job (no call made yet) into two pieces that run as active jobs of their own (pieces.ts). */
  cutJob(job: Job, cut: Cut): [Job, Job] {
    job.entry = undefined;
    const pieces = pieceJobs(job, cut, this.h.system, this.h.instructions, (parent, outcome) => this.h.outcomes.end(parent, outcome));
    for (const piece of pieces) this.h.outcomes.active.add(piece);
    return pieces;
  }

  /** Filling the window (WindowFilling.cut, queueFill.ts): a first piece that reserves at most `room` on `q`. */
  cutForRoom(job: Job, q: ModelQueue, room: number): QueueEntry[] | undefined {
    const cut = roomCut(job, q, room, this.h.router, (files) => this.h.inputOf(files));
    if (!cut) return undefined;
    const pieces = this.cutJob(job, cut);
    pieces[0].reasons.push(`cut to fill ${q.id}'s window: ${pieces[0].batch.files.length} of ${job.batch.files.length} file(s)/range(s) now, the rest when it fits`);
    return pieces.map((piece) => (piece.entry = this.h.entryOf(piece, q)));
  }

  /**
   * Filling the window (WindowFilling.grow, queueFill.ts): `job`, at the head, sent with the first lines of the job
   * behind it (`next`), or of the job that would run last on another model when nothing waits behind
   * it here, in one call that reserves at most `room` on `q`. The joint call's entry, and the entry of
   * what is left of `next`, which takes its place (the rest of another model's job goes back there).
   */
  growForRoom(job: Job, q: ModelQueue, room: number, next: QueueEntry | undefined): { joint: QueueEntry; rest?: QueueEntry } | undefined {
    // Within the room, and as large as the planner packs a batch for this model at most: a joint
    // call is one of the planner's batches with another's first lines, not a larger kind of call.
    const largest = Math.min(maxBatchInputTokens(q.model), this.h.maxBatchInputTokens);
    const fits = (files: BatchFile[]) => fitsRoom(files, q, room, this.h.router, (f) => this.h.inputOf(f), largest);
    const behind = next ? this.h.jobOf(next) : undefined;
    const donor = next ? undefined : this.h.donorFor(q, (j) => joinable(job, j));
    const other = behind ?? donor?.job;
    if (!other || !joinable(job, other)) return undefined;
    const cut = joinCut(job, other, fits);
    if (!cut) return undefined;
    if (donor) donor.from.remove(other.entry!);
    const [piece, rest] = this.cutJob(other, cut);
    const joint = jointJob(job, piece, this.h.system, this.h.instructions, (part, outcome) => this.h.outcomes.end(part, outcome));
    this.h.outcomes.active.add(joint);
    job.entry = undefined;
    if (!donor) return { joint: (joint.entry = this.h.entryOf(joint, q)), rest: (rest.entry = this.h.entryOf(rest, q)) };
    piece.steals = (other.steals ?? 0) + 1;
    this.h.move(piece, donor.from.id, q.id, `spillover, joined: ${piece.batch.files.length} of ${other.batch.files.length} file(s)/range(s) sent with ${job.batch.id} to fill ${q.id}'s window`);
    this.h.enqueue(rest, donor.from.id);
    return { joint: (joint.entry = this.h.entryOf(joint, q)) };
  }
}
