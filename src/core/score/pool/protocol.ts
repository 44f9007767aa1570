/** Messages between the pool and a scoring worker (structured-clone plain data only). */
import type { AnalyzeOptions } from '../analyzeFile';
import type { FileAnalysis } from '../types';

export interface WorkerFile { path: string; text: string; bytes: number }

export interface AnalyzeRequest {
  type: 'analyze';
  batch: number;
  files: WorkerFile[];
  options: AnalyzeOptions;
}

/** One file done: `index` within the request's files. */
export interface ResultMessage { type: 'result'; batch: number; index: number; analysis: FileAnalysis }

/** Still alive: sent after slow one-off work (compiling a grammar) so the watchdog does not fire. */
export interface AliveMessage { type: 'alive'; batch: number }

/** Posted once when the worker has loaded: until then the (generous) start-up limit applies. */
export interface ReadyMessage { type: 'ready' }

export type WorkerReply = ResultMessage | AliveMessage | ReadyMessage;
