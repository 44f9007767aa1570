/**
 * The analysis configuration every host maps onto (chorus.config.json, CLI flags, VS Code settings).
 * The fields, their documentation and their checks are in schema.ts; these are the parsed shapes.
 */
import type { BudgetFields, ConfigFile, ModelFields } from './schema';

export type ModelConfig = Omit<ModelFields, 'tokensPerMinute' | 'maxKbPerBatch'> & {
  /** Given, or the known model's default (see parse.ts). */
  tokensPerMinute: number;
  maxKbPerBatch: number;
  /**
   * Set by the config parser when `tokensPerMinute` was left out: a run uses the account's applied
   * quota (src/core/quotas/resolve.ts) and keeps `tokensPerMinute` (the known default) if it cannot read it.
   */
  tokensPerMinuteFromAccount?: boolean;
};

export type BudgetConfig = BudgetFields;

/** A config file merged onto the defaults: what the file may leave out is always there. */
export type ChorusConfig = Required<Pick<ConfigFile, 'region' | 'include' | 'exclude' | 'maxFileKb' | 'spillover'>>
  & Pick<ConfigFile, 'profile' | 'endpoint' | 'instructions'>
  & { models: ModelConfig[]; budget: BudgetConfig };
