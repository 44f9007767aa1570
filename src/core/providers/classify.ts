/**
 * The one place errors from a model call are classified (SDK service exceptions, socket errors,
 * timeouts, aborts) into the kinds the scheduler acts on. Messages say what happened and what to do.
 */
import { ProviderError, type ErrorKind } from './provider';

const THROTTLED = new Set(['ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded']);
const TRANSIENT = new Set([
  'ModelNotReadyException', 'ServiceUnavailableException', 'InternalServerException', 'InternalFailure',
  'ModelTimeoutException', 'ModelErrorException', 'ModelStreamErrorException', 'RequestTimeout',
  'RequestTimeoutException', 'NetworkingError',
]);
const MODEL_UNAVAILABLE = new Set(['AccessDeniedException', 'ResourceNotFoundException']);
const CREDENTIALS = new Set([
  'ExpiredTokenException', 'ExpiredToken', 'UnrecognizedClientException', 'InvalidSignatureException',
  'IncompleteSignatureException', 'MissingAuthenticationTokenException', 'InvalidClientTokenId',
  'CredentialsProviderError', 'TokenProviderError', 'SignatureDoesNotMatch',
]);
/** The endpoint could not be reached at all: nothing answered (refused, no route, no DNS name). */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT']);
/** The connection never opened, so no request reached the service: such a call charges no quota. */
const NEVER_CONNECTED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
export function neverConnected(code: string): boolean {
  return NEVER_CONNECTED_CODES.has(code);
}
/** The connection broke after it was made: the service is there, the call may be retried. */
const SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_HTTP2_STREAM_ERROR', 'ERR_HTTP2_GOAWAY_SESSION']);

/**
 * Bedrock sends the daily quota as a ThrottlingException too; only its message tells them apart:
 * "Too many tokens per day, please wait before trying again." (per-minute ones say "Too many
 * tokens" / "Too many requests", without "per day").
 */
const PER_DAY = /\bper day\b/i;
/** The 503 Bedrock sends when a model has too many calls in flight from this account. */
const TOO_MANY_CONNECTIONS = /too many connections/i;

/**
 * Which per-minute limit a throttle hit. Bedrock's on-demand quotas are a tokens-per-minute and a
 * requests-per-minute one per model, and its ThrottlingException says which: "Too many tokens,
 * please wait before trying again." or "Too many requests, please wait before trying again." Read
 * by meaning (a message that speaks of requests or calls and not of tokens is a request limit);
 * anything else — no message, another wording, "Rate exceeded" — counts as tokens, the limit every
 * model has and the one a wrong reading costs least on (a token cut recovers by time).
 */
export type ThrottleLimit = 'tokens' | 'requests';
const SPEAKS_OF_TOKENS = /\btokens?\b/i;
const SPEAKS_OF_REQUESTS = /\b(?:requests?|calls?|invocations?)\b/i;

export function throttleLimitOf(error: Pick<ProviderError, 'kind' | 'code' | 'message'>): ThrottleLimit {
  if (error.kind !== 'throttled') return 'tokens';
  // Our message is "<code>: <the service's message>"; the code ("TooManyRequestsException") says nothing of which limit.
  const prefix = `${error.code}: `;
  const said = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
  return SPEAKS_OF_REQUESTS.test(said) && !SPEAKS_OF_TOKENS.test(said) ? 'requests' : 'tokens';
}

const HINTS: Partial<Record<ErrorKind, string>> = {
  'model-unavailable': 'check that the model id is right for the region and that model access is granted in the Bedrock console',
  credentials: 'refresh or configure AWS credentials (profile, SSO login, environment); Chorus never stores keys',
  'daily-quota': "the model's tokens-per-day quota (\"Model invocation max tokens per day\") is used up; it frees up as the day's usage ages out — try later, or see the applied quota in Service Quotas",
  'quota-exceeded': 'an account service quota, not a per-minute throttle: check the applied Amazon Bedrock quotas in the Service Quotas console or request an increase',
};

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $response?: { statusCode?: unknown };
}

function errorName(err: ErrorLike): string {
  const name = typeof err.name === 'string' ? err.name : '';
  // The service's x-amzn-ErrorType may carry a `:http://…` suffix.
  return name.split(':')[0] ?? name;
}

function kindOf(name: string, code: string, status: number | undefined, message: string): ErrorKind {
  if (name === 'AbortError' || code === 'ABORT_ERR') return 'aborted';
  if (THROTTLED.has(name)) return PER_DAY.test(message) ? 'daily-quota' : 'throttled';
  if (name === 'ServiceQuotaExceededException') return 'quota-exceeded';
  if (name === 'ServiceUnavailableException' && TOO_MANY_CONNECTIONS.test(message)) return 'connections';
  if (CREDENTIALS.has(name)) return 'credentials';
  if (MODEL_UNAVAILABLE.has(name)) return 'model-unavailable';
  // Nothing answered: our own timeout, the socket's, or a connection that never opened.
  if (status === undefined && (name === 'TimeoutError' || UNREACHABLE_CODES.has(code))) return 'unreachable';
  if (TRANSIENT.has(name) || SOCKET_CODES.has(code) || UNREACHABLE_CODES.has(code)) return 'transient';
  if (name === 'ValidationException') return 'invalid-request';
  if (status === 429) return PER_DAY.test(message) ? 'daily-quota' : 'throttled';
  if (status === 503 && TOO_MANY_CONNECTIONS.test(message)) return 'connections';
  if (status === 401) return 'credentials';
  if (status === 403 || status === 404) return 'model-unavailable';
  if (status !== undefined && (status >= 500 || status === 408 || status === 424)) return 'transient';
  if (status !== undefined && status >= 400) return 'invalid-request';
  if (/socket hang up|network|timed? ?out|reset/i.test(message)) return 'transient';
  // Unknown and without a status: most likely the network; retried within the budget, never forever.
  return 'transient';
}

export function classifyError(err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  const e: ErrorLike = typeof err === 'object' && err !== null ? (err) : { message: String(err) };
  const name = errorName(e) || 'Error';
  const code = typeof e.code === 'string' ? e.code : '';
  const rawStatus = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  const status = typeof rawStatus === 'number' ? rawStatus : undefined;
  // The SDK's JSON deserializer rethrows V8's SyntaxError, which quotes the body: the model's text.
  const message = name === 'SyntaxError' ? "the service's answer is not valid JSON (its text is not repeated here)" : typeof e.message === 'string' && e.message ? e.message : name;
  const kind = kindOf(name, code, status, message);
  const id = name !== 'Error' ? name : code || name;
  const hint = HINTS[kind];
  return new ProviderError(kind, id, `${id}: ${message}${hint ? ` (${hint})` : ''}`, status);
}
