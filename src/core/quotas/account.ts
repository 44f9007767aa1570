/**
 * Reading the account's applied Bedrock quotas through Service Quotas (ListServiceQuotas for
 * ServiceCode `bedrock`, every page) and matching them to configured model ids by name
 * (quotaNames.ts). AWS: the applied quotas "might be lower than the default values" (Bedrock User
 * Guide, "Quotas for Amazon Bedrock"), which is why a run should not rely on the defaults.
 */
import { ListServiceQuotasCommand, ServiceQuotasClient, type ServiceQuota } from '@aws-sdk/client-service-quotas';
import { baseModelId, inferenceScope, parseQuotaName, quotaModelName, type InferenceScope } from './quotaNames';

/** One quota as Service Quotas lists it (the fields we read). */
export type ListedQuota = Pick<ServiceQuota, 'QuotaName' | 'QuotaCode' | 'Value' | 'Adjustable'>;

export interface QuotaValue {
  value: number;
  /** The quota's name and code in the account, to quote in a quota-increase request. */
  name: string;
  code?: string;
  adjustable?: boolean;
}

export interface AccountModelQuota {
  modelId: string;
  scope: InferenceScope;
  tokensPerMinute?: QuotaValue;
  tokensPerDay?: QuotaValue;
  /** The requests-per-minute quota of its scope, where the account lists one. */
  requestsPerMinute?: QuotaValue;
  /** Why a value is missing: the quota name is unknown to Chorus, or the account lists none. */
  missing?: string;
}

/** Every Bedrock quota of the account, following NextToken to the last page. */
export async function listBedrockQuotas(client: Pick<ServiceQuotasClient, 'send'>, signal?: AbortSignal): Promise<ListedQuota[]> {
  const quotas: ListedQuota[] = [];
  let token: string | undefined;
  // A service that kept answering the same token would loop forever: stop at a generous bound.
  for (let page = 0; page < 1_000; page++) {
    const out = await client.send(new ListServiceQuotasCommand({ ServiceCode: 'bedrock', MaxResults: 100, ...(token ? { NextToken: token } : {}) }), signal ? { abortSignal: signal } : {});
    quotas.push(...(out.Quotas ?? []));
    if (!out.NextToken || out.NextToken === token) return quotas;
    token = out.NextToken;
  }
  throw new Error('Service Quotas kept paging past 1,000 pages of Bedrock quotas');
}

function valueOf(q: ListedQuota): QuotaValue | undefined {
  if (typeof q.Value !== 'number' || !Number.isFinite(q.Value) || q.Value < 0 || typeof q.QuotaName !== 'string') return undefined;
  return { value: q.Value, name: q.QuotaName, ...(q.QuotaCode ? { code: q.QuotaCode } : {}), ...(q.Adjustable !== undefined ? { adjustable: q.Adjustable } : {}) };
}

/**
 * The tokens-per-minute, requests-per-minute and tokens-per-day quotas that govern each model id:
 * the per-minute ones of its scope (on-demand, cross-region or global); the daily one of its scope
 * when the account lists one, else the model's "Model invocation max tokens per day".
 */
export function matchAccountQuotas(modelIds: readonly string[], listed: readonly ListedQuota[]): AccountModelQuota[] {
  const parsed = listed.flatMap((q) => {
    const name = typeof q.QuotaName === 'string' ? parseQuotaName(q.QuotaName) : undefined;
    const value = valueOf(q);
    return name && value ? [{ ...name, value }] : [];
  });
  return modelIds.map((modelId) => {
    const scope = inferenceScope(modelId);
    const model = quotaModelName(modelId)?.toLowerCase();
    const result: AccountModelQuota = { modelId, scope };
    if (model === undefined) {
      result.missing = `Chorus does not know the Service Quotas name of ${baseModelId(modelId)}`;
      return result;
    }
    const mine = parsed.filter((p) => p.model.toLowerCase() === model);
    const tpm = mine.find((p) => p.metric === 'tokensPerMinute' && p.scope === scope);
    const tpd = mine.find((p) => p.metric === 'tokensPerDay' && p.scope === scope) ?? mine.find((p) => p.metric === 'tokensPerDay' && p.scope === 'any');
    const rpm = mine.find((p) => p.metric === 'requestsPerMinute' && p.scope === scope);
    if (tpm) result.tokensPerMinute = tpm.value;
    if (rpm) result.requestsPerMinute = rpm.value;
    if (tpd) result.tokensPerDay = tpd.value;
    if (!tpm) result.missing = `the account lists no ${scope} tokens-per-minute quota for ${quotaModelName(modelId)}`;
    return result;
  });
}

export interface QuotaClientOptions {
  region: string;
  profile?: string;
  /** A custom endpoint (the emulator serves Service Quotas on the same port as Bedrock Runtime). */
  endpoint?: string;
  /** Only for tests and the emulator; hosts use the SDK's default chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export function createServiceQuotasClient(options: QuotaClientOptions): ServiceQuotasClient {
  return new ServiceQuotasClient({
    region: options.region,
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    // A failed read falls back to the defaults; retrying for long would only delay the run.
    maxAttempts: 2,
  });
}

/** Reads and matches in one call: what `chorus quotas` and a run's quota resolution need. */
export async function readAccountQuotas(options: QuotaClientOptions, modelIds: readonly string[], signal?: AbortSignal): Promise<AccountModelQuota[]> {
  const client = createServiceQuotasClient(options);
  try {
    return matchAccountQuotas(modelIds, await listBedrockQuotas(client, signal));
  } finally {
    client.destroy();
  }
}
