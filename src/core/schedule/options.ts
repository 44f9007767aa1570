/** The dispatcher's options, checked at construction so a mistake fails at once with what was expected. */
import type { Clock } from '../clock';
import type { ModelConfig } from '../config/types';
import type { Logger } from '../logger';
import type { ModelProvider } from '../providers/provider';
import { SYSTEM_PROMPT } from '../contract';
import { PRIOR_RATIO } from './calibration';

/** Calls in flight per model when DispatcherOptions.maxConcurrency is not set. */
export const DEFAULT_MAX_CONCURRENCY = 32;

export interface DispatcherOptions {
  models: ModelConfig[];
  providerFor: (modelId: string) => ModelProvider;
  clock?: Clock;
  logger?: Logger;
  /** Let a batch move to another model when its preferred model's backlog would finish later; default true. */
  spillover?: boolean;
  /** System prompt; default the contract's SYSTEM_PROMPT. */
  system?: string;
  /** Project guidance added to every prompt (config.instructions). */
  instructions?: string;
  /**
   * The planner's cap on a batch's input tokens, when the engine sets one below each model's budget
   * (EngineOptions.maxBatchInputTokens): a head grown with the lines of the batch behind it (joint.ts)
   * stays within it, as the planner would have packed it. Default: none.
   */
  maxBatchInputTokens?: number;
  /** Transient-error retries per model before a batch moves on; default 2. */
  retryBudget?: number;
  /** Emulated ms before a call without answer is abandoned (a transient TimeoutError); default 120,000. */
  requestTimeoutMs?: number;
  /**
   * Where calls go (an endpoint URL or "Bedrock Runtime in us-east-1"), named in the message when a
   * model does not answer at all; default "the models' endpoint".
   */
  destination?: string;
  /** Source of jitter; seed it in tests. Default Math.random. */
  random?: () => number;
  /** Throttles one batch may meet before it fails; default 12. */
  maxThrottles?: number;
  /** Calls in flight per model at most; default 32. */
  maxConcurrency?: number;
  /**
   * Emulated ms each reservation is kept past the 60 s window, covering the time a request takes to
   * reach the service (whose window starts on arrival). Default: 1 s or 25 real ms, whichever is more
   * (at a time scale of 600, 25 real ms are 15 emulated seconds).
   */
  windowGuardMs?: number;
  /**
   * Above the highest window level a model's service has accepted, admit one call at a time (the next
   * once the last is `windowGuardMs` old without a refusal), so a quota lower than configured shows as
   * one throttle, not a burst of them (quotaWindow.ts). Default false (tests with fake providers
   * assume a window filled at once); the engine and the benchmark turn it on.
   */
  probeQuota?: boolean;
  /**
   * Learn each model's token count from its answers and reserve by it (calibration.ts); default
   * true. Off only to measure what calibration is worth (the benchmark's "no calibration" rows).
   */
  calibrate?: boolean;
  /**
   * The token ratio assumed before a model's first answer (calibration.ts PRIOR_RATIO by default;
   * 1 without calibration). A test whose fake service counts exactly the estimate says 1.
   */
  priorTokenRatio?: number;
  /**
   * The host has an interactive source (the extension's saves, Analyze Current File): background work
   * leaves INTERACTIVE_RESERVE of each quota free so a save starts during a burst. Default false (the
   * CLI: a reserve nobody uses is quota left idle).
   */
  interactiveReserve?: boolean;
  /**
   * When a queue's head does not fit the room left in its model's window, start smaller batches behind
   * it that do (a bounded bypass, modelQueue.ts MAX_BYPASS). Default true; false is strict
   * head-of-line admission, kept to measure what filling the window is worth.
   */
  fillWindow?: boolean;
}

function expect(ok: boolean, field: string, expected: string, got: unknown): void {
  if (!ok) throw new TypeError(`Dispatcher: expected options.${field} to be ${expected}, got ${typeof got === 'string' ? JSON.stringify(got) : String(got)}`);
}

