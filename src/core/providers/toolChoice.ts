/**
 * Which models accept a forced tool choice (`toolChoice: {tool: {name}}`). Nova, Claude and most
 * others do; Meta's Llama models on Bedrock accept only `auto` (forcing is a ValidationException), so
 * they get `auto` and answer with the findings JSON in text. Decided here, once, from the model id;
 * a config's `toolChoice` overrides it, and the provider falls back to `auto` if the service refuses.
 */
export function defaultToolChoice(modelId: string): 'tool' | 'auto' {
  return /(^|[.:/])meta\.|llama/i.test(modelId) ? 'auto' : 'tool';
}

/** Whether a ValidationException message says the model does not support the requested tool choice. */
export function isToolChoiceUnsupported(message: string): boolean {
  return /tool.?choice|toolChoice/i.test(message) && /support|allow|invalid|not/i.test(message);
}
