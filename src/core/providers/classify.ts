/**
 * The one place errors from a model call are classified (SDK service exceptions, socket errors,
 * timeouts, aborts) into the kinds the scheduler acts on. Messages say what happened and what to do.
 */
import { ProviderError, type ErrorKind } from './provider';

const THROTTLED = new Set(['ThrottlingException', 'TooManyRequestsException', 'ServiceQuotaExceededException', 'RequestLimitExceeded']);
const TRANSIENT = new Set([
  'ModelNotReadyException', 'ServiceUnavailableException', 'InternalServerException', 'InternalFailure',
  'ModelTimeoutException', 'ModelErrorException', 'ModelStreamErrorException', 'TimeoutError', 'RequestTimeout',
  'RequestTimeoutException', 'NetworkingError',
]);
const MODEL_UNAVAILABLE = new Set(['AccessDeniedException', 'ResourceNotFoundException']);
const CREDENTIALS = new Set([
  'ExpiredTokenException', 'ExpiredToken', 'UnrecognizedClientException', 'InvalidSignatureException',
  'IncompleteSignatureException', 'MissingAuthenticationTokenException', 'InvalidClientTokenId',
  'CredentialsProviderError', 'TokenProviderError', 'SignatureDoesNotMatch',
]);
const SOCKET_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_HTTP2_STREAM_ERROR', 'ERR_HTTP2_GOAWAY_SESSION']);

const HINTS: Partial<Record<ErrorKind, string>> = {
  'model-unavailable': 'check that the model id is right for the region and that model access is granted in the Bedrock console',
  credentials: 'refresh or configure AWS credentials (profile, SSO login, environment); Chorus never stores keys',
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
  if (THROTTLED.has(name)) return 'throttled';
  if (CREDENTIALS.has(name)) return 'credentials';
  if (MODEL_UNAVAILABLE.has(name)) return 'model-unavailable';
  if (TRANSIENT.has(name) || SOCKET_CODES.has(code)) return 'transient';
  if (name === 'ValidationException') return 'invalid-request';
  if (status === 429) return 'throttled';
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
