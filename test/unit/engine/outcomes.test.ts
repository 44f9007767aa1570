/**
 * Outcomes as data: every way a file can fail or be skipped gives it a code from the closed set
 * (src/core/outcome.ts), derived from the provider's classified error, the answer's stop reason, the
 * budget — never from a message's wording. Messages stay for people.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { createEngine, createInterimScorer, type EngineEvent } from '../../../src/core/engine';
import { codeOfErrorKind, isOutcomeCode, isRetryable, OUTCOME_CODES } from '../../../src/core/outcome';
import { classifyError } from '../../../src/core/providers/classify';
import type { ModelResponse } from '../../../src/core/providers/provider';
import { FakeModels, testConfig, workspace } from './fakes';

/** An error shaped like the SDK's service exceptions (name, message, HTTP status). */
function sdkError(name: string, message: string, status?: number, code?: string): Error {
  return Object.assign(new Error(message), { name, ...(status ? { $metadata: { httpStatusCode: status } } : {}), ...(code ? { code } : {}) });
}

const answer = (over: Partial<ModelResponse>): ModelResponse => ({ usage: { inputTokens: 10, outputTokens: 5 }, stopReason: 'tool_use', latencyMs: 1, ...over });

describe('outcome codes', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('come from the classified provider error, one per distinct cause', () => {
    const cases: [Error, string][] = [
      [sdkError('ThrottlingException', 'Too many tokens, please wait before trying again.', 429), 'throttled'],
      [sdkError('ThrottlingException', 'Too many tokens per day, please wait before trying again.', 429), 'quota-per-day'],
      [sdkError('ServiceQuotaExceededException', 'quota', 400), 'quota-exceeded'],
      [sdkError('ServiceUnavailableException', 'Too many connections', 503), 'too-many-connections'],
      [sdkError('InternalServerException', 'boom', 500), 'service-error'],
      [sdkError('AccessDeniedException', "You don't have access to the model", 403), 'access-denied'],
      [sdkError('ResourceNotFoundException', 'no such model', 404), 'model-not-found'],
      [sdkError('ExpiredTokenException', 'The security token included in the request is expired', 400), 'credentials-expired'],
      [sdkError('CredentialsProviderError', 'Could not load credentials from any providers'), 'credentials-missing'],
      [sdkError('UnrecognizedClientException', 'The security token included in the request is invalid', 403), 'credentials-invalid'],
      [sdkError('TimeoutError', 'request timed out'), 'timeout'],
      [sdkError('Error', 'connect ECONNREFUSED 127.0.0.1:9', undefined, 'ECONNREFUSED'), 'unreachable'],
      [sdkError('ValidationException', 'bad request', 400), 'invalid-request'],
      [sdkError('AbortError', 'aborted'), 'cancelled'],
    ];
    for (const [err, code] of cases) {
      const e = classifyError(err);
      assert.equal(codeOfErrorKind(e.kind, e.code, e.httpStatus), code, `${err.name}: ${err.message}`);
    }
    assert.ok(OUTCOME_CODES.every(isOutcomeCode));
    assert.equal(isOutcomeCode('Throttled'), false);
    assert.equal(isRetryable('throttled'), true);
    assert.equal(isRetryable('secret-file'), false);
  });

  it('Test Connection reports carry the code of what failed', async () => {
    const config = testConfig();
    const models = new FakeModels();
    const denied = config.models[0]!.id;
    models.behaviour = (r) => (r.modelId === denied ? classifyError(sdkError('AccessDeniedException', "You don't have access to the model", 403)) : undefined);
    const engine = createEngine({ config, providerFor: models.providerFor, scorer: createInterimScorer() });
    const reports = await engine.testConnection();
    assert.deepEqual(reports.map((r) => [r.model === denied, r.ok, r.code]), config.models.map((m) => (m.id === denied ? [true, false, 'access-denied'] : [false, true, undefined])));
    engine.dispose();
  });

  it('expired credentials: every file fails with credentials-expired, every model leaves with it', async () => {
    const root = workspace({ 'a.js': 'eval(a);\n', 'b.js': 'eval(b);\n' });
    dirs.push(root);
    const models = new FakeModels();
    models.behaviour = () => classifyError(sdkError('ExpiredTokenException', 'The security token included in the request is expired', 400));
    const engine = createEngine({ config: testConfig(), providerFor: models.providerFor, scorer: createInterimScorer() });
    const events: EngineEvent[] = [];
    engine.onEvent((e) => events.push(e));
    const result = await engine.analyze({ root, lane: 'background' });
    assert.deepEqual(result.files.map((f) => [f.status, f.code, f.retryable]), [['failed', 'credentials-expired', false], ['failed', 'credentials-expired', false]]);
    const left = events.filter((e) => e.type === 'model-disabled');
    assert.ok(left.length > 0 && left.every((e) => e.type === 'model-disabled' && e.code === 'credentials-expired'));
    engine.dispose();
  });

  it('the answer: malformed twice, blocked, or too large for the context window', async () => {
    const root = workspace({ 'a.js': 'eval(a);\n' });
    dirs.push(root);
    const models = new FakeModels();
    const engine = createEngine({ config: testConfig(), providerFor: models.providerFor, scorer: createInterimScorer() });
    const run = async () => (await engine.analyze({ root, lane: 'interactive', noCache: true })).files[0]!;

    models.behaviour = () => answer({ toolInput: { findings: 'none' } });
    assert.deepEqual(Object.values(pick(await run())), ['failed', 'malformed-output', true]);
    models.behaviour = () => answer({ stopReason: 'content_filtered' });
    assert.deepEqual(Object.values(pick(await run())), ['failed', 'content-filtered', false]);
    models.behaviour = () => answer({ stopReason: 'model_context_window_exceeded' });
    assert.deepEqual(Object.values(pick(await run())), ['failed', 'context-exceeded', false]);
    engine.dispose();
  });

  it('the budget: files over it are skipped with budget, retryable', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 6; i++) files[`d${i}/f.js`] = `if (a == ${i}) {}\n`.repeat(200);
    const root = workspace(files);
    dirs.push(root);
    const engine = createEngine({ config: testConfig({ budget: { maxTokens: 2_500 } }), providerFor: new FakeModels().providerFor, scorer: createInterimScorer() });
    const result = await engine.analyze({ root, lane: 'background' });
    const skipped = result.files.filter((f) => f.status === 'skipped');
    assert.ok(skipped.length > 0);
    assert.ok(skipped.every((f) => f.code === 'budget' && f.retryable === true), JSON.stringify(skipped));
    engine.dispose();
  });

  it('a quota below one call fails the files with quota-too-small, before any call', async () => {
    const root = workspace({ 'a.js': 'eval(a);\n' });
    dirs.push(root);
    const config = testConfig();
    config.models = config.models.map((m) => ({ ...m, tokensPerMinute: 1_200 }));
    const models = new FakeModels();
    const engine = createEngine({ config, providerFor: models.providerFor, scorer: createInterimScorer() });
    const result = await engine.analyze({ root, lane: 'background' });
    assert.deepEqual(result.files.map((f) => [f.status, f.code, f.retryable]), [['failed', 'quota-too-small', false]]);
    assert.equal(models.calls.length, 0);
    engine.dispose();
  });

  it('before anything is sent: secrets, binaries, size, paths outside or missing', async () => {
    const root = workspace({ '.env': 'TOKEN=1\n', 'logo.png': Buffer.from([0x89, 0x50, 0, 0]), 'big.js': 'x'.repeat(3 * 1024), 'ok.js': 'eval(x);\n' });
    dirs.push(root);
    const engine = createEngine({ config: testConfig({ maxFileKb: 2 }), providerFor: new FakeModels().providerFor, scorer: createInterimScorer() });
    const result = await engine.analyze({ root, paths: ['.env', 'logo.png', 'big.js', 'ok.js', 'gone.js', '../x.js'], lane: 'interactive' });
    assert.deepEqual(result.files.map((f) => [f.path, f.status, f.code]), [
      ['../x.js', 'skipped', 'outside-workspace'],
      ['.env', 'skipped', 'secret-file'],
      ['big.js', 'skipped', 'too-large'],
      ['gone.js', 'skipped', 'not-found'],
      ['logo.png', 'skipped', 'binary'],
      ['ok.js', 'analyzed', undefined],
    ]);
    engine.dispose();
  });
});

function pick(f: { status: string; code?: string; retryable?: boolean }) {
  return { status: f.status, code: f.code, retryable: f.retryable };
}