export function validateDispatcherOptions(o: DispatcherOptions): void {
  if (typeof o !== 'object' || o === null) throw new TypeError(`Dispatcher: expected an options object, got ${String(o)}`);
  expect(Array.isArray(o.models) && o.models.length > 0, 'models', 'a non-empty array of model configs', o.models);
  const ids = new Set<string>();
  o.models.forEach((m, i) => {
    expect(typeof m?.id === 'string' && m.id !== '', `models[${i}].id`, 'a non-empty string', m?.id);
    expect(!ids.has(m.id), `models[${i}].id`, 'unique', m.id);
    ids.add(m.id);
    expect(typeof m.tokensPerMinute === 'number' && m.tokensPerMinute > 0, `models[${i}].tokensPerMinute`, 'a positive number', m.tokensPerMinute);
    expect(typeof m.maxKbPerBatch === 'number' && m.maxKbPerBatch > 0, `models[${i}].maxKbPerBatch`, 'a positive number', m.maxKbPerBatch);
  });
  expect(typeof o.providerFor === 'function', 'providerFor', 'a function', o.providerFor);
  const nonNegInt = (v: unknown) => v === undefined || (typeof v === 'number' && Number.isInteger(v) && v >= 0);
  const positive = (v: unknown) => v === undefined || (typeof v === 'number' && v > 0);
  expect(nonNegInt(o.retryBudget), 'retryBudget', 'an integer ≥ 0', o.retryBudget);
  expect(nonNegInt(o.maxThrottles), 'maxThrottles', 'an integer ≥ 0', o.maxThrottles);
  expect(positive(o.requestTimeoutMs), 'requestTimeoutMs', 'a positive number of ms', o.requestTimeoutMs);
  expect(o.windowGuardMs === undefined || (typeof o.windowGuardMs === 'number' && o.windowGuardMs >= 0), 'windowGuardMs', 'a number of ms ≥ 0', o.windowGuardMs);
  expect(positive(o.maxConcurrency), 'maxConcurrency', 'a positive number', o.maxConcurrency);
  expect(o.random === undefined || typeof o.random === 'function', 'random', 'a function returning [0, 1)', o.random);
  expect(o.destination === undefined || typeof o.destination === 'string', 'destination', 'a string', o.destination);
  expect(o.calibrate === undefined || typeof o.calibrate === 'boolean', 'calibrate', 'a boolean', o.calibrate);
  expect(o.probeQuota === undefined || typeof o.probeQuota === 'boolean', 'probeQuota', 'a boolean', o.probeQuota);
  expect(o.maxBatchInputTokens === undefined || (typeof o.maxBatchInputTokens === 'number' && o.maxBatchInputTokens > 0), 'maxBatchInputTokens', 'a positive number', o.maxBatchInputTokens);
  expect(o.fillWindow === undefined || typeof o.fillWindow === 'boolean', 'fillWindow', 'a boolean', o.fillWindow);
  expect(o.interactiveReserve === undefined || typeof o.interactiveReserve === 'boolean', 'interactiveReserve', 'a boolean', o.interactiveReserve);
  expect(o.priorTokenRatio === undefined || (typeof o.priorTokenRatio === 'number' && o.priorTokenRatio >= 0.5 && o.priorTokenRatio <= 3), 'priorTokenRatio', 'a number from 0.5 to 3', o.priorTokenRatio);
}

/** The options with their defaults filled in (clock, logger and destination the dispatcher takes itself). */
export type ResolvedDispatcherOptions = Required<Omit<DispatcherOptions, 'clock' | 'logger' | 'instructions' | 'destination' | 'maxBatchInputTokens'>> & { instructions: string | undefined; maxBatchInputTokens: number };

/** Defaults, as docs/scheduler.md and the fields above describe them; `clock` sets the window guard's default. */
export function resolveDispatcherOptions(options: DispatcherOptions, clock: Clock): ResolvedDispatcherOptions {
  return {
    models: options.models,
    providerFor: options.providerFor,
    spillover: options.spillover ?? true,
    system: options.system ?? SYSTEM_PROMPT,
    instructions: options.instructions,
    maxBatchInputTokens: options.maxBatchInputTokens ?? Number.POSITIVE_INFINITY,
    retryBudget: options.retryBudget ?? 2,
    requestTimeoutMs: options.requestTimeoutMs ?? 120_000,
    random: options.random ?? Math.random,
    maxThrottles: options.maxThrottles ?? 12,
    maxConcurrency: options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY,
    windowGuardMs: options.windowGuardMs ?? Math.max(1_000, 25 / clock.toRealMs(1)),
    calibrate: options.calibrate ?? true,
    priorTokenRatio: options.priorTokenRatio ?? (options.calibrate === false ? 1 : PRIOR_RATIO),
    interactiveReserve: options.interactiveReserve ?? false,
    fillWindow: options.fillWindow ?? true,
    probeQuota: options.probeQuota ?? false,
  };
}
