/**
 * Defaults: the seed's pair of models (Nova Pro for complex groups, Llama 3.3 70B for the rest) with
 * the blog post's quotas, in us-east-1.
 */
import type { ChorusConfig, ModelConfig } from './types';

export const NOVA_PRO_ID = 'us.amazon.nova-pro-v1:0';
export const LLAMA_33_70B_ID = 'us.meta.llama3-3-70b-instruct-v1:0';

/**
 * Settings of well-known models: a config that names one of these ids may leave any field out.
 * Prices are on-demand USD per 1,000 tokens (us-east-1); output limits are Bedrock's.
 */
export const KNOWN_MODELS: Readonly<Record<string, ModelConfig>> = {
  [NOVA_PRO_ID]: {
    id: NOVA_PRO_ID,
    label: 'Nova Pro',
    tokensPerMinute: 100_000,
    maxKbPerBatch: 350,
    maxOutputTokens: 10_000,
    minComplexity: 0.7,
    contextTokens: 300_000,
    costPer1kInput: 0.0008,
    costPer1kOutput: 0.0032,
  },
  [LLAMA_33_70B_ID]: {
    id: LLAMA_33_70B_ID,
    label: 'Llama 3.3 70B',
    tokensPerMinute: 60_000,
    maxKbPerBatch: 200,
    maxOutputTokens: 8_192,
    minComplexity: 0,
    contextTokens: 128_000,
    costPer1kInput: 0.00072,
    costPer1kOutput: 0.00072,
  },
  'us.amazon.nova-lite-v1:0': {
    id: 'us.amazon.nova-lite-v1:0',
    label: 'Nova Lite',
    tokensPerMinute: 80_000,
    maxKbPerBatch: 200,
    maxOutputTokens: 10_000,
    minComplexity: 0,
    contextTokens: 300_000,
    costPer1kInput: 0.00006,
    costPer1kOutput: 0.00024,
  },
};

/** Sources that are never worth sending to a model: dependencies, build output, VCS data, locks. */
export const DEFAULT_EXCLUDE: readonly string[] = [
  '**/node_modules/**',
  '**/.git/**',
  '**/dist/**',
  '**/out/**',
  '**/build/**',
  '**/coverage/**',
  '**/.vscode-test/**',
  '**/vendor/**',
  '**/__pycache__/**',
  '**/.venv/**',
  '**/target/**',
  '**/*.min.js',
  '**/*.map',
  '**/package-lock.json',
  '**/yarn.lock',
  '**/pnpm-lock.yaml',
  '**/Cargo.lock',
  '**/poetry.lock',
  '**/go.sum',
];

export function defaultConfig(): ChorusConfig {
  return {
    region: 'us-east-1',
    include: ['**/*'],
    exclude: [...DEFAULT_EXCLUDE],
    maxFileKb: 512,
    models: [{ ...KNOWN_MODELS[NOVA_PRO_ID]! }, { ...KNOWN_MODELS[LLAMA_33_70B_ID]! }],
    budget: {},
    spillover: true,
  };
}
