/**
 * Defaults: the seed's pair of models (Nova Pro for complex groups, Llama 3.3 70B for the rest) with
 * the blog post's quotas, in us-east-1.
 */
import type { ChorusConfig, ModelConfig } from './types';

export const NOVA_PRO_ID = 'us.amazon.nova-pro-v1:0';
export const LLAMA_33_70B_ID = 'us.meta.llama3-3-70b-instruct-v1:0';

/**
 * The largest `maxTokens` Bedrock accepts per model family, from the "Max output tokens" line of
 * each model card in the Amazon Bedrock User Guide (model-card-amazon-nova-lite, -nova-pro,
 * -nova-micro; model-card-meta-llama-3-1-70b-instruct / -405b-instruct for the Llama 3.x 4K),
 * read 2026-12-01. Above it Converse answers 400 ValidationException "The maximum tokens you
 * requested exceeds the model limit of N…" and the batch would fail. The cards write "5K" and "4K":
 * we read the lower plausible value (5,000, and 4,096 as Llama's tokenizer-sized limits are),
 * because a cap slightly too low only costs a retry with more room while one too high fails the
 * call. An AWS migration post lists Nova v1 at 10K; if the service accepts more than the card says
 * the only loss is a slightly smaller cap, and if it accepts less the provider learns the limit from
 * the error message (providers/bedrock.ts). Matched anywhere in the id, so in-Region ids
 * (`amazon.nova-pro-v1:0`) and inference profiles (`us.`, `eu.`, `apac.`) share an entry.
 * docs/emulator.md lists the sources; the emulator's family table enforces the same numbers.
 */
export const MODEL_OUTPUT_LIMITS: readonly { readonly match: RegExp; readonly maxOutputTokens: number }[] = [
  { match: /amazon\.nova-(?:pro|lite|micro)-v1/, maxOutputTokens: 5_000 },
  { match: /meta\.llama3(?:-[123])?-/, maxOutputTokens: 4_096 },
];

/** Bedrock's output limit for this model id, or undefined when the table does not know the model. */
export function knownOutputLimit(modelId: string): number | undefined {
  return MODEL_OUTPUT_LIMITS.find((l) => l.match.test(modelId))?.maxOutputTokens;
}

/**
 * A configured `maxOutputTokens` above the model's real limit is clamped, not refused: the limit is
 * a fact about the service, not a choice, and a shared config written when a limit was higher (or
 * from a blog post) should still run. This says so, for the host to show once per config.
 */
export function outputLimitWarning(model: ModelConfig): string | undefined {
  const limit = knownOutputLimit(model.id);
  if (limit === undefined || model.maxOutputTokens === undefined || model.maxOutputTokens <= limit) return undefined;
  return `${model.id}: maxOutputTokens ${model.maxOutputTokens} is above Bedrock's limit for this model (${limit}); using ${limit}.`;
}

/**
 * Settings of well-known models: a config that names one of these ids may leave any field out.
 * Prices are on-demand USD per 1,000 tokens (us-east-1); output limits from MODEL_OUTPUT_LIMITS.
 */
export const KNOWN_MODELS: Readonly<Record<string, ModelConfig>> = {
  [NOVA_PRO_ID]: {
    id: NOVA_PRO_ID,
    label: 'Nova Pro',
    tokensPerMinute: 100_000,
    maxKbPerBatch: 350,
    maxOutputTokens: knownOutputLimit(NOVA_PRO_ID)!,
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
    maxOutputTokens: knownOutputLimit(LLAMA_33_70B_ID)!,
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
    maxOutputTokens: knownOutputLimit('us.amazon.nova-lite-v1:0')!,
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
  // Chorus's own files (the baseline a dismissal rewrites, rules, instructions): guidance, not source.
  '.chorus/**',
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
    // No config names their quotas, so a run reads the account's (src/core/quotas/resolve.ts).
    models: [{ ...KNOWN_MODELS[NOVA_PRO_ID]!, tokensPerMinuteFromAccount: true }, { ...KNOWN_MODELS[LLAMA_33_70B_ID]!, tokensPerMinuteFromAccount: true }],
    budget: {},
    spillover: true,
  };
}
