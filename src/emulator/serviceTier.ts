/**
 * Converse's `serviceTier` ({ "type": "default" | "priority" | "flex" | "reserved" }, the SDK's
 * ServiceTierType). Bedrock serves Priority and Flex only for some models: at launch (AWS What's New,
 * 2025-11-18, "Amazon Bedrock introduces Priority and Flex inference service tiers") gpt-oss-20b/120b,
 * DeepSeek V3.1, four Qwen3 models, Amazon Nova Pro and Nova Premier. `default` (Standard) works
 * for every model; `reserved` needs a reservation, so no model accepts it unless configured.
 */
import type { ServiceTierName } from './config';
import { validation, type ServiceError } from './errors';

const PRIORITY_AND_FLEX = /amazon\.nova-(?:pro|premier)-v1|openai\.gpt-oss-|deepseek\.v3|qwen\.qwen3-/;

export function familyServiceTiers(modelId: string): ServiceTierName[] {
  return PRIORITY_AND_FLEX.test(modelId) ? ['default', 'priority', 'flex'] : ['default'];
}

/**
 * The ValidationException for a tier this model does not serve, or undefined. The message follows
 * the service's style for unsupported request fields; the exact text AWS sends is not published.
 */
export function serviceTierRefusal(tier: unknown, accepted: readonly ServiceTierName[], modelId: string): ServiceError | undefined {
  if (tier === undefined) return undefined;
  if (typeof tier !== 'object' || tier === null || typeof (tier as { type?: unknown }).type !== 'string') {
    return validation('1 validation error detected: Value at \'serviceTier.type\' failed to satisfy constraint: Member must not be null');
  }
  const type = (tier as { type: string }).type;
  if (!['default', 'priority', 'flex', 'reserved'].includes(type)) {
    return validation(`1 validation error detected: Value '${type}' at 'serviceTier.type' failed to satisfy constraint: Member must satisfy enum value set: [priority, default, flex, reserved]`);
  }
  if (!accepted.includes(type as ServiceTierName)) return validation(`The provided service tier (${type}) is not supported for the model ${modelId}.`);
  return undefined;
}
