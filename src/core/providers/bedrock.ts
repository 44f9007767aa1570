/**
 * The Bedrock Converse provider: the real AWS SDK v3 client, tuned so the scheduler sees everything.
 * - `maxAttempts: 1`: the SDK would otherwise retry throttles on its own, hiding them from the limiter.
 * - NodeHttpHandler (HTTP/1.1, works behind proxies) with request timeouts that throw, so a hung call
 *   ends; NodeHttp2Handler when asked for HTTP/2.
 * - Credentials from the SDK's default chain; only a profile name and a region come from config.
 *   A Bedrock API key in AWS_BEARER_TOKEN_BEDROCK takes precedence: the SDK then prefers its
 *   httpBearerAuth scheme and sends `Authorization: Bearer <key>` instead of a SigV4 signature.
 * - A socket pool sized to the models' combined concurrency (socketsForModels).
 */
import { BedrockRuntimeClient, ConverseCommand, type BedrockRuntimeClientConfig, type ContentBlock, type ConverseCommandInput, type ConverseCommandOutput, type Tool } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttp2Handler, NodeHttpHandler } from '@smithy/node-http-handler';
import { systemClock, type Clock } from '../clock';
import { FINDINGS_TOOL_NAME, FINDINGS_TOOL_SPEC } from '../contract';
import { classifyError } from './classify';
import type { ModelProvider, ModelRequest, ModelResponse } from './provider';
import { ProviderError } from './provider';
import { outputLimitIn } from './outputLimit';
import { isServiceTierRefusal } from './serviceTier';
import { isToolChoiceUnsupported } from './toolChoice';

export interface BedrockProviderOptions {
  region: string;
  profile?: string;
  endpoint?: string;
  /** Emulated ms; converted to real ms for the socket through the clock. Default 120,000. */
  requestTimeoutMs?: number;
  clock?: Clock;
  http2?: boolean;
  /**
   * Only for the emulator and tests. Hosts leave it out so the SDK's default chain (environment,
   * profile, SSO, process, IMDS) supplies credentials; keys never come from settings.
   */
  credentials?: BedrockRuntimeClientConfig['credentials'];
  /**
   * Sockets the HTTP/1.1 pool may open at once; give it the models' combined concurrency
   * (socketsForModels). Default DEFAULT_MAX_SOCKETS, the SDK's own.
   */
  maxSockets?: number;
}

/** The SDK's NodeHttpHandler opens at most this many sockets per origin unless told otherwise. */
export const DEFAULT_MAX_SOCKETS = 50;

/**
 * A socket pool as large as the calls that may be in flight at once. The SDK's pool (50 sockets,
 * shared by every model) is smaller than two models at 32 calls each: the 51st call would wait
 * inside the HTTP handler for a free socket *after* `onSent` stamped it as sent, so the scheduler's
 * quota window would count it from a moment the service never saw, and its request timeout would
 * run while it had not left. One socket per possible call means a call leaves when it is stamped.
 */
export function socketsForModels(concurrencyPerModel: readonly number[]): number {
  return Math.max(DEFAULT_MAX_SOCKETS, concurrencyPerModel.reduce((sum, n) => sum + n, 0));
}

/**
 * Bedrock answers a Bedrock API key it does not accept with 403 AccessDeniedException ("Authentication
 * failed: Please make sure your API Key is valid."), which would otherwise read as "this model is not
 * enabled" and drop one model after another: it is a credentials error, for every model at once.
 */
function apiKeyRefused(error: ProviderError): ProviderError {
  if (error.code !== 'AccessDeniedException' || !/\bAPI Key\b/i.test(error.message)) return error;
  // A new message: classify's hint for AccessDenied (model access in the console) would mislead.
  const message = `${error.code}: Bedrock refused the API key in AWS_BEARER_TOKEN_BEDROCK (wrong, expired, or made for another region); create one for this region in the Bedrock console, or unset the variable to use the default credential chain`;
  return new ProviderError('credentials', error.code, message, error.httpStatus);
}

