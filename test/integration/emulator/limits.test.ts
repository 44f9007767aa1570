/**
 * The emulator's daily quota, concurrency limit, ServiceQuotaExceededException and
 * ModelNotReadyException, through the real Bedrock Runtime client: each arrives as the SDK's own
 * exception with Bedrock's status and message, and Chorus classifies each by what it means.
 */
import assert from 'node:assert/strict';
import {
  BedrockRuntimeServiceException,
  ConverseCommand,
  ModelNotReadyException,
  ServiceQuotaExceededException,
  ServiceUnavailableException,
  ThrottlingException,
} from '@aws-sdk/client-bedrock-runtime';
import { classifyError } from '../../../src/core/providers/classify';
import {
  startEmulator, TOO_MANY_CONNECTIONS_MESSAGE, TOO_MANY_TOKENS_PER_DAY_MESSAGE, validateEmulatorConfig, type EmulatorConfig, type RunningEmulator,
} from '../../../src/emulator';
import { client, findingsRequest, type Protocol } from './helpers';

const DAILY = 'daily.model-v1:0';
const NARROW = 'narrow.model-v1:0';
const SQE = 'sqe.model-v1:0';
const NOT_READY = 'notready.model-v1:0';

const config: EmulatorConfig = {
  models: [
    // Room for one or two of these requests a day (each reserves ~550 input + 500 output, charges ~800).
    { id: DAILY, tokensPerMinute: 100_000, tokensPerDay: 2_000 },
    // Slow enough that four calls sent together are all in flight at once.
    { id: NARROW, tokensPerMinute: 1_000_000, maxConcurrency: 2, firstTokenMs: 20_000 },
    { id: SQE, tokensPerMinute: 100_000 },
    { id: NOT_READY, tokensPerMinute: 100_000 },
  ],
  faults: [
    { model: SQE, kind: 'ServiceQuotaExceededException' },
    { model: NOT_READY, kind: 'ModelNotReadyException' },
  ],
};

async function outcome(promise: Promise<unknown>): Promise<'ok' | BedrockRuntimeServiceException> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    assert.ok(error instanceof BedrockRuntimeServiceException, `expected a service exception, got ${String(error)}`);
    return error;
  }
}

describe('emulator: daily quota, concurrency limit and the other quota errors, as Bedrock answers them', function () {
  this.timeout(30_000);
  let emulator: RunningEmulator;
  beforeEach(async () => {
    // A fresh emulator per test: the daily window and the fault dice start over.
    emulator = await startEmulator({ config, timeScale: 600 });
  });
  afterEach(() => emulator.close());

  for (const protocol of ['http/1.1', 'h2'] as const satisfies Protocol[]) {
    const call = (modelId: string) => {
      const sdk = client(emulator.url, protocol);
      return sdk.send(new ConverseCommand(findingsRequest(modelId, { maxTokens: 500 }))).finally(() => sdk.destroy());
    };

    it(`${protocol}: the daily quota runs out: 429 ThrottlingException "Too many tokens per day", classified daily-quota`, async () => {
      const results = [];
      for (let i = 0; i < 4; i++) results.push(await outcome(call(DAILY)));
      assert.equal(results[0], 'ok');
      const first = results.findIndex((r) => r !== 'ok');
      assert.ok(first > 0, 'the quota ran out');
      const refused = results.slice(first).filter((r): r is BedrockRuntimeServiceException => r !== 'ok');
      assert.equal(refused.length, results.length - first, 'once out, every later call is refused');
      for (const e of refused) {
        assert.ok(e instanceof ThrottlingException);
        assert.equal(e.$metadata.httpStatusCode, 429);
        assert.equal(e.message, TOO_MANY_TOKENS_PER_DAY_MESSAGE);
        assert.equal(classifyError(e).kind, 'daily-quota');
      }
      // The day's charge never exceeds the quota: reservations that ran settle to what was used.
      const charged = emulator.requests().filter((r) => r.model === DAILY).reduce((s, r) => s + r.chargedTokens, 0);
      assert.ok(charged <= 2_000, `${charged} tokens charged in the day`);
    });

    it(`${protocol}: more calls in flight than maxConcurrency: 503 "Too many connections", classified connections`, async () => {
      const results = await Promise.all(Array.from({ length: 4 }, () => outcome(call(NARROW))));
      assert.equal(results.filter((r) => r === 'ok').length, 2);
      const refused = results.filter((r): r is BedrockRuntimeServiceException => r !== 'ok');
      assert.equal(refused.length, 2);
      for (const e of refused) {
        assert.ok(e instanceof ServiceUnavailableException);
        assert.equal(e.$metadata.httpStatusCode, 503);
        assert.equal(e.message, TOO_MANY_CONNECTIONS_MESSAGE);
        assert.equal(classifyError(e).kind, 'connections');
      }
      // Once the two finished, there is room again.
      assert.equal(await outcome(call(NARROW)), 'ok');
    });

    it(`${protocol}: ServiceQuotaExceededException is a 400 and a quota error, not a throttle; ModelNotReady a 429 backoff`, async () => {
      const sqe = await outcome(call(SQE));
      assert.ok(sqe instanceof ServiceQuotaExceededException);
      assert.equal(sqe.$metadata.httpStatusCode, 400);
      assert.match(sqe.message, /exceeds the service quota for your account/);
      assert.equal(classifyError(sqe).kind, 'quota-exceeded');
      const notReady = await outcome(call(NOT_READY));
      assert.ok(notReady instanceof ModelNotReadyException);
      assert.equal(notReady.$metadata.httpStatusCode, 429);
      assert.equal(classifyError(notReady).kind, 'transient');
    });
  }

  it('rejects a bad tokensPerDay or maxConcurrency with the field path', () => {
    const bad = (m: object) => () => validateEmulatorConfig({ models: [{ id: 'm', tokensPerMinute: 1000, ...m }] });
    assert.throws(bad({ tokensPerDay: 0 }), /models\[0\]\.tokensPerDay should be a positive number/);
    assert.throws(bad({ maxConcurrency: 1.5 }), /models\[0\]\.maxConcurrency should be an integer >= 1/);
    assert.doesNotThrow(bad({ tokensPerDay: 1_440_000, maxConcurrency: 4 }));
  });
});
