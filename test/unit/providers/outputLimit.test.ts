import assert from 'node:assert/strict';
import { DEFAULT_MAX_SOCKETS, outputLimitIn, socketsForModels } from '../../../src/core/providers';

describe('outputLimitIn: the limit a ValidationException names', () => {
  const cases: [string, number | undefined][] = [
    // Bedrock's message (the emulator sends the same).
    ['The maximum tokens you requested exceeds the model limit of 4096. Try again with a maximum tokens value that is lower than 4096.', 4096],
    ['The maximum tokens you requested exceeds the model limit of 5000. Try again with a maximum tokens value that is lower than 5000.', 5000],
    // Schema-style phrasings some model families use.
    ['Malformed input request: #/inferenceConfig/maxTokens: 10001 is not less than or equal to 10000, please reformat your input and try again.', 10000],
    ['max_tokens must be <= 8192', 8192],
    ['max_new_tokens: the maximum allowed value is 5000', 5000],
    // Not about the output cap: clamping maxTokens would not help these.
    ['prompt is too long: 200049 tokens > 200000 maximum', undefined],
    ['Input is too long for requested model.', undefined],
    ["This model doesn't support the toolChoice tool. Supported: auto.", undefined],
    ['The maximum tokens you requested exceeds the model limit.', undefined],
    ['', undefined],
  ];
  for (const [message, expected] of cases) {
    it(`${JSON.stringify(message.slice(0, 60))} → ${String(expected)}`, () => assert.equal(outputLimitIn(message), expected));
  }
});

describe('socketsForModels', () => {
  it('one socket per call that may be in flight, never fewer than the SDK default', () => {
    assert.equal(socketsForModels([32, 32]), 64);
    assert.equal(socketsForModels([32, 32, 32]), 96);
    assert.equal(socketsForModels([4]), DEFAULT_MAX_SOCKETS);
    assert.equal(socketsForModels([]), DEFAULT_MAX_SOCKETS);
  });
});
