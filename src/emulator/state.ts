/**
 * Everything one running emulator knows, shared by its handlers: models, quota windows, the
 * ledger of requests, the fault plan and the clock. Built once by startEmulator.
 */
import { ScaledClock, type Clock } from '../core/clock';
import { resolveModel, type EmulatorConfig, type ResolvedModel } from './config';
import { FaultPlan } from './faults';
import { ForeignTenant } from './foreignTenant';
import { Ledger, type EmulatorStats } from './ledger';
import { ModelLimits } from './limits';
import { QuotaWindow } from './quota';

export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

export class EmulatorState {
  readonly models = new Map<string, ResolvedModel>();
  readonly quotas = new Map<string, QuotaWindow>();
  /** Tokens per day and calls in flight, per model (limits.ts). */
  readonly limits = new Map<string, ModelLimits>();
  readonly ledger: Ledger;
  readonly faults: FaultPlan;
  readonly startedAt: number;
  /** Aborted by close(): wakes every sleeping request so nothing outlives the emulator. */
  readonly shutdown = new AbortController();
  private seq = 0;

  constructor(
    readonly config: EmulatorConfig,
    readonly clock: Clock,
  ) {
    for (const m of config.models) {
      const model = resolveModel(m);
      this.models.set(model.id, model);
      const quota = new QuotaWindow(model.tokensPerMinute, model.requestsPerMinute);
      if (model.foreignTokensPerMinute > 0) quota.foreign = new ForeignTenant(model.foreignTokensPerMinute);
      this.quotas.set(model.id, quota);
      this.limits.set(model.id, new ModelLimits(model.tokensPerDay, model.maxConcurrency));
    }
    this.ledger = new Ledger(this.quotas);
    this.faults = new FaultPlan(config.faults ?? [], config.seed ?? 1);
    this.startedAt = clock.now();
  }

  get maxBodyBytes(): number {
    return this.config.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  }

  nextSeq(): number {
    return ++this.seq;
  }

  stats(): EmulatorStats {
    const stats = this.ledger.stats(this.clock.now(), this.startedAt);
    if (this.clock instanceof ScaledClock) stats.timeScale = this.clock.scale;
    return stats;
  }

  /** Emulated seconds since start (the unit of fault windows). */
  secondsSinceStart(): number {
    return (this.clock.now() - this.startedAt) / 1000;
  }
}
