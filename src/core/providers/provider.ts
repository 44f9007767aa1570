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
  /**
   * Called when the request actually leaves for the service (after signing, right before the HTTP
   * handler). The scheduler moves the call's reservation to this moment, because the service's
   * quota window counts from arrival, not from when we decided to send.
   */
  onSent?: () => void;
}

export interface ModelResponse {
  /** Input of the findings tool call, when the model made one. */
  toolInput?: unknown;
  /** Text content, when the model answered in text. */
  text?: string;
  usage: { inputTokens: number; outputTokens: number };
  stopReason: string;
  latencyMs: number;
}

export interface ModelProvider {
  converse(request: ModelRequest, signal: AbortSignal): Promise<ModelResponse>;
}

/**
 * - throttled: over quota; try another model or wait for capacity.
 * - transient: 5xx, timeouts, resets, ModelNotReady; back off and retry, then move on.
 * - model-unavailable: access denied, unknown model; this model leaves the run.
 * - credentials: missing/expired/invalid credentials; every model is affected.
 * - invalid-request: the request itself is wrong (ValidationException); retrying it unchanged is futile.
 * - aborted: cancelled by the caller.
 */
export type ErrorKind =
  | 'throttled'
  | 'transient'
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
