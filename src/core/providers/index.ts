export * from './provider';
export { classifyError } from './classify';
export { createBedrockProviders, buildConverseInput, mapConverseOutput, type BedrockProviderOptions } from './bedrock';
export { defaultToolChoice, isToolChoiceUnsupported } from './toolChoice';
