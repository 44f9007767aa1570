/**
 * A run's tokens-per-minute from the account: every model whose `tokensPerMinute` was left out of
 * the config (`tokensPerMinuteFromAccount`) gets the account's applied quota (and one configured
 * above it is lowered to it), and its requests per
 * minute too where the config leaves `requestsPerMinute` out and the account lists one (the
 * scheduler admits under it from the first call instead of learning it from throttles). Read once per
 * destination and model list, kept for CACHE_MS (a window of runs shares one read; quotas change
 * rarely), bounded by READ_TIMEOUT_MS so a slow Service Quotas never holds a run up. A failed read
 * keeps the known defaults and says so once (per cached read, not per run).
 */
import { destinationKey, destinationOf } from '../config/destination';
import type { ChorusConfig } from '../config/types';
import { readAccountQuotas, type AccountModelQuota, type QuotaClientOptions } from './account';

export const CACHE_MS = 15 * 60_000;
export const READ_TIMEOUT_MS = 5_000;

type Reader = (options: QuotaClientOptions, modelIds: readonly string[], signal?: AbortSignal) => Promise<AccountModelQuota[]>;

interface Cached {
  at: number;
  read: Promise<AccountModelQuota[] | Error>;
}

export interface ResolveOptions {
  warn: (message: string) => void;
  read?: Reader;
  credentials?: QuotaClientOptions['credentials'];
  now?: () => number;
  cache?: Map<string, Cached>;
  env?: NodeJS.ProcessEnv;
}

const sharedCache = new Map<string, Cached>();

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name !== 'Error' ? `${error.name}: ` : ''}${error.message}`;
  return String(error);
}

/**
 * The config with the account's tokens per minute where the config left them out, and no model
 * above its account's applied quota: a configured quota higher than the account's (a guess, an
 * increase not granted, another account's number) is lowered to it with one warning — Bedrock refuses
 * above the applied quota whatever the config says, and learning that costs a throttle per model.
 * A configured quota lower than the account's stays (a share left for others). When every model is
 * configured the read is only a check: a failed one is silent.
 */
export async function withAccountQuotas(config: ChorusConfig, options: ResolveOptions): Promise<ChorusConfig> {
  const wanted = config.models.filter((m) => m.tokensPerMinuteFromAccount).map((m) => m.id);
  const ids = config.models.map((m) => m.id);
  if (ids.length === 0) return config;
  const now = options.now ?? Date.now;
  const cache = options.cache ?? sharedCache;
  const key = `${destinationKey(destinationOf(config), options.env)}\0${[...ids].sort().join('\0')}`;
  let cached = cache.get(key);
  let fresh = false;
  if (!cached || now() - cached.at > CACHE_MS) {
    const read = options.read ?? readAccountQuotas;
    const client: QuotaClientOptions = {
      region: config.region,
      ...(config.profile ? { profile: config.profile } : {}),
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
    };
    cached = { at: now(), read: read(client, ids, AbortSignal.timeout(READ_TIMEOUT_MS)).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))) };
    cache.set(key, cached);
    fresh = true;
  }
  const result = await cached.read;
  if (result instanceof Error) {
    if (fresh && wanted.length > 0) options.warn(`Could not read the account's Bedrock quotas (${describeError(result)}); using the known tokens-per-minute defaults. Run \`chorus quotas\` to check.`);
    return config;
  }
  const byId = new Map(result.map((q) => [q.modelId, q]));
  const missing: string[] = [];
  const lowered: string[] = [];
  const models = config.models.map((m) => {
    if (!m.tokensPerMinuteFromAccount) {
      const applied = byId.get(m.id)?.tokensPerMinute?.value;
      // 0 is left to the service to explain (as below); only a usable lower quota lowers the config's.
      if (applied === undefined || applied <= 0 || applied >= m.tokensPerMinute) return m;
      lowered.push(`${m.id} (configured ${m.tokensPerMinute.toLocaleString('en-US')}, applied ${applied.toLocaleString('en-US')})`);
      return { ...m, tokensPerMinute: applied };
    }
    const tpm = byId.get(m.id)?.tokensPerMinute?.value;
    // 0 is a real applied value (a model the account may not call yet); a quota of 0 would stall
    // the scheduler, so it keeps the default and the first call's AccessDenied/throttle says why.
    if (tpm === undefined || tpm <= 0) {
      missing.push(`${m.id}${tpm === 0 ? ' (the account quota is 0)' : ''}`);
      return m;
    }
    const rpm = byId.get(m.id)?.requestsPerMinute?.value;
    // As for tokens, 0 would stall the model: left to the service to say so.
    return { ...m, tokensPerMinute: tpm, ...(m.requestsPerMinute === undefined && rpm !== undefined && rpm >= 1 ? { requestsPerMinute: rpm } : {}) };
  });
  if (fresh && lowered.length > 0) options.warn(`Configured tokens per minute above the account's applied quota for ${lowered.join(', ')}; using the applied quota. Run \`chorus quotas\` to compare.`);
  if (fresh && missing.length > 0) options.warn(`No usable account tokens-per-minute quota for ${missing.join(', ')}; using the known defaults.`);
  return { ...config, models };
}
