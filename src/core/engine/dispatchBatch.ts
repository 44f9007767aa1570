/**
 * Where the engine hands the dispatcher a batch and gets per-file outcomes back. The call stage that
 * does it (budget admission, answer reading, halving on overflow) lives in schedule/: callBatch.ts,
 * callAnswer.ts, callOverflow.ts. engine/budget.ts's Budget is the RunBudget it takes.
 */
export { dispatchWithRetry, type Dispatched, type FileDispatch, type RunBudget } from '../schedule/callBatch';
