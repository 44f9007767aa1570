/**
 * A lazily started pool of scoring workers. Files are handed out in small batches to whichever
 * worker is idle; each result comes back on its own. When a worker dies its unfinished files go
 * to a fresh worker: the file that was in flight is retried once after a crash, and scored by
 * size only after a second crash or after the watchdog cut it off.
 */
import type { AnalyzeOptions } from '../analyzeFile';
import { sizeOnly } from '../analyzeFile';
import { languageForPath } from '../lang/languages';
import type { FileAnalysis } from '../types';
import type { WorkerFile } from './protocol';
import { WorkerClient, WorkerDiedError } from './workerClient';

export interface PoolOptions {
  size: number;
  script: string;
  analyze: AnalyzeOptions;
  /** Longest silence from a worker before it is stopped (per file, since every result resets it). */
  watchdogMs: number;
  /** Batch limits: enough to amortise messaging, small enough to balance the workers. */
  batchFiles?: number;
  batchBytes?: number;
}

interface Task {
  file: WorkerFile;
  crashes: number;
  settle: (analysis: FileAnalysis) => void;
  cancelled: () => boolean;
}

/** A worker that dies before ever answering this many times in a row means the script is broken. */
const MAX_START_FAILURES = 3;

export class AnalysisPool {
  private readonly clients: WorkerClient[] = [];
  private queue: Task[] = [];
  private startFailures = 0;
  private disposed = false;
  private readonly failRuns = new Set<(err: Error) => void>();

  constructor(private readonly options: PoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 1) {
      throw new TypeError(`AnalysisPool: size must be an integer ≥ 1, got ${String(options.size)}`);
    }
  }

  /**
   * Analyses, in the order of `files`. Rejects only on abort, dispose, or workers that cannot start.
   * `onProgress` is called after each file with the number done so far.
   */
  run(files: WorkerFile[], signal?: AbortSignal, onProgress?: (done: number, total: number) => void): Promise<FileAnalysis[]> {
    if (this.disposed) return Promise.reject(new Error('AnalysisPool: disposed'));
    if (signal?.aborted) return Promise.reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    if (files.length === 0) return Promise.resolve([]);
    return new Promise<FileAnalysis[]>((resolve, reject) => {
      const results = new Array<FileAnalysis>(files.length);
      let remaining = files.length;
      let finished = false;
      const finish = (err?: Error) => {
        if (finished) return;
        finished = true;
        signal?.removeEventListener('abort', onAbort);
        this.failRuns.delete(finish);
        if (err) reject(err);
        else resolve(results);
      };
      const onAbort = () => {
        this.queue = this.queue.filter((task) => !task.cancelled());
        finish(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.failRuns.add(finish);
      for (const [index, file] of files.entries()) {
        this.queue.push({
          file,
          crashes: 0,
          cancelled: () => finished,
          settle: (analysis) => {
            if (finished || results[index]) return;
            results[index] = analysis;
            remaining--;
            onProgress?.(files.length - remaining, files.length);
            if (remaining === 0) finish();
          },
        });
      }
      this.pump();
    });
  }

  /** The live worker threads (tests use this to kill one mid-job). */
  liveWorkers(): readonly import('node:worker_threads').Worker[] {
    return this.clients.filter((c) => !c.isDead).map((c) => c.worker);
  }

  dispose(): void {
    this.disposed = true;
    for (const client of this.clients) client.terminate();
    this.clients.length = 0;
    this.queue = [];
    for (const fail of [...this.failRuns]) fail(new Error('AnalysisPool: disposed'));
  }

  private pump(): void {
    this.queue = this.queue.filter((task) => !task.cancelled());
    while (this.queue.length > 0 && !this.disposed) {
      const client = this.clients.find((c) => c.isIdle) ?? this.spawn();
      if (!client) return;
      this.dispatch(client, this.takeBatch());
    }
  }

  private spawn(): WorkerClient | undefined {
    if (this.clients.length >= this.options.size) return undefined;
    const client = new WorkerClient(this.options.script, this.options.watchdogMs);
    this.clients.push(client);
    return client;
  }

  private takeBatch(): Task[] {
    const maxFiles = this.options.batchFiles ?? 32;
    const maxBytes = this.options.batchBytes ?? 512 * 1024;
    let bytes = 0;
    let count = 0;
    while (count < this.queue.length && count < maxFiles && (count === 0 || bytes < maxBytes)) {
      bytes += this.queue[count]!.file.text.length;
      count++;
    }
    return this.queue.splice(0, count);
  }

  private dispatch(client: WorkerClient, batch: Task[]): void {
    const files = batch.map((task) => task.file);
    client.analyze(files, this.options.analyze, (index, analysis) => {
      this.startFailures = 0;
      batch[index]!.settle(analysis);
    }).then(
      () => this.pump(),
      (err: unknown) => this.recover(client, batch, err),
    );
  }

  private recover(client: WorkerClient, batch: Task[], err: unknown): void {
    const at = this.clients.indexOf(client);
    if (at >= 0) this.clients.splice(at, 1);
    if (this.disposed) return;
    const died = err instanceof WorkerDiedError ? err : new WorkerDiedError(String(err), 'crash', 0, false);
    if (!died.everAnswered && ++this.startFailures >= MAX_START_FAILURES) {
      const failure = new Error(`score workers cannot start (${this.options.script}): ${died.message}`);
      for (const fail of [...this.failRuns]) fail(failure);
      this.queue = [];
      return;
    }
    const [inFlight, ...rest] = batch.slice(died.completed);
    if (inFlight) this.settleInFlight(inFlight, died, rest);
    this.queue.unshift(...rest);
    this.pump();
  }

  private settleInFlight(task: Task, died: WorkerDiedError, rest: Task[]): void {
    const language = languageForPath(task.file.path) ?? 'text';
    if (died.kind === 'timeout') {
      task.settle(sizeOnly(task.file.text, `size-only: cut off after ${this.options.watchdogMs} ms (worker stopped)`, language));
    } else if (++task.crashes >= 2) {
      task.settle(sizeOnly(task.file.text, `size-only: the score worker crashed on this file twice (${died.message})`, language));
    } else {
      rest.unshift(task);
    }
  }
}
