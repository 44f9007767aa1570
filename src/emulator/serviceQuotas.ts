/**
 * The one Service Quotas call Chorus makes, ListServiceQuotas, answered from the emulated models'
 * limits. AWS JSON 1.1 protocol: `POST /`, `X-Amz-Target: ServiceQuotasV20190624.ListServiceQuotas`,
 * `Content-Type: application/x-amz-json-1.1`, a JSON body `{ ServiceCode, NextToken?, MaxResults? }`
 * answered with `{ Quotas: ServiceQuota[], NextToken? }` (Service Quotas API Reference,
 * ListServiceQuotas). Errors carry their name in `__type` and `x-amzn-ErrorType` and a `Message`.
 *
 * What is listed per model (names as accounts show them, the emulator's own table in quotaCatalog.ts):
 * the tokens- and requests-per-minute quotas of every scope the model is offered in (on-demand,
 * cross-region, global), as a real account lists them all — the configured `tokensPerMinute` under the
 * scope of the configured id, another value under the others, so a client must pick its scope; the
 * daily quota with `tokensPerDay` (default TPM × 1,440, as AWS documents); a requests-per-minute value
 * only where one is configured; and a few quotas of other Bedrock features, so a client has to pick
 * its quotas out of a longer list. A model with `serviceQuota: "unlisted"` has none.
 */
import { createHash, randomUUID } from 'node:crypto';
import { authenticate } from './auth';
import { ServiceError } from './errors';
import { catalogNames, scopeOf } from './quotaCatalog';
import type { EmulatorState } from './state';
import type { Exchange } from './transport';

export const LIST_SERVICE_QUOTAS_TARGET = 'ServiceQuotasV20190624.ListServiceQuotas';
export const DEFAULT_QUOTA_PAGE_SIZE = 4;
const ACCOUNT_ID = '123456789012';

/** Other Bedrock quotas of a real account (names from the General Reference's Bedrock table). */
const UNRELATED_QUOTAS: readonly [string, number][] = [
  ['(Model customization) Maximum number of custom models', 100],
  ['(Guardrails) Text unit size in characters', 1000],
  ['Batch inference job size (in GB)', 5],
];

interface ListedQuota {
  ServiceCode: 'bedrock';
  ServiceName: 'Amazon Bedrock';
  QuotaArn: string;
  QuotaCode: string;
  QuotaName: string;
  Value: number;
  Unit: 'None';
  Adjustable: boolean;
  GlobalQuota: false;
  QuotaAppliedAtLevel: 'ACCOUNT';
}

/** A stable code of the `L-XXXXXXXX` form, derived from the name (real codes are opaque). */
function codeOf(name: string): string {
  return `L-${createHash('sha256').update(name).digest('hex').slice(0, 8).toUpperCase()}`;
}

function quota(name: string, value: number, adjustable: boolean, region: string, realCode?: string): ListedQuota {
  const code = realCode ?? codeOf(name);
  return {
    ServiceCode: 'bedrock', ServiceName: 'Amazon Bedrock', QuotaArn: `arn:aws:servicequotas:${region}:${ACCOUNT_ID}:bedrock/${code}`,
    QuotaCode: code, QuotaName: name, Value: value, Unit: 'None', Adjustable: adjustable, GlobalQuota: false, QuotaAppliedAtLevel: 'ACCOUNT',
  };
}

export function listedQuotas(state: EmulatorState, region: string): ListedQuota[] {
  // By name: a quota of the scope a configured id is called in wins over the same quota listed as
  // another scope's stand-in for a sibling id (`amazon.nova-pro-v1:0` beside `us.amazon.nova-pro-v1:0`).
  const byName = new Map<string, { quota: ListedQuota; configured: boolean }>();
  const put = (name: string, value: number, adjustable: boolean, configured: boolean, code: string | undefined) => {
    const had = byName.get(name);
    if (!had || (configured && !had.configured)) byName.set(name, { quota: quota(name, value, adjustable, region, code), configured });
  };
  for (const model of state.models.values()) {
    const names = catalogNames(model.id);
    if (!names || model.serviceQuota === 'unlisted') continue;
    const scope = scopeOf(model.id);
    const daily = model.tokensPerDay ?? model.tokensPerMinute * 1_440;
    for (const m of names.perMinute) {
      const mine = m.scope === scope;
      // Another scope's quota is another number (AWS sets them apart; cross-region ones are often larger).
      put(m.tokens, mine ? model.tokensPerMinute : model.tokensPerMinute * 2, true, mine, names.codeOf(m.tokens));
      if (mine && model.requestsPerMinute !== undefined) put(m.requests, model.requestsPerMinute, true, true, names.codeOf(m.requests));
    }
    // AWS reports the daily quotas as not adjustable on their own (they follow the per-minute one).
    if (names.globalDaily) put(names.globalDaily, scope === 'global' ? daily : daily * 2, false, scope === 'global', names.codeOf(names.globalDaily));
    put(names.daily, scope === 'global' ? daily * 2 : daily, false, scope !== 'global', names.codeOf(names.daily));
  }
  const list = [...byName.values()].map((q) => q.quota);
  for (const [name, value] of UNRELATED_QUOTAS) list.push(quota(name, value, true, region));
  // Unrelated entries first and last, as in a real list sorted by code rather than by model.
  return list.sort((a, b) => a.QuotaCode.localeCompare(b.QuotaCode));
}

