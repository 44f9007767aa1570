/** The analysis configuration every host maps onto (chorus.config.json, CLI flags, VS Code settings). */

export interface ModelConfig {
  /** Bedrock model or inference-profile id, e.g. `us.amazon.nova-pro-v1:0`. */
  id: string;
  label?: string;
  tokensPerMinute: number;
  /**
   * Set by the config parser when `tokensPerMinute` was left out: a run uses the account's applied
   * quota (src/core/quotas/resolve.ts) and keeps `tokensPerMinute` (the known default) if it cannot read it.
   */
  tokensPerMinuteFromAccount?: boolean;
  requestsPerMinute?: number;
  /** Batch size limit in KB (1 KB = 1,024 bytes of source). */
  maxKbPerBatch: number;
  /** Upper bound for `maxTokens` on a call; the scheduler sizes each call below it. */
  maxOutputTokens?: number;
  /** A group goes to the model with the highest minComplexity not above the group's score. */
  minComplexity?: number;
  /** Context window in tokens; batches are planned to fit. */
  contextTokens?: number;
  costPer1kInput?: number;
  costPer1kOutput?: number;
  /**
   * How the findings tool is requested: `tool` forces it, `auto` lets the model choose (and answer
   * in JSON text). Default: decided from the model id (Llama → auto), see providers/toolChoice.ts.
   */
  toolChoice?: 'tool' | 'auto';
  /**
   * Quota tokens one output token burns (Bedrock's "token burndown rate"): 5 for Claude 3.7 Sonnet
   * and the Claude 4 family, 1 for other models. Default: from the id (schedule/calibration.ts).
   */
  outputBurndown?: number;
  /**
   * Bedrock service tier per lane (`flex` for background work is half price, `priority` for
   * interactive work costs more); absent = Standard. See providers/serviceTier.ts.
   */
  serviceTier?: { interactive?: 'default' | 'priority' | 'flex'; background?: 'default' | 'priority' | 'flex' };
}

export interface BudgetConfig {
  /** Stop dispatching once this many tokens (input + output) were charged in the run. */
  maxTokens?: number;
  /** Stop dispatching once the estimated cost (USD) reaches this. */
  maxCost?: number;
}

export interface ChorusConfig {
  region: string;
  profile?: string;
  /** Custom endpoint (VPC endpoint, the emulator). */
  endpoint?: string;
  include: string[];
  exclude: string[];
  maxFileKb: number;
  instructions?: string;
  models: ModelConfig[];
  budget: BudgetConfig;
  /** Let a batch move to another model when its preferred model's backlog would finish later. */
  spillover: boolean;
}
