/**
 * One worker thread and the single batch it is working on. If the worker dies (crash, exit, or
 * the watchdog cutting off a file that takes too long) the pending call is rejected with a
 * WorkerDiedError that tells the pool how many files were finished before it happened.
 */
import { Worker } from 'node:worker_threads';
import type { AnalyzeOptions } from '../analyzeFile';
import type { FileAnalysis } from '../types';
import type { WorkerFile, WorkerReply } from './protocol';

export class WorkerDiedError extends Error {
  constructor(
    message: string,
    /** 'timeout': the watchdog stopped it; 'crash': it exited or threw on its own. */
    readonly kind: 'timeout' | 'crash',
    /** Files of the batch finished before the death; the next one was in flight. */
    readonly completed: number,
    /** Whether the worker ever answered: a worker that never did failed to start. */
    readonly everAnswered: boolean,
  ) {
    super(message);
    this.name = 'WorkerDiedError';
  }
}

interface Pending {
  batch: number;
  completed: number;
  onResult: (index: number, analysis: FileAnalysis) => void;
  resolve: () => void;
  reject: (err: WorkerDiedError) => void;
  total: number;
}

/** Longest wait for a new worker to load before it is considered hung. */
const STARTUP_LIMIT_MS = 30_000;

/** Script paths ending in .ts run from source (tests, tsx): the worker needs tsx's loader too. */
function execArgvFor(script: string): string[] {
  return script.endsWith('.ts') ? ['--import', 'tsx'] : [];
}

export class WorkerClient {
  readonly worker: Worker;
  private pending: Pending | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private answered = false;
  private ready = false;
  private dead = false;
  private nextBatch = 0;

  constructor(script: string, private readonly watchdogMs: number) {
    this.worker = new Worker(script, { execArgv: execArgvFor(script) });
    this.worker.on('message', (reply: WorkerReply) => this.onReply(reply));
    this.worker.on('error', (err) => this.die('crash', `score worker failed: ${err.message}`));
    this.worker.on('exit', (code) => this.die('crash', `score worker exited with code ${code}`));
    // An idle worker must not keep the process alive if a host forgets dispose(); a busy one must.
    this.worker.unref();
  }

  get isDead(): boolean {
    return this.dead;
  }

  get isIdle(): boolean {
    return !this.dead && !this.pending;
  }

  /** Analyzes files in order, reporting each as it completes; one batch at a time per worker. */
  analyze(files: WorkerFile[], options: AnalyzeOptions, onResult: Pending['onResult']): Promise<void> {
    if (this.dead) return Promise.reject(new WorkerDiedError('score worker is gone', 'crash', 0, this.answered));
    if (this.pending) return Promise.reject(new Error('WorkerClient.analyze: a batch is already running'));
    const batch = this.nextBatch++;
    return new Promise<void>((resolve, reject) => {
      this.pending = { batch, completed: 0, onResult, resolve, reject, total: files.length };
      this.worker.ref();
      this.armWatchdog();
      this.worker.postMessage({ type: 'analyze', batch, files, options });
    });
  }

  terminate(): void {
    this.dead = true;
    this.clearWatchdog();
    void this.worker.terminate();
  }

  private onReply(reply: WorkerReply): void {
    this.answered = true;
    if (reply.type === 'ready') {
      this.ready = true;
      if (this.pending) this.armWatchdog();
      return;
    }
    const pending = this.pending;
    if (!pending || reply.batch !== pending.batch) return;
    this.armWatchdog();
    if (reply.type !== 'result') return;
    pending.completed++;
    pending.onResult(reply.index, reply.analysis);
    if (pending.completed === pending.total) {
      this.pending = undefined;
      this.clearWatchdog();
      this.worker.unref();
      pending.resolve();
    }
  }

  /**
   * The watchdog restarts with every reply: it bounds the time spent on any one file. Loading the
   * worker (a cold start under a busy machine, or tsx compiling it from source) is not a file's
   * fault, so until the worker says it is ready the longer start-up limit applies.
   */
  private armWatchdog(): void {
    this.clearWatchdog();
    const limit = this.ready ? this.watchdogMs : Math.max(this.watchdogMs, STARTUP_LIMIT_MS);
    this.watchdog = setTimeout(() => {
      this.die('timeout', `score worker gave no answer for ${limit} ms`);
    }, limit);
  }

  private clearWatchdog(): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = undefined;
  }

  private die(kind: WorkerDiedError['kind'], message: string): void {
    if (this.dead && !this.pending) return;
    this.dead = true;
    this.clearWatchdog();
    const pending = this.pending;
    this.pending = undefined;
    if (kind === 'timeout') void this.worker.terminate();
    pending?.reject(new WorkerDiedError(message, kind, pending.completed, this.answered));
  }
}
