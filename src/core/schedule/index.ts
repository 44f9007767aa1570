/** The scheduler: per-model queues with Bedrock-exact reservations, two lanes, spillover, fallback. */
export { Dispatcher } from './dispatcher';
export type { DispatcherOptions } from './options';
export type { BatchResult, DispatcherEvent } from './types';
export { dispatchWithRetry, type Dispatched, type FileDispatch, type RunBudget } from './callBatch';
export { QuotaWindow, type Reservation } from './quotaWindow';
export { LearnedQuota, type LearnedQuotaOptions } from './learnedQuota';
export { OutputCapLearner } from './outputCap';
export { ModelQueue, type QueueEntry } from './modelQueue';
export { nextStep, type NextStep, type FailureContext } from './policy';
export { backoffMs } from './backoff';
