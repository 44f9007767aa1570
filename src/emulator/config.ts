/**
 * The emulator's configuration: which models it serves, their quotas and latencies, and which
 * faults to inject. The shapes come from the one schema in validate.ts, which checks a config once
 * at start so a typo fails loudly instead of silently serving a model nobody asked for.
 */
import { familyServiceTiers } from './serviceTier';
import type { EmulatorConfigInput, EmulatorFaultInput, EmulatorModelInput, EmulatorServiceQuotasInput } from './validate';
import { familyBpeScale } from './tokenizer';

export type ToolChoiceKind = 'auto' | 'any' | 'tool';
export const TOOL_CHOICE_KINDS: readonly ToolChoiceKind[] = ['auto', 'any', 'tool'];

/** One model the emulator serves: the fields and their meaning are the schema's (validate.ts). */
export type EmulatorModelConfig = Omit<EmulatorModelInput, 'toolChoice'> & {
  /** Accepted `toolChoice` kinds; default all three, Llama-like models only `auto`. */
  toolChoice?: ToolChoiceKind[];
};

export type ServiceTierName = 'default' | 'priority' | 'flex' | 'reserved';
export const SERVICE_TIER_NAMES: readonly ServiceTierName[] = ['default', 'priority', 'flex', 'reserved'];

/** How the emulated Service Quotas answers ListServiceQuotas (serviceQuotas.ts). */
export type EmulatorServiceQuotasConfig = EmulatorServiceQuotasInput;

/** Faults that answer with the service error of the same name instead of a model answer. */
export const ERROR_FAULT_KINDS = [
  'ModelNotReadyException',
  'ServiceUnavailableException',
  'InternalServerException',
  'ModelTimeoutException',
  'ModelErrorException',
  'ExpiredTokenException',
  'ServiceQuotaExceededException',
] as const;

/**
 * Faults that answer 200 with one of Converse's other stop reasons (see faults.ts STOP_REASON_OF):
 * the context window filled (every request, or only those of more than one file), a malformed tool
 * call or output, output blocked by a content filter or a guardrail.
 */
export const STOP_REASON_FAULT_KINDS = [
  'context-window',
  'context-window-multi-file',
  'malformed-tool-use',
  'malformed-model-output',
  'content-filtered',
  'guardrail-intervened',
] as const;

