/**
 * Why a file was not analyzed (or a model left, or a batch failed), as data: a closed set of codes
 * that hosts and the CLI switch on, beside a message that stays for people. Codes are derived where
 * the failure is known (the provider's classified error kind, the answer's stop reason, discovery,
 * redaction, the planner, the budget), never from a message's wording.
 */
import type { ErrorKind } from './providers/provider';

/** Every code, with whether trying the same work again later may succeed. */
const CODES = {
  // The service refused or failed the call.
  throttled: true,
  'quota-per-day': false,
  'quota-exceeded': false,
  'too-many-connections': true,
  'service-error': true,
  timeout: true,
  unreachable: true,
  'access-denied': false,
  'model-not-found': false,
  'credentials-expired': false,
  'credentials-missing': false,
  'credentials-invalid': false,
  'invalid-request': false,
  // The answer.
  'malformed-output': true,
  'context-exceeded': false,
  /** The answer did not fit the model's largest output cap even for the smallest piece of the file. */
  'output-exceeded': false,
  'content-filtered': false,
  // The run.
  cancelled: true,
  budget: true,
  'no-model': false,
  /** No configured model's per-minute quota fits even one call with this file: a configuration problem. */
  'quota-too-small': false,
  internal: false,
  // The file, before anything was sent.
  excluded: false,
  'outside-workspace': false,
  'not-found': false,
  unreadable: true,
  'not-a-file': false,
  /** The file's name holds a control character or line break: it could forge the prompt's file markers. */
  'unsafe-name': false,
  binary: false,
  undecodable: false,
  'too-large': false,
  'secret-file': false,
  'secret-scan-failed': true,
} as const satisfies Record<string, boolean>;

export type OutcomeCode = keyof typeof CODES;

export const OUTCOME_CODES = Object.keys(CODES) as OutcomeCode[];

/** A failure or skip as data: hosts switch on `code`, people read `message`. */
export interface Outcome {
  code: OutcomeCode;
  message: string;
  model?: string;
  retryable?: boolean;
}

export function isOutcomeCode(value: unknown): value is OutcomeCode {
  return typeof value === 'string' && Object.hasOwn(CODES, value);
}

export function isRetryable(code: OutcomeCode): boolean {
  return CODES[code];
}

export function outcomeOf(code: OutcomeCode, message: string, model?: string): Outcome {
  return { code, message, ...(model ? { model } : {}), retryable: CODES[code] };
}

/** Codes that mean the user (not the file) must act: credentials and model access. */
export function isCredentialsCode(code: OutcomeCode | undefined): boolean {
  return code === 'credentials-expired' || code === 'credentials-missing' || code === 'credentials-invalid';
}

const EXPIRED = new Set(['ExpiredTokenException', 'ExpiredToken']);
const MISSING = new Set(['CredentialsProviderError', 'TokenProviderError', 'MissingAuthenticationTokenException']);

/**
 * The code of a classified provider error. `serviceCode` is the service's error name (or a local one
 * like `TimeoutError`), which separates the kinds that share a scheduler action (model-unavailable:
 * access denied vs unknown model; credentials: expired vs missing vs invalid).
 */
export function codeOfErrorKind(kind: ErrorKind, serviceCode = '', httpStatus?: number): OutcomeCode {
  switch (kind) {
    case 'throttled':
      return 'throttled';
    case 'daily-quota':
      return 'quota-per-day';
    case 'quota-exceeded':
      return 'quota-exceeded';
    case 'connections':
      return 'too-many-connections';
    case 'transient':
      return serviceCode === 'TimeoutError' || serviceCode === 'ModelTimeoutException' ? 'timeout' : 'service-error';
    case 'unreachable':
      return serviceCode === 'TimeoutError' ? 'timeout' : 'unreachable';
    case 'model-unavailable':
      return serviceCode === 'AccessDeniedException' || httpStatus === 403 ? 'access-denied' : 'model-not-found';
    case 'credentials':
      return EXPIRED.has(serviceCode) ? 'credentials-expired' : MISSING.has(serviceCode) ? 'credentials-missing' : 'credentials-invalid';
    case 'invalid-request':
      return 'invalid-request';
    case 'aborted':
      return 'cancelled';
  }
}
