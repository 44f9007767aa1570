/**
 * Service tiers through the real SDK against the emulator: a model that serves Flex gets the field
 * and the answer is priced as Flex; a model that does not (Llama 3.3) refuses it with a
 * ValidationException, the provider retries once on Standard and asks that model for no tier again.
 */
import assert from 'node:assert/strict';
import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { renderBatchPrompt, SYSTEM_PROMPT } from '../../../src/core/contract';
import { createBedrockProviders, priceRatio, type ModelRequest } from '../../../src/core/providers';
import { startEmulator, type RunningEmulator } from '../../../src/emulator';
import { client } from '../emulator/helpers';

const NOVA = 'us.amazon.nova-pro-v1:0';
const LLAMA = 'us.meta.llama3-3-70b-instruct-v1:0';
const CREDENTIALS = { accessKeyId: 'AKIDTIERTEST', secretAccessKey: 'tier-test-secret' };
const prompt = renderBatchPrompt([{ path: 'src/a.ts', text: 'const x = 1;\neval(x);\n' }]);
const request = (modelId: string, serviceTier?: 'flex' | 'priority'): ModelRequest => ({ modelId, system: SYSTEM_PROMPT, prompt, maxTokens: 500, toolChoice: modelId === LLAMA ? 'auto' : 'tool', ...(serviceTier ? { serviceTier } : {}) });
const never = () => new AbortController().signal;

describe('Bedrock provider: service tiers (emulator)', function () {
  this.timeout(30_000);
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator({ config: { models: [{ id: NOVA, tokensPerMinute: 1_000_000 }, { id: LLAMA, tokensPerMinute: 1_000_000, toolChoice: ['auto'] }] }, timeScale: 600 });
  });
  after(() => emulator.close());
  const since = (n: number) => emulator.requests().slice(n).map((r) => [r.model, r.serviceTier ?? '-', r.outcome]);

  it('sends serviceTier to a model that serves it; the answer is priced at the Flex ratio', async () => {
    const providerFor = createBedrockProviders({ region: 'us-east-1', endpoint: emulator.url, clock: emulator.clock, credentials: CREDENTIALS });
    const start = emulator.requests().length;
    const answer = await providerFor(NOVA).converse(request(NOVA, 'flex'), never());
    assert.equal(answer.serviceTier, 'flex');
    assert.equal(priceRatio(answer.serviceTier), 0.5);
    assert.deepEqual(since(start), [[NOVA, 'flex', 'ok']]);
    const standard = await providerFor(NOVA).converse(request(NOVA), never());
    assert.equal(standard.serviceTier, undefined);
    assert.equal(priceRatio(standard.serviceTier), 1);
  });

  it('a model that does not serve the tier: ValidationException, one retry on Standard, Standard from then on', async () => {
    const providerFor = createBedrockProviders({ region: 'us-east-1', endpoint: emulator.url, clock: emulator.clock, credentials: CREDENTIALS });
    const start = emulator.requests().length;
    const answer = await providerFor(LLAMA).converse(request(LLAMA, 'flex'), never());
    assert.equal(answer.serviceTier, undefined, 'served (and priced) as Standard');
    assert.deepEqual(since(start), [[LLAMA, 'flex', 'ValidationException'], [LLAMA, '-', 'ok']]);
    const next = emulator.requests().length;
    await providerFor(LLAMA).converse(request(LLAMA, 'flex'), never());
    assert.deepEqual(since(next), [[LLAMA, '-', 'ok']]);
  });

  it('the emulator answers an unknown tier and an unsupported one with ValidationException (real SDK, no Chorus code)', async () => {
    const sdk = client(emulator.url, 'http/1.1');
    const input = { modelId: LLAMA, messages: [{ role: 'user' as const, content: [{ text: 'hi' }] }] };
    await assert.rejects(sdk.send(new ConverseCommand({ ...input, serviceTier: { type: 'priority' } })), (e: Error) => e.name === 'ValidationException' && /service tier \(priority\) is not supported/.test(e.message));
    await assert.rejects(sdk.send(new ConverseCommand({ ...input, serviceTier: { type: 'turbo' as 'flex' } })), (e: Error) => e.name === 'ValidationException' && /enum value set/.test(e.message));
    const ok = await sdk.send(new ConverseCommand({ ...input, serviceTier: { type: 'default' } }));
    assert.equal(ok.stopReason, 'end_turn');
    assert.deepEqual(ok.serviceTier, { type: 'default' }, 'the response names the tier that served it');
    const flex = await sdk.send(new ConverseCommand({ ...input, modelId: NOVA, serviceTier: { type: 'flex' } }));
    assert.deepEqual(flex.serviceTier, { type: 'flex' });
  });
});