// The schema is a readonly literal in the contract; the SDK types a JSON document as mutable.
const FINDINGS_TOOL: unknown = FINDINGS_TOOL_SPEC;

export function buildConverseInput(request: Omit<ModelRequest, 'onSent'>): ConverseCommandInput {
  return {
    modelId: request.modelId,
    system: [{ text: request.system }],
    messages: [{ role: 'user', content: [{ text: request.prompt }] }],
    inferenceConfig: { maxTokens: request.maxTokens, temperature: 0 },
    toolConfig: {
      tools: [FINDINGS_TOOL as Tool],
      toolChoice: request.toolChoice === 'tool' ? { tool: { name: FINDINGS_TOOL_NAME } } : { auto: {} },
    },
    ...(request.serviceTier ? { serviceTier: { type: request.serviceTier } } : {}),
  };
}

/** A count as the service sent it, or absent: the SDK types usage as numbers but passes along whatever came. */
function reportedCount(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/**
 * Only the offered tool's input is findings, and only when it is the answer's one tool call: a call
 * to another tool (or several calls) is not an answer to our question, whatever its input says.
 */
export function mapConverseOutput(output: ConverseCommandOutput, fallbackLatencyMs: number, toolChoice?: 'tool' | 'auto'): ModelResponse {
  const blocks: ContentBlock[] = output.output?.message?.content ?? [];
  const toolUses = blocks.flatMap((b) => (b.toolUse ? [b.toolUse] : []));
  const texts = blocks.flatMap((b) => (typeof b.text === 'string' ? [b.text] : []));
  const usage: ModelResponse['usage'] = {};
  const inputTokens = reportedCount(output.usage?.inputTokens);
  const outputTokens = reportedCount(output.usage?.outputTokens);
  if (inputTokens !== undefined) usage.inputTokens = inputTokens;
  if (outputTokens !== undefined) usage.outputTokens = outputTokens;
  // Reported apart from inputTokens when the prompt cache was used; quota counting needs both (calibration.ts).
  const cacheRead = reportedCount(output.usage?.cacheReadInputTokens);
  const cacheWrite = reportedCount(output.usage?.cacheWriteInputTokens);
  if (cacheRead !== undefined && Number.isSafeInteger(cacheRead) && cacheRead > 0) usage.cacheReadInputTokens = cacheRead;
  if (cacheWrite !== undefined && Number.isSafeInteger(cacheWrite) && cacheWrite > 0) usage.cacheWriteInputTokens = cacheWrite;
  // A negative or absent latency would move the call's quota entry to a time it was not made.
  const latency = reportedCount(output.metrics?.latencyMs);
  const response: ModelResponse = {
    usage,
    stopReason: typeof output.stopReason === 'string' ? output.stopReason : 'unknown',
    latencyMs: Number.isFinite(latency) && latency! >= 0 ? latency! : fallbackLatencyMs,
  };
  if (toolChoice) response.toolChoice = toolChoice;
  const tier = typeof output.serviceTier?.type === 'string' ? output.serviceTier.type : undefined;
  if (tier && tier !== 'default') response.serviceTier = tier;
  if (toolUses.length > 1) response.toolUseRejected = `${toolUses.length} tool calls where one was asked for`;
  else if (toolUses.length === 1 && toolUses[0]!.name !== FINDINGS_TOOL_NAME) response.toolUseRejected = 'a call to a tool Chorus did not offer';
  else if (toolUses.length === 1) response.toolInput = toolUses[0]!.input;
  if (texts.length > 0) response.text = texts.join('\n');
  return response;
}

export function createBedrockProviders(options: BedrockProviderOptions): (modelId: string) => ModelProvider {
  if (typeof options?.region !== 'string' || options.region === '') {
    throw new TypeError(`Expected options.region to be a non-empty string, got ${JSON.stringify(options?.region)}`);
  }
  const clock = options.clock ?? systemClock;
  const requestTimeout = Math.max(1, Math.round(clock.toRealMs(options.requestTimeoutMs ?? 120_000)));
  const maxSockets = options.maxSockets ?? DEFAULT_MAX_SOCKETS;
  const handlerOptions = {
    requestTimeout, connectionTimeout: Math.min(requestTimeout, 10_000), throwOnRequestTimeout: true,
    // Merged by the handler into its keep-alive agents (http for the emulator, https for AWS).
    httpAgent: { maxSockets }, httpsAgent: { maxSockets },
  };
  const client = new BedrockRuntimeClient({
    region: options.region,
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    maxAttempts: 1,
    // Read ~/.aws/credentials and config afresh when credentials are resolved (first call, expiry,
    // after a failure): the SDK otherwise caches those files per process, and credentials created
    // after a failure would be ignored until the extension host restarts. Forwarded to the default
    // chain's ini loader; not in the client's config type.
    ...({ ignoreCache: true } as object),
    requestHandler: options.http2 ? new NodeHttp2Handler({ requestTimeout }) : new NodeHttpHandler(handlerOptions),
  });
  // Models that refused a forced tool choice get `auto` from then on.
  const autoOnly = new Set<string>();
  // Models that refused a service tier are called on Standard from then on.
  const standardOnly = new Set<string>();
  // Output limits the service named in a ValidationException: later calls ask for no more.
  const outputLimits = new Map<string, number>();

  const send = async (request: ModelRequest, signal: AbortSignal): Promise<ModelResponse> => {
    const started = clock.now();
    const command = new ConverseCommand(buildConverseInput(request));
    const onSent = request.onSent;
    if (onSent) {
      // Innermost in the last step before the HTTP handler: runs when the signed request leaves.
      command.middlewareStack.add((next) => (args) => {
        onSent();
        return next(args);
      }, { step: 'deserialize', priority: 'low', name: 'chorusOnSent' });
    }
    const output = await client.send(command, { abortSignal: signal });
    const response = mapConverseOutput(output, clock.now() - started, request.toolChoice);
    // The service names the tier it used; when it does not, the call was billed as asked.
    if (request.serviceTier && response.serviceTier === undefined && output.serviceTier === undefined) response.serviceTier = request.serviceTier;
    return response;
  };

  const providers = new Map<string, ModelProvider>();
  return (modelId) => {
    let provider = providers.get(modelId);
    if (!provider) {
      provider = {
        // At most one fallback to `auto` and one clamp to a named output limit, each a retry on
        // this model: both change the request, so the same refusal cannot come back.
        async converse(request, signal) {
          let forced = request.toolChoice === 'tool' && !autoOnly.has(modelId);
          let tier = standardOnly.has(modelId) ? undefined : request.serviceTier;
          let clamped = false;
          for (;;) {
            const maxTokens = Math.min(request.maxTokens, outputLimits.get(modelId) ?? Number.POSITIVE_INFINITY);
            try {
              const { serviceTier: _asked, ...rest } = request;
              return await send({ ...rest, maxTokens, toolChoice: forced ? 'tool' : 'auto', ...(tier ? { serviceTier: tier } : {}) }, signal);
            } catch (err) {
              const error = apiKeyRefused(classifyError(err));
              if (error.code !== 'ValidationException') throw error;
              if (tier && isServiceTierRefusal(error.message)) {
                standardOnly.add(modelId);
                tier = undefined;
                continue;
              }
              if (forced && isToolChoiceUnsupported(error.message)) {
                autoOnly.add(modelId);
                forced = false;
                continue;
              }
              const limit = outputLimitIn(error.message);
              if (clamped || limit === undefined || limit >= maxTokens) throw error;
              outputLimits.set(modelId, limit);
              clamped = true;
            }
          }
        },
      };
      providers.set(modelId, provider);
    }
    return provider;
  };
}
