/**
 * The four workloads of issue 9, and issue 14's tokenizer skew and another tenant. Each names the
 * models the *emulator* enforces (the true quotas), how the strategies are *configured* (possibly
 * wrong), how the emulator counts and who else spends its quotas, whether saves arrive during the
 * burst, and which strategies run it.
 */
import { KNOWN_MODELS, LLAMA_33_70B_ID, NOVA_PRO_ID } from '../src/core/config';
import type { ModelConfig } from '../src/core/config/types';

export const NOVA_LITE_ID = 'us.amazon.nova-lite-v1:0';

export type WorkloadKey = 'burst' | 'saves' | 'wrong-quotas' | 'three-models' | 'tokenizer-skew-1.3' | 'tokenizer-skew-0.8' | 'foreign-tenant' | 'connections-limited' | 'small-quota' | 'small-quota-three' | 'shared-account' | 'back-to-back' | 'rpm-limited';
export type StrategyKey = 'one-model' | 'original' | 'round-robin' | 'chorus' | 'chorus-small' | 'chorus-uncalibrated' | 'chorus-hol';

/** `--workloads tokenizer-skew` runs both skews, `--workloads small` both small-quota workloads. */
export const WORKLOAD_GROUPS: Record<string, WorkloadKey[]> = { 'tokenizer-skew': ['tokenizer-skew-1.3', 'tokenizer-skew-0.8'], small: ['small-quota', 'small-quota-three'] };

export interface Workload {
  key: WorkloadKey;
  label: string;
  /** True quotas, enforced by the emulator. */
  models: ModelConfig[];
  /** What the strategies are told; the same as `models` unless the workload lies about quotas. */
  configured: ModelConfig[];
  withSaves: boolean;
  strategies: StrategyKey[];
  /**
   * How the emulator counts and who else spends: `tokenRatio` its tokens per token of the engine's
   * estimate for every model (absent: each family's own, src/emulator/tokenizer.ts), `foreignShare`
   * the share of each quota another tenant spends. Utilization is measured against what is left.
   */
  emulator?: { tokenRatio?: number; foreignShare?: number; maxConcurrency?: Record<string, number> };
}

const known = (id: string): ModelConfig => ({ ...KNOWN_MODELS[id]! });
const doubled = (m: ModelConfig): ModelConfig => ({ ...m, tokensPerMinute: m.tokensPerMinute * 2 });
const quota = (m: ModelConfig, tokensPerMinute: number): ModelConfig => ({ ...m, tokensPerMinute });

export function workloads(): Workload[] {
  const pair = [known(NOVA_PRO_ID), known(LLAMA_33_70B_ID)];
  const trio = [...pair, known(NOVA_LITE_ID)];
  const all: StrategyKey[] = ['one-model', 'original', 'round-robin', 'chorus'];
  // Issue 15: what new accounts get, a few thousand to ~20k tokens/min per model (batches are then
  // a large share of each window: the admission's packing and the tail decide the makespan).
  const smallPair = [quota(known(NOVA_PRO_ID), 15_000), quota(known(LLAMA_33_70B_ID), 8_000)];
  const smallTrio = [quota(known(NOVA_PRO_ID), 12_000), quota(known(LLAMA_33_70B_ID), 8_000), quota(known(NOVA_LITE_ID), 5_000)];
  return [
    { key: 'burst', label: 'Burst', models: pair, configured: pair, withSaves: false, strategies: [...all, 'chorus-hol', 'chorus-small'] },
    { key: 'saves', label: 'Saves during burst', models: pair, configured: pair, withSaves: true, strategies: [...all, 'chorus-hol', 'chorus-small'] },
    { key: 'wrong-quotas', label: 'Wrong quotas (2× configured)', models: pair, configured: pair.map(doubled), withSaves: false, strategies: ['chorus', 'chorus-small'] },
    // One model and the original (defined for two models) are the same as in the burst: not rerun.
    { key: 'three-models', label: 'Three models (+ Nova Lite)', models: trio, configured: trio, withSaves: false, strategies: ['round-robin', 'chorus', 'chorus-small'] },
    // Issue 14: the service counts tokens its own way; Chorus learns the ratio, "no calibration" reserves by the estimate.
    { key: 'tokenizer-skew-1.3', label: 'Tokenizer skew (service counts 1.3×)', models: pair, configured: pair, withSaves: false, strategies: ['chorus', 'chorus-uncalibrated'], emulator: { tokenRatio: 1.3 } },
    { key: 'tokenizer-skew-0.8', label: 'Tokenizer skew (service counts 0.8×)', models: pair, configured: pair, withSaves: false, strategies: ['chorus', 'chorus-uncalibrated'], emulator: { tokenRatio: 0.8 } },
    // Another tenant spends a quarter of each quota (and each family counts its own way): util. is of the 75 % left.
    { key: 'small-quota', label: 'Small quotas (15k + 8k tokens/min)', models: smallPair, configured: smallPair, withSaves: false, strategies: ['chorus', 'chorus-hol'] },
    { key: 'small-quota-three', label: 'Small quotas, three models (12k + 8k + 5k)', models: smallTrio, configured: smallTrio, withSaves: false, strategies: ['chorus', 'chorus-hol'] },
    // Issue 19: the service allows Nova Pro only 3 calls in flight (503 "Too many connections" past them); Chorus starts at 32 and must learn it.
    { key: 'connections-limited', label: 'Connections-limited model (Nova Pro: 3 in flight)', models: pair, configured: pair, withSaves: false, strategies: ['chorus'], emulator: { maxConcurrency: { [NOVA_PRO_ID]: 3 } } },
    { key: 'foreign-tenant', label: 'Another tenant (25 % of each quota; util. of the rest)', models: pair, configured: pair, withSaves: false, strategies: ['chorus', 'chorus-uncalibrated'], emulator: { foreignShare: 0.25 } },
    // Requests-per-minute quotas as new accounts get them, below what the token quotas' batches need:
    // the emulator refuses the rest with "Too many requests"; Chorus is told nothing about them.
    { key: 'rpm-limited', label: 'Requests-per-minute quotas (Nova Pro 12, Llama 8 a minute; not configured)', models: [{ ...pair[0]!, requestsPerMinute: 12 }, { ...pair[1]!, requestsPerMinute: 8 }], configured: pair, withSaves: false, strategies: ['chorus'] },
  ];
}