export const FAULT_KINDS = [
  ...ERROR_FAULT_KINDS,
  'throttle',
  'reset',
  'hang',
  'malformed-tool',
  'truncated-tool',
  'prose',
  'foreign-files',
  'lines-past-end',
  'stream-error',
  ...STOP_REASON_FAULT_KINDS,
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export type EmulatorFault = EmulatorFaultInput;

/** The emulator's whole config as validateEmulatorConfig returns it (a single toolChoice made a list). */
export type EmulatorConfig = Omit<EmulatorConfigInput, 'models'> & { models: EmulatorModelConfig[] };

/** A model's settings after family defaults are filled in. */
export interface ResolvedModel extends Required<Omit<EmulatorModelConfig, 'requestsPerMinute' | 'access' | 'tokensPerDay' | 'maxConcurrency' | 'serviceQuota'>> {
  /** `bpe` (the family's real-encoding count) unless the config set a `tokenRatio` (tokenizer.ts). */
  countWith: 'bpe' | 'estimate';
  serviceQuota?: 'unlisted';
  requestsPerMinute?: number;
  tokensPerDay?: number;
  maxConcurrency?: number;
  access?: 'denied';
  family: ModelFamily['name'];
}

export interface ModelFamily {
  name: 'nova-pro' | 'nova-lite' | 'nova-micro' | 'llama3' | 'generic';
  match: RegExp;
  firstTokenMs: number;
  outputTokensPerSecond: number;
  toolChoice: ToolChoiceKind[];
  defaultMaxTokens: number;
  maxOutputTokens: number;
}

/**
 * Latency estimates per family, from public on-demand measurements of these models (order of
 * magnitude, not promises): they only need to make a strong model slower than a light one.
 * `maxOutputTokens` is the real limit, from the "Max output tokens" of each Bedrock model card
 * (Nova Pro/Lite/Micro 5K, Llama 3.x 4K; read 2026-12-01, sources in docs/emulator.md): the same
 * numbers as the engine's MODEL_OUTPUT_LIMITS (a unit test keeps the two equal), so a request the
 * service would refuse is refused here, with the service's message (converse.ts).
 */
export const MODEL_FAMILIES: readonly ModelFamily[] = [
  { name: 'nova-pro', match: /nova-pro/, firstTokenMs: 700, outputTokensPerSecond: 90, toolChoice: ['auto', 'any', 'tool'], defaultMaxTokens: 5000, maxOutputTokens: 5000 },
  { name: 'nova-lite', match: /nova-lite/, firstTokenMs: 400, outputTokensPerSecond: 160, toolChoice: ['auto', 'any', 'tool'], defaultMaxTokens: 5000, maxOutputTokens: 5000 },
  { name: 'nova-micro', match: /nova-micro/, firstTokenMs: 300, outputTokensPerSecond: 210, toolChoice: ['auto', 'any', 'tool'], defaultMaxTokens: 5000, maxOutputTokens: 5000 },
  { name: 'llama3', match: /llama3/, firstTokenMs: 500, outputTokensPerSecond: 60, toolChoice: ['auto'], defaultMaxTokens: 2048, maxOutputTokens: 4096 },
  { name: 'generic', match: /(?:)/, firstTokenMs: 500, outputTokensPerSecond: 80, toolChoice: ['auto', 'any', 'tool'], defaultMaxTokens: 4096, maxOutputTokens: 8192 },
];

export function familyOf(modelId: string): ModelFamily {
  return MODEL_FAMILIES.find((f) => f.match.test(modelId)) ?? MODEL_FAMILIES[MODEL_FAMILIES.length - 1]!;
}

export function resolveModel(model: EmulatorModelConfig): ResolvedModel {
  const family = familyOf(model.id);
  return {
    id: model.id,
    tokensPerMinute: model.tokensPerMinute,
    requestsPerMinute: model.requestsPerMinute,
    firstTokenMs: model.firstTokenMs ?? family.firstTokenMs,
    outputTokensPerSecond: model.outputTokensPerSecond ?? family.outputTokensPerSecond,
    toolChoice: model.toolChoice ?? family.toolChoice,
    access: model.access,
    defaultMaxTokens: model.defaultMaxTokens ?? family.defaultMaxTokens,
    maxOutputTokens: model.maxOutputTokens ?? family.maxOutputTokens,
    tokenRatio: model.tokenRatio ?? familyBpeScale(family.name),
    countWith: model.tokenRatio === undefined ? 'bpe' : 'estimate',
    foreignTokensPerMinute: model.foreignTokensPerMinute ?? 0,
    ...(model.tokensPerDay !== undefined ? { tokensPerDay: model.tokensPerDay } : {}),
    ...(model.maxConcurrency !== undefined ? { maxConcurrency: model.maxConcurrency } : {}),
    ...(model.serviceQuota !== undefined ? { serviceQuota: model.serviceQuota } : {}),
    serviceTiers: model.serviceTiers ?? familyServiceTiers(model.id),
    family: family.name,
  };
}

/** The seed's pair plus a light model: the quotas of the blog post. */
export function defaultEmulatorConfig(): EmulatorConfig {
  return {
    models: [
      { id: 'us.amazon.nova-pro-v1:0', tokensPerMinute: 100_000 },
      { id: 'us.meta.llama3-3-70b-instruct-v1:0', tokensPerMinute: 60_000, toolChoice: ['auto'] },
      { id: 'us.amazon.nova-lite-v1:0', tokensPerMinute: 80_000 },
    ],
  };
}
