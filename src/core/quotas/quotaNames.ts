/**
 * How Service Quotas names Bedrock's per-model token quotas, and which of them govern a model id.
 *
 * Bedrock's quotas are named, not keyed by model id (Bedrock User Guide, "Quotas for the
 * bedrock-runtime endpoint", docs.aws.amazon.com/bedrock/latest/userguide/quotas-runtime.html):
 *   - "On-demand … tokens per minute for ${model}"       a model called in one Region (`amazon.nova-pro-v1:0`)
 *   - "Cross-region … tokens per minute for ${model}"    through a geographic profile (`us.`, `eu.`, `apac.`, …)
 *   - "Global cross-region … tokens per minute for ${model}"  through a `global.` profile
 *   - "Model invocation max tokens per day for ${model}" the daily quota (by default TPM × 1,440;
 *     some models' name ends "(doubled for cross-region calls)", read as the same quota;
 *     "New AWS accounts might receive reduced quotas"); global profiles have their own
 *     "Global cross-region model inference tokens per day for ${model}".
 * The middle words changed over time: accounts list "model inference" ("On-demand model inference
 * tokens per minute for Amazon Nova Pro", quota code L-CE33604C) while the current guide writes
 * "InvokeModel"; both are read. Each scope also has a requests-per-minute quota ("On-demand model
 * inference requests per minute for ${model}", small on new accounts), read beside the tokens.
 * Latency-optimized quotas ("On-Demand, latency-optimized …") govern another kind of call and are
 * left out.
 */

export type InferenceScope = 'on-demand' | 'cross-region' | 'global';
export type QuotaMetric = 'tokensPerMinute' | 'tokensPerDay' | 'requestsPerMinute';

/** Geographic inference-profile prefixes (cross-Region inference); `global.` is its own scope. */
const GEO_PREFIX = /^(?:us|eu|apac|jp|au|ca|us-gov)\./;

export function inferenceScope(modelId: string): InferenceScope {
  if (modelId.startsWith('global.')) return 'global';
  return GEO_PREFIX.test(modelId) ? 'cross-region' : 'on-demand';
}

/** The foundation model behind an id: the profile prefix removed. */
export function baseModelId(modelId: string): string {
  return modelId.replace(/^global\./, '').replace(GEO_PREFIX, '');
}

/**
 * The `${model}` part of the quota names, by foundation model id. Only names seen in accounts'
 * quota lists (public reports of ListServiceQuotas output and the General Reference's Bedrock
 * table, docs.aws.amazon.com/general/latest/gr/bedrock.html); a model missing here is reported
 * as "quota name unknown", never guessed.
 */
export const QUOTA_MODEL_NAMES: Readonly<Record<string, string>> = {
  'amazon.nova-pro-v1:0': 'Amazon Nova Pro',
  'amazon.nova-lite-v1:0': 'Amazon Nova Lite',
  'amazon.nova-micro-v1:0': 'Amazon Nova Micro',
  'amazon.nova-premier-v1:0': 'Amazon Nova Premier V1',
  'amazon.nova-2-lite-v1:0': 'Amazon Nova 2 Lite',
  'meta.llama3-3-70b-instruct-v1:0': 'Meta Llama 3.3 70B Instruct',
  'meta.llama3-2-1b-instruct-v1:0': 'Meta Llama 3.2 1B Instruct',
  'meta.llama3-2-3b-instruct-v1:0': 'Meta Llama 3.2 3B Instruct',
  'anthropic.claude-sonnet-4-5-20250929-v1:0': 'Anthropic Claude Sonnet 4.5 V1',
};

export function quotaModelName(modelId: string): string | undefined {
  return QUOTA_MODEL_NAMES[baseModelId(modelId)];
}

export interface ParsedQuotaName {
  scope: InferenceScope | 'any';
  metric: QuotaMetric;
  /** The `${model}` part, as written. */
  model: string;
}

const SCOPED = /^(global cross-region|cross-region|on-demand) (?:model inference|invokemodel) (tokens per minute|tokens per day|requests per minute) for (.+)$/i;
const METRICS: Record<string, QuotaMetric> = { 'tokens per minute': 'tokensPerMinute', 'tokens per day': 'tokensPerDay', 'requests per minute': 'requestsPerMinute' };
const DAILY = /^model invocation max tokens per day for (.+?)(?: \(doubled for cross-region calls\))?$/i;

/** The token or request quota a Service Quotas name describes, or undefined for any other quota. */
export function parseQuotaName(name: string): ParsedQuotaName | undefined {
  const text = name.trim().replace(/\s+/g, ' ');
  const scoped = SCOPED.exec(text);
  if (scoped) {
    const words = scoped[1]!.toLowerCase();
    const scope: InferenceScope = words === 'global cross-region' ? 'global' : (words as InferenceScope);
    return { scope, metric: METRICS[scoped[2]!.toLowerCase()]!, model: scoped[3]!.trim() };
  }
  const daily = DAILY.exec(text);
  return daily ? { scope: 'any', metric: 'tokensPerDay', model: daily[1]!.trim() } : undefined;
}

const SCOPE_WORDS: Record<InferenceScope, string> = {
  'on-demand': 'On-demand',
  'cross-region': 'Cross-region',
  global: 'Global cross-region',
};

/**
 * The names under which the account lists `modelId`'s quotas, as accounts show them: what the
 * emulator serves, and what `chorus quotas` prints when one is missing.
 */
export function quotaNamesFor(modelId: string): { tokensPerMinute: string; tokensPerDay: string; requestsPerMinute: string } | undefined {
  const model = quotaModelName(modelId);
  if (model === undefined) return undefined;
  const scope = inferenceScope(modelId);
  return {
    tokensPerMinute: `${SCOPE_WORDS[scope]} model inference tokens per minute for ${model}`,
    tokensPerDay: scope === 'global' ? `Global cross-region model inference tokens per day for ${model}` : `Model invocation max tokens per day for ${model}`,
    requestsPerMinute: `${SCOPE_WORDS[scope]} model inference requests per minute for ${model}`,
  };
}
