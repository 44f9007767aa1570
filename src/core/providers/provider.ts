/**
 * What the scheduler needs from a model provider: one call, and errors classified once, here.
 * The Bedrock Converse provider implements it; tests use in-memory ones.
 */

export interface ModelRequest {
  modelId: string;
  system: string;
  /** The user message (a rendered batch, see contract/prompt.ts). */
  prompt: string;
  /** Output cap; Bedrock reserves input + maxTokens against the quota while the call runs. */
  maxTokens: number;
  /** `tool` forces the findings tool; `auto` lets the model choose (Llama), parse JSON from text. */
  toolChoice: 'tool' | 'auto';
  /** Bedrock service tier to ask for (serviceTier.ts); absent = Standard. */
  serviceTier?: 'priority' | 'flex';
  /**
   * Called when the request actually leaves for the service (after signing, right before the HTTP
   * handler). The scheduler moves the call's reservation to this moment, because the service's
   * quota window counts from arrival, not from when we decided to send.
   */
  onSent?: () => void;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  /** Prompt tokens read from Bedrock's prompt cache (not in `inputTokens`, not charged to tokens per minute). */
  cacheReadInputTokens?: number;
  /** Prompt tokens written to the prompt cache (not in `inputTokens`, charged like input). */
  cacheWriteInputTokens?: number;
}

export interface ModelResponse {
  /** Input of the findings tool call, when the model made exactly one call and it was to that tool. */
  toolInput?: unknown;
  /**
   * Why the answer's tool calls are not findings (a tool Chorus never offered, several calls); set
   * instead of `toolInput`. Never quotes the model: it chose the tool's name.
   */
  toolUseRejected?: string;
  /** Text content, when the model answered in text. */
  text?: string;
  /** The tool choice the call really went out with (a provider may fall back to `auto`). */
  toolChoice?: 'tool' | 'auto';
  /** The service tier that served the call, as the service reported it (else as asked); absent = Standard. Priced by serviceTier.ts. */
  serviceTier?: string;
  /**
   * Token counts as the service reported them: a count it left out is absent, and a present one may
   * still be absurd (negative, zero, far from what was sent). Nothing charges these as they are:
   * the dispatcher checks them first (schedule/usage.ts) and hands back a ChargedResponse.
   */
  usage: Partial<TokenUsage>;
  stopReason: string;
  latencyMs: number;
}

/**
 * A response after the dispatcher checked its usage: `usage` is what the quota window and the run's
 * budget were charged — the service's counts, or the call's reservation when those were missing or
 * implausible, and then `usageEstimated` says why.
 */
export interface ChargedResponse extends ModelResponse {
  usage: TokenUsage;
  usageEstimated?: string;
  /**
   * What every answered call of the batch was charged, this one included: more than `usage` when
   * answers cut at max_tokens were asked again with a bigger cap. The run's budget charges this.
   */
  batchUsage: TokenUsage;
}

export interface ModelProvider {
  converse(request: ModelRequest, signal: AbortSignal): Promise<ModelResponse>;
}

/**
 * - throttled: over the per-minute quota (tokens or requests); try another model or wait for capacity.
 * - daily-quota: the model's tokens-per-day quota is used up ("Too many tokens per day"); the model
 *   leaves the run, other models take its work; retrying it today is futile.
 * - quota-exceeded: ServiceQuotaExceededException (HTTP 400), an account service quota; not a throttle.
 * - connections: 503 "Too many connections"; too many calls in flight on the model: lower its
 *   concurrency and retry the work.
 * - transient: 5xx, resets, ModelNotReady (429, backoff only); back off and retry, then move on.
 * - unreachable: no answer at all (request timeout, connection refused, DNS failure); a model that
 *   has never answered leaves the run after one such failure, otherwise it is transient.
 * - model-unavailable: access denied, unknown model; this model leaves the run.
 * - credentials: missing/expired/invalid credentials; every model is affected.
 * - invalid-request: the request itself is wrong (ValidationException); retrying it unchanged is futile.
 * - aborted: cancelled by the caller.
 */
export type ErrorKind =
  | 'throttled'
  | 'daily-quota'
  | 'quota-exceeded'
  | 'connections'
  | 'transient'
  | 'unreachable'
  | 'model-unavailable'
  | 'credentials'
  | 'invalid-request'
  | 'aborted';

export class ProviderError extends Error {
  constructor(
    readonly kind: ErrorKind,
    /** The service's error name, e.g. `ThrottlingException`, or a local one like `TimeoutError`. */
    readonly code: string,
    message: string,
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}
