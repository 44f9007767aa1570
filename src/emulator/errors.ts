/**
 * Service errors as Bedrock Runtime sends them: the status code, the error name in the
 * `x-amzn-ErrorType` header (with the `:http://…` suffix real AWS adds) and `{"message": …}`,
 * which the SDK turns into its own exception class for each name.
 */

export const ERROR_STATUS = {
  ThrottlingException: 429,
  ModelNotReadyException: 429,
  ServiceUnavailableException: 503,
  InternalServerException: 500,
  ModelTimeoutException: 408,
  ModelErrorException: 424,
  ValidationException: 400,
  ServiceQuotaExceededException: 400,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  ExpiredTokenException: 403,
  UnrecognizedClientException: 403,
  InvalidSignatureException: 403,
  IncompleteSignatureException: 403,
  MissingAuthenticationTokenException: 403,
  UnknownOperationException: 404,
} as const;

export type ServiceErrorName = keyof typeof ERROR_STATUS;

export const THROTTLE_MESSAGE = 'Too many tokens, please wait before trying again.';
/** The daily quota's throttle: the same 429 ThrottlingException, told apart only by its message. */
export const TOO_MANY_TOKENS_PER_DAY_MESSAGE = 'Too many tokens per day, please wait before trying again.';
/** The 503 for too many calls in flight on one model (the text clients report from Bedrock). */
export const TOO_MANY_CONNECTIONS_MESSAGE = 'Too many connections, please wait before trying again.';

const DEFAULT_MESSAGES: Partial<Record<ServiceErrorName, string>> = {
  ThrottlingException: THROTTLE_MESSAGE,
  ModelNotReadyException: 'Model is not ready to serve inference requests. The AWS SDK will automatically retry the operation.',
  ServiceUnavailableException: 'Service is temporarily unavailable. Please try again later.',
  InternalServerException: 'The server encountered an internal error while processing the request.',
  ModelTimeoutException: 'Model has timed out in processing the request. Try your request again.',
  ModelErrorException: 'The model returned an error while processing the request.',
  ExpiredTokenException: 'The security token included in the request is expired',
  // The SDK's documentation of the shape; the service's own text for Converse is not published.
  ServiceQuotaExceededException: 'Your request exceeds the service quota for your account. You can view your quotas at Viewing service quotas. You can resubmit your request later.',
};

export class ServiceError extends Error {
  readonly status: number;
  constructor(
    readonly errorName: ServiceErrorName,
    message?: string,
  ) {
    super(message ?? DEFAULT_MESSAGES[errorName] ?? errorName);
    this.status = ERROR_STATUS[errorName];
  }

  headers(): Record<string, string> {
    return {
      'content-type': 'application/json',
      'x-amzn-errortype': `${this.errorName}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
    };
  }

  body(): string {
    return JSON.stringify({ message: this.message });
  }
}

export function validation(message: string): ServiceError {
  return new ServiceError('ValidationException', message);
}
