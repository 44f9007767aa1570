import assert from 'node:assert/strict';
import {
  AccessDeniedException,
  BedrockRuntimeServiceException,
  ConverseCommand,
  InternalServerException,
  ModelErrorException,
  ModelNotReadyException,
  ModelTimeoutException,
  ResourceNotFoundException,
  ServiceUnavailableException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-bedrock-runtime';
import { startEmulator, THROTTLE_MESSAGE, type EmulatorConfig, type RunningEmulator } from '../../../src/emulator';
import { LLAMA, client, findingsRequest, type Protocol } from './helpers';

const FAULTED = [
  ['ModelNotReadyException', ModelNotReadyException, 429],
  ['ServiceUnavailableException', ServiceUnavailableException, 503],
  ['InternalServerException', InternalServerException, 500],
  ['ModelTimeoutException', ModelTimeoutException, 408],
  ['ModelErrorException', ModelErrorException, 424],
  ['ExpiredTokenException', BedrockRuntimeServiceException, 403],
] as const;

/** One model per injected error, so each case is independent of the others. */
const config: EmulatorConfig = {
  models: [
    { id: LLAMA, tokensPerMinute: 60_000, toolChoice: ['auto'] },
    { id: 'tiny.model-v1:0', tokensPerMinute: 100 },
    { id: 'denied.model-v1:0', tokensPerMinute: 10_000, access: 'denied' },
    ...FAULTED.map(([name]) => ({ id: `fault.${name}-v1:0`, tokensPerMinute: 100_000 })),
  ],
  faults: FAULTED.map(([name]) => ({ model: `fault.${name}-v1:0`, kind: name })),
};

async function rejection(promise: Promise<unknown>): Promise<BedrockRuntimeServiceException> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof BedrockRuntimeServiceException, `expected a service exception, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to fail');
}

describe('emulator: every Bedrock error arrives in the SDK as its own exception', function () {
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startEmulator({ config, timeScale: 600 });
  });
  after(() => emulator.close());

  for (const protocol of ['http/1.1', 'h2'] as const satisfies Protocol[]) {
    describe(`over ${protocol}`, () => {
      const call = (modelId: string, options?: Parameters<typeof findingsRequest>[1]) => {
        const sdk = client(emulator.url, protocol);
        return sdk.send(new ConverseCommand(findingsRequest(modelId, options))).finally(() => sdk.destroy());
      };

      for (const [name, type, status] of FAULTED) {
        it(`${name} (${status})`, async () => {
          const error = await rejection(call(`fault.${name}-v1:0`));
          assert.ok(error instanceof type);
          assert.equal(error.name, name);
          assert.equal(error.$metadata.httpStatusCode, status);
        });
      }

      it('ThrottlingException (429) with Bedrock\'s message when over the tokens-per-minute quota', async () => {
        const error = await rejection(call('tiny.model-v1:0', { maxTokens: 200 }));
        assert.ok(error instanceof ThrottlingException);
        assert.equal(error.$metadata.httpStatusCode, 429);
        assert.equal(error.message, THROTTLE_MESSAGE);
      });

      it('ValidationException (400) when a Llama-like model is forced to call a tool', async () => {
        const error = await rejection(call(LLAMA, { toolChoice: 'tool' }));
        assert.ok(error instanceof ValidationException);
        assert.match(error.message, /toolChoice/);
      });

      it('ValidationException (400) when maxTokens is above the model limit', async () => {
        const error = await rejection(call(LLAMA, { toolChoice: 'auto', maxTokens: 100_000 }));
        assert.ok(error instanceof ValidationException);
      });

      it('AccessDeniedException (403) for a model without access', async () => {
        const error = await rejection(call('denied.model-v1:0'));
        assert.ok(error instanceof AccessDeniedException);
        assert.equal(error.$metadata.httpStatusCode, 403);
      });

      it('ResourceNotFoundException (404) for an unknown model', async () => {
        const error = await rejection(call('us.amazon.nova-premier-v9:0'));
        assert.ok(error instanceof ResourceNotFoundException);
        assert.equal(error.$metadata.httpStatusCode, 404);
      });
    });
  }

  it('ThrottlingException (429) when over the requests-per-minute quota', async () => {
    // Real time and a fast model, so all three land in one 60 s window whatever the machine load.
    const rpm = await startEmulator({ config: { models: [{ id: 'rpm.model-v1:0', tokensPerMinute: 1_000_000, requestsPerMinute: 2, firstTokenMs: 1, outputTokensPerSecond: 1e6 }] } });
    const sdk = client(rpm.url, 'h2');
    try {
      const results = await Promise.allSettled([1, 2, 3].map(() => sdk.send(new ConverseCommand(findingsRequest('rpm.model-v1:0')))));
      const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
      assert.equal(refused.length, 1);
      assert.ok(refused[0] instanceof ThrottlingException);
      assert.match(refused[0].message, /Too many requests/);
    } finally {
      sdk.destroy();
      await rpm.close();
    }
  });

  // A suite of its own: mocha runs a suite's tests before its child suites.
  describe('afterwards', () => it('records each refusal with its outcome and counts it per model', () => {
    const outcomes = new Set(emulator.requests().map((r) => r.outcome));
    for (const [name] of FAULTED) assert.ok(outcomes.has(name), name);
    for (const name of ['throttled', 'ValidationException', 'AccessDeniedException', 'ResourceNotFoundException']) {
      assert.ok(outcomes.has(name), name);
    }
    const stats = emulator.stats();
    assert.equal(stats.models['tiny.model-v1:0']?.throttled, 2);
    assert.equal(stats.models['fault.InternalServerException-v1:0']?.errored, 2);
    assert.equal(stats.models['fault.InternalServerException-v1:0']?.accepted, 0);
    assert.equal(stats.unrouted, 2);
  }));
});
