import assert from 'node:assert/strict';
import { AccessDeniedException, ModelNotReadyException, ServiceQuotaExceededException, ServiceUnavailableException, ThrottlingException, ValidationException } from '@aws-sdk/client-bedrock-runtime';
import { FINDINGS_TOOL_NAME } from '../../../src/core/contract';
import { buildConverseInput, classifyError, createBedrockProviders, defaultToolChoice, mapConverseOutput, ProviderError } from '../../../src/core/providers';

const meta = { $metadata: {} };

describe('classifyError', () => {
  const cases: [string, unknown, ProviderError['kind'], string][] = [
    ['ThrottlingException', new ThrottlingException({ message: 'Too many tokens, please wait before trying again.', ...meta }), 'throttled', 'ThrottlingException'],
    ['ModelNotReadyException', new ModelNotReadyException({ message: 'not ready', ...meta }), 'transient', 'ModelNotReadyException'],
    ['AccessDeniedException', new AccessDeniedException({ message: "You don't have access", ...meta }), 'model-unavailable', 'AccessDeniedException'],
    ['ValidationException', new ValidationException({ message: 'bad', ...meta }), 'invalid-request', 'ValidationException'],
    ['an error type with a URL suffix', Object.assign(new Error('x'), { name: 'ServiceUnavailableException:http://internal.amazon.com/coral/' }), 'transient', 'ServiceUnavailableException'],
    ['ExpiredTokenException', Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredTokenException' }), 'credentials', 'ExpiredTokenException'],
    ['a missing credential chain', Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), 'credentials', 'CredentialsProviderError'],
    ['a connection reset', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'transient', 'ECONNRESET'],
    ['the SDK request timeout', Object.assign(new Error('Request timed out'), { name: 'TimeoutError' }), 'unreachable', 'TimeoutError'],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }), 'unreachable', 'ECONNREFUSED'],
    ['a name that does not resolve', Object.assign(new Error('getaddrinfo ENOTFOUND bedrock.invalid'), { code: 'ENOTFOUND' }), 'unreachable', 'ENOTFOUND'],
    ['the daily quota', new ThrottlingException({ message: 'Too many tokens per day, please wait before trying again.', ...meta }), 'daily-quota', 'ThrottlingException'],
    ['too many requests per minute', new ThrottlingException({ message: 'Too many requests, please wait before trying again.', ...meta }), 'throttled', 'ThrottlingException'],
    ['ServiceQuotaExceededException', new ServiceQuotaExceededException({ message: 'Your request exceeds the service quota for your account.', ...meta }), 'quota-exceeded', 'ServiceQuotaExceededException'],
    ['503 too many connections', new ServiceUnavailableException({ message: 'Too many connections, please wait before trying again.', ...meta }), 'connections', 'ServiceUnavailableException'],
    ['a plain 503', new ServiceUnavailableException({ message: 'Bedrock is unable to process your request.', ...meta }), 'transient', 'ServiceUnavailableException'],
    ['an abort', new DOMException('This operation was aborted', 'AbortError'), 'aborted', 'AbortError'],
    ['an unknown 429', Object.assign(new Error('slow down'), { name: 'Weird', $metadata: { httpStatusCode: 429 } }), 'throttled', 'Weird'],
    ['an unknown 404', Object.assign(new Error('?'), { name: 'Weird', $metadata: { httpStatusCode: 404 } }), 'model-unavailable', 'Weird'],
    ['an unknown 502', Object.assign(new Error('?'), { name: 'Weird', $metadata: { httpStatusCode: 502 } }), 'transient', 'Weird'],
    ['a string', 'boom', 'transient', 'Error'],
  ];
  for (const [what, err, kind, code] of cases) {
    it(`${what} → ${kind}`, () => {
      const e = classifyError(err);
      assert.ok(e instanceof ProviderError);
      assert.deepEqual([e.kind, e.code], [kind, code]);
    });
  }

  it('says what the daily quota and a service quota mean, and what to do', () => {
    assert.match(classifyError(new ThrottlingException({ message: 'Too many tokens per day, please wait before trying again.', ...meta })).message, /tokens-per-day quota.*Service Quotas/);
    assert.match(classifyError(new ServiceQuotaExceededException({ message: 'exceeds', ...meta })).message, /not a per-minute throttle.*Service Quotas console/);
  });

  it('says what to do when a model or the credentials are the problem', () => {
    assert.match(classifyError(new AccessDeniedException({ message: 'denied', ...meta })).message, /model access is granted in the Bedrock console/);
    assert.match(classifyError(Object.assign(new Error('expired'), { name: 'ExpiredTokenException' })).message, /refresh or configure AWS credentials/);
  });

  it('passes a ProviderError through unchanged', () => {
    const e = new ProviderError('throttled', 'ThrottlingException', 'x');
    assert.equal(classifyError(e), e);
  });
});

describe('Bedrock request and response mapping', () => {
  const request = { modelId: 'us.amazon.nova-pro-v1:0', system: 'sys', prompt: 'review', maxTokens: 900, toolChoice: 'tool' as const };

  it('builds a Converse request with the findings tool, forced or auto', () => {
    const input = buildConverseInput(request);
    assert.equal(input.modelId, request.modelId);
    assert.deepEqual(input.system, [{ text: 'sys' }]);
    assert.deepEqual(input.messages, [{ role: 'user', content: [{ text: 'review' }] }]);
    assert.equal(input.inferenceConfig?.maxTokens, 900);
    assert.equal(input.toolConfig?.tools?.[0]?.toolSpec?.name, FINDINGS_TOOL_NAME);
    assert.deepEqual(input.toolConfig?.toolChoice, { tool: { name: FINDINGS_TOOL_NAME } });
    assert.deepEqual(buildConverseInput({ ...request, toolChoice: 'auto' }).toolConfig?.toolChoice, { auto: {} });
  });

  it('maps tool use, text, usage, stop reason and latency', () => {
    const out = mapConverseOutput({
      $metadata: {},
      output: { message: { role: 'assistant', content: [{ text: 'Here you go' }, { toolUse: { toolUseId: 't1', name: FINDINGS_TOOL_NAME, input: { findings: [] } } }] } },
      usage: { inputTokens: 120, outputTokens: 30, totalTokens: 150 },
      stopReason: 'tool_use',
      metrics: { latencyMs: 812 },
    }, 5);
    assert.deepEqual(out, { toolInput: { findings: [] }, text: 'Here you go', usage: { inputTokens: 120, outputTokens: 30 }, stopReason: 'tool_use', latencyMs: 812 });
  });

  it('decides forced tool choice per model id: Llama gets auto', () => {
    assert.equal(defaultToolChoice('us.meta.llama3-3-70b-instruct-v1:0'), 'auto');
    assert.equal(defaultToolChoice('meta.llama3-1-8b-instruct-v1:0'), 'auto');
    assert.equal(defaultToolChoice('us.amazon.nova-pro-v1:0'), 'tool');
    assert.equal(defaultToolChoice('anthropic.claude-3-5-haiku-20241022-v1:0'), 'tool');
  });

  it('rejects a missing region at construction', () => {
    assert.throws(() => createBedrockProviders({ region: '' }), /Expected options\.region to be a non-empty string, got ""/);
  });
});
