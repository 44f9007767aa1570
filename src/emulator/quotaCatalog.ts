/**
 * Bedrock's per-model quotas as Service Quotas names them, the emulator's own table (never the
 * engine's src/core/quotas: if the engine misspells a name, the emulator must not agree). Sources,
 * read 2026-12-02 (docs/emulator.md, *Service Quotas*): quota lists of real accounts (ListServiceQuotas
 * output and Service Quotas catalog dumps published in public repositories, with their L- codes) and the
 * Bedrock User Guide ("Quotas for the bedrock-runtime endpoint", which writes the older "InvokeModel"
 * wording; accounts list "model inference").
 *
 *   On-demand model inference tokens per minute for ${model}         (and … requests per minute …)
 *   Cross-region model inference tokens per minute for ${model}      (and … requests per minute …)
 *   Global cross-region model inference tokens per minute for ${model}
 *   Global cross-region model inference tokens per day for ${model}
 *   Model invocation max tokens per day for ${model}[ (doubled for cross-region calls)]
 *
 * The daily quota of some models carries the suffix " (doubled for cross-region calls)" in accounts'
 * lists (Claude, gpt-oss, Qwen3); Nova's is listed without it.
 */

export type QuotaScope = 'on-demand' | 'cross-region' | 'global';

interface CatalogModel {
  /** The `${model}` part, as accounts list it. */
  name: string;
  /** The daily quota's name ends with " (doubled for cross-region calls)". */
  dailyDoubled?: boolean;
  /** The scopes an account lists per-minute quotas for (sources show these); default on-demand and cross-region. */
  scopes?: readonly QuotaScope[];
  /** Offered through `global.` profiles (has Global cross-region quotas, a global daily one among them). */
  global?: boolean;
  /** Real quota codes where a source shows them, by quota name; the others get a stable made-up code. */
  codes?: Readonly<Record<string, string>>;
}

/** By foundation model id (the profile prefix removed). */
const CATALOG: Readonly<Record<string, CatalogModel>> = {
  'amazon.nova-pro-v1:0': {
    name: 'Amazon Nova Pro',
    codes: {
      'On-demand model inference tokens per minute for Amazon Nova Pro': 'L-CE33604C',
      'Cross-region model inference tokens per minute for Amazon Nova Pro': 'L-C0326783', 'Cross-region model inference requests per minute for Amazon Nova Pro': 'L-ED46B8C5',
    },
  },
  'amazon.nova-lite-v1:0': {
    name: 'Amazon Nova Lite',
    codes: { 'Cross-region model inference tokens per minute for Amazon Nova Lite': 'L-7C42E72A', 'Cross-region model inference requests per minute for Amazon Nova Lite': 'L-89F8391A' },
  },
  'amazon.nova-micro-v1:0': {
    name: 'Amazon Nova Micro',
    codes: {
      'On-demand model inference tokens per minute for Amazon Nova Micro': 'L-CFA4FA0D',
      'Cross-region model inference tokens per minute for Amazon Nova Micro': 'L-DC7FF66C',
      'Cross-region model inference requests per minute for Amazon Nova Micro': 'L-3F110E0F',
    },
  },
  'amazon.nova-2-lite-v1:0': { name: 'Amazon Nova 2 Lite', scopes: ['cross-region', 'global'], global: true, codes: { 'Global cross-region model inference tokens per day for Amazon Nova 2 Lite': 'L-AD940EDE' } },
  'meta.llama3-3-70b-instruct-v1:0': {
    name: 'Meta Llama 3.3 70B Instruct',
    scopes: ['cross-region'],
    codes: { 'Cross-region model inference tokens per minute for Meta Llama 3.3 70B Instruct': 'L-0E7AA8B7' },
  },
  'meta.llama3-2-1b-instruct-v1:0': {
    name: 'Meta Llama 3.2 1B Instruct',
    codes: { 'On-demand model inference tokens per minute for Meta Llama 3.2 1B Instruct': 'L-6F14193C', 'Cross-region model inference tokens per minute for Meta Llama 3.2 1B Instruct': 'L-BD9FDA6F' },
  },
  'meta.llama3-2-3b-instruct-v1:0': {
    name: 'Meta Llama 3.2 3B Instruct',
    codes: { 'On-demand model inference tokens per minute for Meta Llama 3.2 3B Instruct': 'L-A7EDC29B', 'Cross-region model inference tokens per minute for Meta Llama 3.2 3B Instruct': 'L-0B2687F4' },
  },
  'anthropic.claude-sonnet-4-5-20250929-v1:0': {
    name: 'Anthropic Claude Sonnet 4.5 V1',
    scopes: ['cross-region', 'global'],
    dailyDoubled: true,
    global: true,
    codes: {
      'Cross-region model inference tokens per minute for Anthropic Claude Sonnet 4.5 V1': 'L-F4DDD3EB',
      'Cross-region model inference requests per minute for Anthropic Claude Sonnet 4.5 V1': 'L-4A6BFAB1',
      'Global cross-region model inference tokens per minute for Anthropic Claude Sonnet 4.5 V1': 'L-27C57EE8',
      'Global cross-region model inference requests per minute for Anthropic Claude Sonnet 4.5 V1': 'L-DB84CE56',
      'Global cross-region model inference tokens per day for Anthropic Claude Sonnet 4.5 V1': 'L-BC182137',
      'Model invocation max tokens per day for Anthropic Claude Sonnet 4.5 V1 (doubled for cross-region calls)': 'L-381AD9EE',
    },
  },
  'anthropic.claude-haiku-4-5-20251001-v1:0': {
    name: 'Anthropic Claude Haiku 4.5',
    scopes: ['cross-region', 'global'],
    dailyDoubled: true,
    global: true,
    codes: {
      'Cross-region model inference tokens per minute for Anthropic Claude Haiku 4.5': 'L-58BE175A',
      'Cross-region model inference requests per minute for Anthropic Claude Haiku 4.5': 'L-CCA5DF70',
      'Global cross-region model inference tokens per minute for Anthropic Claude Haiku 4.5': 'L-9A11C666',
      'Global cross-region model inference requests per minute for Anthropic Claude Haiku 4.5': 'L-E5084BBA',
      'Global cross-region model inference tokens per day for Anthropic Claude Haiku 4.5': 'L-B5C049AE',
      'Model invocation max tokens per day for Anthropic Claude Haiku 4.5 (doubled for cross-region calls)': 'L-6120CF2D',
    },
  },
  'openai.gpt-oss-120b-1:0': {
    name: 'OpenAI GPT OSS 120B',
    scopes: ['on-demand'],
    dailyDoubled: true,
    codes: {
      'On-demand model inference tokens per minute for OpenAI GPT OSS 120B': 'L-9DC5F595',
      'On-demand model inference requests per minute for OpenAI GPT OSS 120B': 'L-25B50707',
      'Model invocation max tokens per day for OpenAI GPT OSS 120B (doubled for cross-region calls)': 'L-41FDDA6B',
    },
  },
  'qwen.qwen3-32b-v1:0': {
    name: 'Qwen3 32B V1',
    scopes: ['on-demand'],
    dailyDoubled: true,
    codes: {
      'On-demand model inference tokens per minute for Qwen3 32B V1': 'L-B7C52139',
      'On-demand model inference requests per minute for Qwen3 32B V1': 'L-E880C759',
      'Model invocation max tokens per day for Qwen3 32B V1 (doubled for cross-region calls)': 'L-A115DE95',
    },
  },
};

