export * from './provider';
export { classifyError } from './classify';
export { createBedrockProviders, buildConverseInput, mapConverseOutput, socketsForModels, DEFAULT_MAX_SOCKETS, type BedrockProviderOptions } from './bedrock';
export { outputLimitIn } from './outputLimit';
export { defaultToolChoice, isToolChoiceUnsupported } from './toolChoice';
