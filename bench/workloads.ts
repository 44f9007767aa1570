/**
 * The four workloads of issue 9. Each names the models the *emulator* enforces (the true quotas),
 * how the strategies are *configured* (possibly wrong), whether saves arrive during the burst, and
 * which strategies run it.
 */
import { KNOWN_MODELS, LLAMA_33_70B_ID, NOVA_PRO_ID } from '../src/core/config';
import type { ModelConfig } from '../src/core/config/types';

export const NOVA_LITE_ID = 'us.amazon.nova-lite-v1:0';

export type WorkloadKey = 'burst' | 'saves' | 'wrong-quotas' | 'three-models';
export type StrategyKey = 'one-model' | 'original' | 'round-robin' | 'chorus' | 'chorus-small';

export interface Workload {
  key: WorkloadKey;
  label: string;
  /** True quotas, enforced by the emulator. */
  models: ModelConfig[];
  /** What the strategies are told; the same as `models` unless the workload lies about quotas. */
  configured: ModelConfig[];
  withSaves: boolean;
  strategies: StrategyKey[];
}

const known = (id: string): ModelConfig => ({ ...KNOWN_MODELS[id]! });
const doubled = (m: ModelConfig): ModelConfig => ({ ...m, tokensPerMinute: m.tokensPerMinute * 2 });

export function workloads(): Workload[] {
  const pair = [known(NOVA_PRO_ID), known(LLAMA_33_70B_ID)];
  const trio = [...pair, known(NOVA_LITE_ID)];
  const all: StrategyKey[] = ['one-model', 'original', 'round-robin', 'chorus'];
  return [
    { key: 'burst', label: 'Burst', models: pair, configured: pair, withSaves: false, strategies: [...all, 'chorus-small'] },
    { key: 'saves', label: 'Saves during burst', models: pair, configured: pair, withSaves: true, strategies: [...all, 'chorus-small'] },
    { key: 'wrong-quotas', label: 'Wrong quotas (2× configured)', models: pair, configured: pair.map(doubled), withSaves: false, strategies: ['chorus', 'chorus-small'] },
    // One model and the original (defined for two models) are the same as in the burst: not rerun.
    { key: 'three-models', label: 'Three models (+ Nova Lite)', models: trio, configured: trio, withSaves: false, strategies: ['round-robin', 'chorus', 'chorus-small'] },
  ];
}