const GEO_PROFILE = /^(?:us|eu|apac|jp|au|ca|us-gov)\./;

/** How a model id is called: through a `global.` profile, a geographic profile, or in one Region. */
export function scopeOf(modelId: string): QuotaScope {
  if (modelId.startsWith('global.')) return 'global';
  return GEO_PROFILE.test(modelId) ? 'cross-region' : 'on-demand';
}

const SCOPE_WORDS: Record<QuotaScope, string> = { 'on-demand': 'On-demand', 'cross-region': 'Cross-region', global: 'Global cross-region' };

export interface CatalogNames {
  /** The per-minute quotas of each scope the model is offered in. */
  perMinute: { scope: QuotaScope; tokens: string; requests: string }[];
  /** The daily quota of a global profile, and the model's own daily quota. */
  globalDaily?: string;
  daily: string;
  /** The code of a name: the real one where known. */
  codeOf(name: string): string | undefined;
}

/** The names an account lists for this model, or undefined when the table does not know it. */
export function catalogNames(modelId: string): CatalogNames | undefined {
  const model = CATALOG[modelId.replace(/^global\./, '').replace(GEO_PROFILE, '')];
  if (!model) return undefined;
  // The scope the id is called in is listed whatever the sources show: the configured model exists.
  const scopes = (['on-demand', 'cross-region', 'global'] as const).filter((s) => (model.scopes ?? ['on-demand', 'cross-region']).includes(s) || s === scopeOf(modelId));
  return {
    perMinute: scopes.map((scope) => ({
      scope,
      tokens: `${SCOPE_WORDS[scope]} model inference tokens per minute for ${model.name}`,
      requests: `${SCOPE_WORDS[scope]} model inference requests per minute for ${model.name}`,
    })),
    ...(model.global ? { globalDaily: `Global cross-region model inference tokens per day for ${model.name}` } : {}),
    daily: `Model invocation max tokens per day for ${model.name}${model.dailyDoubled ? ' (doubled for cross-region calls)' : ''}`,
    codeOf: (name) => model.codes?.[name],
  };
}