class QuotasError extends ServiceError {
  constructor(
    private readonly typeName: string,
    message: string,
  ) {
    super('ValidationException', message);
  }

  override headers(): Record<string, string> {
    return { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': this.typeName };
  }

  override body(): string {
    return JSON.stringify({ __type: this.typeName, Message: this.message });
  }
}

function send(ex: Exchange, status: number, headers: Record<string, string>, body: string): void {
  if (ex.closed) return;
  ex.respond(status, { ...headers, 'x-amzn-requestid': randomUUID() });
  ex.end(body);
}

function regionOf(ex: Exchange): string {
  const auth = ex.headers.authorization;
  return (typeof auth === 'string' ? /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(auth)?.[1] : undefined) ?? 'us-east-1';
}

function page(list: readonly ListedQuota[], body: Record<string, unknown>, pageSize: number): { Quotas: ListedQuota[]; NextToken?: string } {
  const max = body.MaxResults;
  if (max !== undefined && !(typeof max === 'number' && Number.isInteger(max) && max >= 1 && max <= 100)) {
    throw new QuotasError('ValidationException', '1 validation error detected: Value at \'maxResults\' failed to satisfy constraint: Member must have value between 1 and 100');
  }
  let start = 0;
  if (body.NextToken !== undefined) {
    const m = typeof body.NextToken === 'string' ? /^q(\d+)$/.exec(Buffer.from(body.NextToken, 'base64').toString('utf8')) : null;
    if (!m || Number(m[1]) > list.length) throw new QuotasError('InvalidPaginationTokenException', 'Invalid pagination token');
    start = Number(m[1]);
  }
  const end = Math.min(list.length, start + Math.min(pageSize, max ?? 100));
  return { Quotas: list.slice(start, end), ...(end < list.length ? { NextToken: Buffer.from(`q${end}`).toString('base64') } : {}) };
}

/** POST / with the JSON 1.1 target header. */
export async function handleServiceQuotas(state: EmulatorState, ex: Exchange): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of ex.body) chunks.push(chunk);
  const raw = Buffer.concat(chunks);
  try {
    await authenticate({ method: ex.method, url: ex.url, headers: ex.headers, body: raw }, state.config.credentials, undefined, 'servicequotas');
    const target = ex.headers['x-amz-target'];
    if (target !== LIST_SERVICE_QUOTAS_TARGET) throw new QuotasError('UnknownOperationException', `The emulator serves only ${LIST_SERVICE_QUOTAS_TARGET}, not ${String(target)}`);
    if (state.config.serviceQuotas?.access === 'denied') {
      throw new QuotasError('AccessDeniedException', `User: arn:aws:iam::${ACCOUNT_ID}:user/chorus is not authorized to perform: servicequotas:ListServiceQuotas`);
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8') || '{}');
    } catch {
      throw new QuotasError('SerializationException', 'The request body is not valid JSON');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new QuotasError('SerializationException', 'The request body must be a JSON object');
    const input = body as Record<string, unknown>;
    if (input.ServiceCode !== 'bedrock') throw new QuotasError('NoSuchResourceException', `The request failed because the specified service does not exist: ${String(input.ServiceCode)}`);
    const answer = page(listedQuotas(state, regionOf(ex)), input, state.config.serviceQuotas?.pageSize ?? DEFAULT_QUOTA_PAGE_SIZE);
    send(ex, 200, { 'content-type': 'application/x-amz-json-1.1' }, JSON.stringify(answer));
  } catch (error) {
    // Auth errors come from auth.ts in Bedrock's REST shape; every Service Quotas error is a 400.
    const typed = error instanceof QuotasError ? error : error instanceof ServiceError ? new QuotasError(error.errorName, error.message) : new QuotasError('ServiceException', String(error));
    send(ex, error instanceof ServiceError && !(error instanceof QuotasError) ? error.status : 400, typed.headers(), typed.body());
  }
}

