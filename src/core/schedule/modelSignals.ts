/**
 * What a model's calls have taught so far, and the state its queue admits by: the quota window, the
 * learned quota, concurrency and output cap, the cooldown after throttles, and whether the endpoint
 * answers at all. ModelQueue (modelQueue.ts) extends it with the lanes and the admission.
 */
import type { Clock } from '../clock';
import type { ModelConfig } from '../config/types';
import { backoffMs } from './backoff';
import { LearnedConcurrency } from './concurrency';
import { LearnedQuota } from './learnedQuota';
import { LearnedRequests } from './learnedRequests';
import { DEFAULT_MAX_CONCURRENCY } from './options';
import { OutputCapLearner } from './outputCap';
import { QuotaWindow, type Reservation } from './quotaWindow';
import { throttleLimitOf } from '../providers/classify';
import type { ProviderError } from '../providers/provider';

export interface ModelQueueOptions {
  clock: Clock;
  random: () => number;
  maxConcurrency?: number;
  /** Extra emulated ms each reservation is kept past the 60 s window (see QuotaWindow). */
  windowGuardMs?: number;
  /** Probe above the highest window level the service accepted, one call per this many ms (QuotaWindow); 0: off. */
  quotaProbeMs?: number;
  /** Share of the quota background work leaves to interactive work: INTERACTIVE_RESERVE, or 0 (default). */
  interactiveReserve?: number;
  /** Admit smaller entries behind a head that does not fit (bounded bypass); default true. */
  fillWindow?: boolean;
}

export class ModelSignals {
  readonly window: QuotaWindow;
  readonly quota: LearnedQuota;
  /** Requests per minute, learned from "Too many requests" throttles under the configured ceiling. */
  readonly requests: LearnedRequests;
  readonly outputCap: OutputCapLearner;
  /** Calls in flight at most, learned from 503 "Too many connections" (see concurrency.ts). */
  readonly concurrency: LearnedConcurrency;
  inFlight = 0;
  disabledReason: string | undefined;
  /**
   * Whether the model's endpoint has answered anything in this dispatcher's life: a response, a
   * service error, even a dropped connection. A model that never has leaves the run after one call
   * with no answer at all (timeout, refused, no DNS name) instead of burning a timeout per retry.
   */
  answered = false;
  /** Set when the model left the run because it never answered. */
  unreachable = false;
  protected readonly clock: Clock;
  protected readonly random: () => number;
  protected cooldownUntil = 0;
  private consecutiveThrottles = 0;

  constructor(
    readonly model: ModelConfig,
    options: ModelQueueOptions,
  ) {
    this.clock = options.clock;
    this.random = options.random;
    const maxConcurrency = options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY;
    if (!(maxConcurrency >= 1)) throw new TypeError(`Expected maxConcurrency ≥ 1, got ${String(options.maxConcurrency)}`);
    this.concurrency = new LearnedConcurrency(maxConcurrency);
    this.window = new QuotaWindow(this.clock, 60_000, options.windowGuardMs ?? 0, options.quotaProbeMs ?? 0);
    this.quota = new LearnedQuota(model.tokensPerMinute);
    this.requests = new LearnedRequests(model.requestsPerMinute ?? Infinity);
    this.outputCap = new OutputCapLearner(model);
  }

  get id(): string {
    return this.model.id;
  }

  /** Requests per minute admission keeps to: the configured ceiling or the learned limit (Infinity: none known). */
  get requestsPerMinute(): number {
    return this.requests.value;
  }

  /**
   * A call under `reservation` was throttled: release it, and learn from the limit the throttle
   * names (classify.ts throttleLimitOf) — "Too many requests" sets the request limit to what the
   * window held and leaves the token quota alone (the tokens were not what was full); any other
   * lowers the effective token quota, never below what the window holds of the calls the service
   * did accept. Either way the model pauses briefly (jittered).
   */
  noteThrottle(reservation: Reservation, error?: Pick<ProviderError, 'kind' | 'code' | 'message'>): void {
    if (error && throttleLimitOf(error) === 'requests') {
      this.window.refuseRequest(reservation);
      this.requests.onThrottle(this.clock.now(), this.window.requestsHeldAt(reservation.at));
    } else {
      const asked = reservation.tokens;
      this.window.settle(reservation, 0);
      // What the service held is at least what it accepted before this refusal (the proven level),
      // not only what is proven now: under a slow event loop (measured at 30× on a loaded machine,
      // transit p95 ~2 s) most of a full window is still unproven, and a timing-edge refusal at the
      // real quota halved it and rested there 5 minutes (small-quota bench: 0.61). A quota that really
      // fell shows at the next call, whose refusal measures it (this one lowered the proven level).
      const known = this.window.lastRefusal?.provenBefore ?? 0;
      // What our window held beside it (in flight too): nothing → the quota left is below this one
      // call; nearly the quota → the service counted it a little above our estimate (learnedQuota.ts).
      this.quota.onThrottle(this.clock.now(), Math.max(this.window.acceptedTokens(), known), { asked, held: this.window.usage().tokens });
    }
    this.consecutiveThrottles++;
    this.cooldownUntil = Math.max(this.cooldownUntil, this.clock.now() + backoffMs(this.consecutiveThrottles - 1, this.random, 500, 30_000));
  }

  noteSuccess(): void {
    this.quota.onSuccess(this.clock.now());
    this.requests.onSuccess(this.clock.now());
    this.concurrency.onSuccess();
    this.consecutiveThrottles = 0;
    this.answered = true;
  }

  /**
   * A call that started at `startedAt` got 503 "Too many connections" (call this before `finish`
   * releases its slot, so that it counts as in flight): halve the concurrency toward what was in
   * flight. Not a quota signal: the learned quota stays.
   */
  noteTooManyConnections(startedAt: number): void {
    this.concurrency.onTooMany(startedAt, this.inFlight, this.clock.now());
  }
}
