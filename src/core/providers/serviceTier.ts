/**
 * Bedrock service tiers (Converse `serviceTier: { type }`): Standard (`default`), Priority and Flex.
 * AWS: "Your on-demand quota for a model is shared across all service tiers" (Bedrock User Guide,
 * service-tiers-inference), so a tier changes price and queueing, never the quota Chorus schedules.
 * Priority and Flex exist only for some models — at launch (AWS What's New 2025-11-18) gpt-oss-20b
 * and -120b, DeepSeek V3.1, four Qwen3 models, Amazon Nova Pro and Nova Premier; Llama 3.3 is not
 * among them. `reserved` needs a reservation made with AWS, so Chorus does not offer it.
 *
 * The setting is per model and per lane (`serviceTier: { background: "flex" }`), off by default.
 */
import { ServiceTierType, type ConverseCommandInput } from '@aws-sdk/client-bedrock-runtime';
import type { ModelConfig } from '../config/types';

type SdkServiceTier = NonNullable<NonNullable<ConverseCommandInput['serviceTier']>['type']>;

/** The tiers a config may name: checked against the installed SDK's request type at compile time. */
export const SERVICE_TIERS = ['default', 'priority', 'flex'] as const satisfies readonly SdkServiceTier[];
export type ServiceTier = (typeof SERVICE_TIERS)[number];
export type Lane = 'interactive' | 'background';

/** True when the installed SDK's enum still has every tier we send (a unit test checks it at run time too). */
export function sdkKnowsTier(tier: string): boolean {
  return (Object.values(ServiceTierType) as string[]).includes(tier);
}

/**
 * Price per token relative to Standard. Flex: "Flex (basic economy) for latency-tolerant agentic
 * workloads at 50% discount" (AWS re:Invent 2025 AIM3304, Bedrock inference tiers). Priority:
 * AWS publishes only "Standard rate + premium" (aws.amazon.com/bedrock/service-tiers); the
 * per-model premium is on the pricing page, which renders its numbers client-side and was not
 * readable in the copies we had. 1.75 is our assumption, deliberately on the high side so that a
 * budget (`budget.maxCost`) is not overrun; a model's own `costPer1k*` stays the Standard price.
 */
export const SERVICE_TIER_PRICE_RATIO: Readonly<Record<ServiceTier, number>> = { default: 1, flex: 0.5, priority: 1.75 };

/** Models known to serve Priority and Flex (matched anywhere in the id, so profiles share an entry). */
export const PRIORITY_AND_FLEX_MODELS = /amazon\.nova-(?:pro|premier)-v1|openai\.gpt-oss-|deepseek\.v3|qwen\.qwen3-/;

export function priceRatio(tier: string | undefined): number {
  return tier !== undefined && tier in SERVICE_TIER_PRICE_RATIO ? SERVICE_TIER_PRICE_RATIO[tier as ServiceTier] : 1;
}

/** The tier a call of this model in this lane asks for; undefined = none sent (Standard). */
export function serviceTierFor(model: Pick<ModelConfig, 'serviceTier'>, lane: Lane): Exclude<ServiceTier, 'default'> | undefined {
  const tier = model.serviceTier?.[lane];
  return tier === undefined || tier === 'default' ? undefined : tier;
}

/** A warning for a configured tier the model is not known to serve (the provider falls back to Standard if refused). */
export function serviceTierWarning(model: Pick<ModelConfig, 'id' | 'serviceTier'>): string | undefined {
  const asked = Object.entries(model.serviceTier ?? {}).filter(([, t]) => t !== 'default');
  if (asked.length === 0 || PRIORITY_AND_FLEX_MODELS.test(model.id)) return undefined;
  return `${model.id}: service tier ${asked.map(([lane, t]) => `${t} (${lane})`).join(', ')} is not known to be served for this model; if Bedrock refuses it, calls use Standard.`;
}

/** A ValidationException about the request's service tier (the model does not serve it). */
export function isServiceTierRefusal(message: string): boolean {
  return /service[ _-]?tier/i.test(message);
}
