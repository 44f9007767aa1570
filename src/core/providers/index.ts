export * from './provider';
export { classifyError } from './classify';
export { createBedrockProviders, buildConverseInput, mapConverseOutput, socketsForModels, DEFAULT_MAX_SOCKETS, type BedrockProviderOptions } from './bedrock';
export { outputLimitIn } from './outputLimit';
export { defaultToolChoice, isToolChoiceUnsupported } from './toolChoice';
export { priceRatio, serviceTierFor, serviceTierWarning, SERVICE_TIERS, SERVICE_TIER_PRICE_RATIO, type ServiceTier } from './serviceTier';
