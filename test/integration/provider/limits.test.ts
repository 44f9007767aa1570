/**
 * The Bedrock provider (real AWS SDK client) against the emulator: an output cap above the model's
 * limit is clamped to the limit the ValidationException names and retried once on the same model;
 * the socket pool lets every call that may be in flight reach the service at once.
 */
import assert from 'node:assert/strict';
import { renderBatchPrompt, SYSTEM_PROMPT } from '../../../src/core/contract';
import { createBedrockProviders, DEFAULT_MAX_SOCKETS, ProviderError, socketsForModels, type ModelRequest } from '../../../src/core/providers';
import { startEmulator, type RunningEmulator } from '../../../src/emulator';

const NOVA = 'us.amazon.nova-pro-v1:0';
const LLAMA = 'us.meta.llama3-3-70b-instruct-v1:0';
const STRICT = 'us.amazon.nova-lite-v1:0';
const CREDENTIALS = { accessKeyId: 'AKIDLIMITSTEST', secretAccessKey: 'limits-test-secret' };

const prompt = renderBatchPrompt([{ path: 'src/a.ts', text: 'const x = 1;\neval(x);\n' }]);
const request = (modelId: string, maxTokens: number): ModelRequest => ({ modelId, system: SYSTEM_PROMPT, prompt, maxTokens, toolChoice: 'tool' });
const never = () => new AbortController().signal;

describe('Bedrock provider: output limits and the socket pool (emulator)', function () {
  this.timeout(30_000);
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator({
      config: {
        models: [
          { id: NOVA, tokensPerMinute: 1_000_000 },
          { id: LLAMA, tokensPerMinute: 1_000_000, toolChoice: ['auto'] },
          // Stricter than its family: stands for a model whose real limit is below our table's.
          { id: STRICT, tokensPerMinute: 1_000_000, maxOutputTokens: 3_000 },
        ],
      },
      timeScale: 600,
    });
  });
  after(() => emulator.close());
  const since = (n: number) => emulator.requests().slice(n).map((r) => [r.model, r.maxTokens, r.outcome]);

  it('clamps to the named limit, retries once on the same model, and asks for no more from then on', async () => {
    const providerFor = createBedrockProviders({ region: 'us-east-1', endpoint: emulator.url, clock: emulator.clock, credentials: CREDENTIALS });
    const start = emulator.requests().length;
    let sent = 0;
    const first = await providerFor(STRICT).converse({ ...request(STRICT, 4_500), onSent: () => sent++ }, never());
    assert.equal(first.stopReason, 'tool_use');
    assert.equal(sent, 2, 'each attempt is stamped when it leaves');
    assert.deepEqual(since(start), [[STRICT, 4_500, 'ValidationException'], [STRICT, 3_000, 'ok']]);
    const next = emulator.requests().length;
    await providerFor(STRICT).converse(request(STRICT, 4_500), never());
    await providerFor(STRICT).converse(request(STRICT, 1_000), never());
    assert.deepEqual(since(next), [[STRICT, 3_000, 'ok'], [STRICT, 1_000, 'ok']], 'learned once; a smaller cap is sent as asked');
  });

  it('combines with the tool-choice fallback: Llama refused `tool` and a cap over 4,096, still one answer', async () => {
    const providerFor = createBedrockProviders({ region: 'us-east-1', endpoint: emulator.url, clock: emulator.clock, credentials: CREDENTIALS });
    const start = emulator.requests().length;
    const response = await providerFor(LLAMA).converse(request(LLAMA, 8_192), never());
    assert.equal(response.stopReason, 'end_turn');
    assert.match(response.text ?? '', /"findings"/);
    const calls = emulator.requests().slice(start).map((r) => [r.toolChoice, r.maxTokens, r.outcome]);
    assert.deepEqual(calls, [['tool', undefined, 'ValidationException'], ['auto', 8_192, 'ValidationException'], ['auto', 4_096, 'ok']]);
  });

  it('does not retry a ValidationException that names no output limit', async () => {
    const providerFor = createBedrockProviders({ region: 'us-east-1', endpoint: emulator.url, clock: emulator.clock, credentials: CREDENTIALS });
    const start = emulator.requests().length;
    // A body over the emulator's size limit: a ValidationException about the input.
    const huge = { ...request(NOVA, 1_000), prompt: renderBatchPrompt([{ path: 'big.ts', text: 'x'.repeat(9 * 1024 * 1024) }]) };
    await assert.rejects(providerFor(NOVA).converse(huge, never()), (e: unknown) => e instanceof ProviderError && e.kind === 'invalid-request' && e.code === 'ValidationException');
    assert.equal(emulator.requests().length - start, 1, 'one request, no retry');
  });

  it('a clamped retry that fails for another reason reports that failure, with no third attempt', async () => {
    const providerFor = createBedrockProviders({ region: 'us-east-1', endpoint: emulator.url, clock: emulator.clock, credentials: CREDENTIALS });
    const start = emulator.requests().length;
    // The limit check comes before faults in the emulator, as validation does before admission in Bedrock.
    emulator.setFaults([{ model: NOVA, kind: 'throttle' }]);
    try {
      await assert.rejects(providerFor(NOVA).converse(request(NOVA, 6_000), never()), (e: unknown) => e instanceof ProviderError && e.kind === 'throttled');
    } finally {
      emulator.setFaults([]);
    }
    assert.deepEqual(since(start), [[NOVA, 6_000, 'ValidationException'], [NOVA, 5_000, 'throttled']]);
  });

  async function peakInFlight(maxSockets: number | undefined, calls: number): Promise<number> {
    const providerFor = createBedrockProviders({
      region: 'us-east-1', endpoint: emulator.url, clock: emulator.clock, credentials: CREDENTIALS, ...(maxSockets ? { maxSockets } : {}),
    });
    emulator.setFaults([{ model: NOVA, kind: 'hang' }]);
    const abort = new AbortController();
    const pending = Array.from({ length: calls }, () => providerFor(NOVA).converse(request(NOVA, 500), abort.signal).catch(() => undefined));
    try {
      // Every call the pool lets out arrives and hangs: read the peak once it has held for three seconds
      // (bounded; on a loaded machine the calls arrive slowly, so no fixed wait is enough).
      let peak = 0;
      let stableSince = Date.now();
      for (const deadline = Date.now() + 20_000; Date.now() < deadline && peak < calls && Date.now() - stableSince < 3_000; ) {
        await new Promise((r) => setTimeout(r, 20));
        const now = emulator.stats().models[NOVA]!.inFlight;
        if (now > peak) [peak, stableSince] = [now, Date.now()];
      }
      return peak;
    } finally {
      abort.abort();
      await Promise.all(pending);
      emulator.setFaults([]);
    }
  }

  it('with the SDK’s pool only 50 calls reach the service; sized to two models × 32, all 64 do', async () => {
    assert.equal(await peakInFlight(undefined, 64), DEFAULT_MAX_SOCKETS, 'the 14 others wait for a socket after being stamped as sent');
    assert.equal(await peakInFlight(socketsForModels([32, 32]), 64), 64);
  });
});
