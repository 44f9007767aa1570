/** The Bedrock provider (real AWS SDK v3 client) against the emulator: mapping, errors, tool choice. */
import assert from 'node:assert/strict';
import { renderBatchPrompt, SYSTEM_PROMPT } from '../../../src/core/contract';
import { createBedrockProviders, ProviderError, type ModelRequest } from '../../../src/core/providers';
import { startEmulator, type RunningEmulator } from '../../../src/emulator';

const NOVA = 'us.amazon.nova-pro-v1:0';
const LLAMA = 'us.meta.llama3-3-70b-instruct-v1:0';
const CREDENTIALS = { accessKeyId: 'AKIDPROVIDERTEST', secretAccessKey: 'provider-test-secret' };

const prompt = renderBatchPrompt([{ path: 'src/a.ts', text: 'const x = 1;\neval(x);\ntry { f(); } catch (e) {}\n' }]);
const request = (modelId: string, toolChoice: 'tool' | 'auto'): ModelRequest => ({ modelId, system: SYSTEM_PROMPT, prompt, maxTokens: 1000, toolChoice });

describe('Bedrock provider against the emulator', function () {
  this.timeout(30_000);
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator({
      config: { models: [{ id: NOVA, tokensPerMinute: 100_000 }, { id: LLAMA, tokensPerMinute: 60_000 }, { id: 'denied.model-v1', tokensPerMinute: 1000, access: 'denied' }] },
      timeScale: 100,
    });
  });
  after(() => emulator.close());

  for (const http2 of [false, true]) {
    it(`answers with the findings tool input, usage and stop reason (${http2 ? 'HTTP/2' : 'HTTP/1.1'})`, async () => {
      const providerFor = createBedrockProviders({ region: 'us-east-1', endpoint: emulator.url, clock: emulator.clock, credentials: CREDENTIALS, http2 });
      let sent = 0;
      const response = await providerFor(NOVA).converse({ ...request(NOVA, 'tool'), onSent: () => sent++ }, new AbortController().signal);
      assert.equal(sent, 1);
      assert.equal(response.stopReason, 'tool_use');
      assert.ok(Array.isArray((response.toolInput as { findings: unknown[] }).findings));
      const record = emulator.requests().at(-1)!;
      assert.equal(record.protocol, http2 ? 'h2' : 'http/1.1');
      assert.deepEqual(response.usage, { inputTokens: record.inputTokens, outputTokens: record.outputTokens });
    });
  }

  it('falls back to auto when a model refuses a forced tool choice, and remembers it', async () => {
    const providerFor = createBedrockProviders({ region: 'us-east-1', endpoint: emulator.url, clock: emulator.clock, credentials: CREDENTIALS });
    const before = emulator.requests().length;
    const first = await providerFor(LLAMA).converse(request(LLAMA, 'tool'), new AbortController().signal);
    assert.equal(first.stopReason, 'end_turn');
    assert.match(first.text ?? '', /"findings"/);
    await providerFor(LLAMA).converse(request(LLAMA, 'tool'), new AbortController().signal);
    const outcomes = emulator.requests().slice(before).map((r) => [r.toolChoice, r.outcome]);
    assert.deepEqual(outcomes, [['tool', 'ValidationException'], ['auto', 'ok'], ['auto', 'ok']]);
  });

  it('classifies the service’s errors: AccessDenied, unknown model, throttling', async () => {
    const providerFor = createBedrockProviders({ region: 'us-east-1', endpoint: emulator.url, clock: emulator.clock, credentials: CREDENTIALS });
    const kindOf = (modelId: string) => providerFor(modelId).converse(request(modelId, 'tool'), new AbortController().signal).then(
      () => 'ok',
      (e: unknown) => (e instanceof ProviderError ? `${e.kind}:${e.code}` : 'unclassified'),
    );
    assert.equal(await kindOf('denied.model-v1'), 'model-unavailable:AccessDeniedException');
    assert.equal(await kindOf('no.such-model-v1'), 'model-unavailable:ResourceNotFoundException');
    emulator.setFaults([{ model: NOVA, kind: 'throttle' }]);
    try {
      assert.equal(await kindOf(NOVA), 'throttled:ThrottlingException');
    } finally {
      emulator.setFaults([]);
    }
  });

  it('ends a hung call at the socket timeout, as an unreachable TimeoutError', async () => {
    const providerFor = createBedrockProviders({ region: 'us-east-1', endpoint: emulator.url, clock: emulator.clock, credentials: CREDENTIALS, requestTimeoutMs: 20_000 });
    emulator.setFaults([{ model: NOVA, kind: 'hang' }]);
    try {
      await assert.rejects(providerFor(NOVA).converse(request(NOVA, 'tool'), new AbortController().signal), (e: unknown) => e instanceof ProviderError && e.kind === 'unreachable' && e.code === 'TimeoutError');
    } finally {
      emulator.setFaults([]);
    }
  });
});
