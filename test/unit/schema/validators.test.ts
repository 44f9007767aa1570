import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ConfigError, NOVA_PRO_ID, parseConfig } from '../../../src/core/config';
import { validateFindingsInput } from '../../../src/core/findings';
import { validateHostMessage, validatePageMessage, validateRunSnapshot } from '../../../src/core/webviewProtocol';
import { validateEmulatorConfig, validateFaults } from '../../../src/emulator/validate';
import { firstIssue, formatPath, project, StringEnum, Type } from '../../../src/core/schema';

/** The message of the error `fn` throws (fails the test when it does not throw). */
function thrown(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  assert.fail('expected an error');
}

describe('schema validators: precise errors (source, field path, what was expected)', () => {
  describe('chorus.config.json', () => {
    const cases: [string, unknown, string][] = [
      ['a nested enum', { models: [{ id: NOVA_PRO_ID, serviceTier: { interactive: 'turbo' } }] }, 'c.json: models[0].serviceTier.interactive: expected "default", "priority" or "flex", got "turbo"'],
      ['an unknown field inside a model', { models: [{ id: NOVA_PRO_ID, tokensPerMinit: 5 }] }, 'c.json: models[0].tokensPerMinit: expected a known field (id, label, tokensPerMinute, requestsPerMinute, maxKbPerBatch, maxOutputTokens, outputBurndown, minComplexity, contextTokens, costPer1kInput, costPer1kOutput, toolChoice, serviceTier), got an unknown field'],
      ['a fractional maxOutputTokens', { models: [{ id: NOVA_PRO_ID, maxOutputTokens: 10.5 }] }, 'c.json: models[0].maxOutputTokens: expected a positive integer, got 10.5'],
      ['a blank id', { models: [{ id: '  ' }] }, 'c.json: models[0].id: expected a non-empty string, got "  "'],
      ['a model that is not an object', { models: ['nova'] }, 'c.json: models[0]: expected an object with at least "id", got "nova"'],
      ['an empty glob', { include: ['src/**', ''] }, 'c.json: include[1]: expected a non-empty string, got ""'],
      ['a budget that is not an object', { budget: 5 }, 'c.json: budget: expected an object, got 5'],
      ['an unknown budget field', { budget: { maxTokns: 5 } }, 'c.json: budget.maxTokns: expected a known field (maxTokens, maxCost), got an unknown field'],
      ['a negative cost', { models: [{ id: NOVA_PRO_ID, costPer1kInput: -0.1 }] }, 'c.json: models[0].costPer1kInput: expected a number ≥ 0, got -0.1'],
    ];
    for (const [what, json, message] of cases) {
      it(`rejects ${what}`, () => {
        assert.throws(() => parseConfig(json, 'c.json'), (err: unknown) => err instanceof ConfigError && err.message === message);
      });
    }

    it('accepts toolChoice, which package.json\'s hand-kept copy used to reject, and a $schema key', () => {
      const config = parseConfig({ $schema: './chorus.schema.json', models: [{ id: NOVA_PRO_ID, toolChoice: 'auto', serviceTier: { background: 'flex' } }] }, 'c.json');
      assert.equal(config.models[0]!.toolChoice, 'auto');
      assert.deepEqual(config.models[0]!.serviceTier, { background: 'flex' });
    });
  });

  describe('dashboard messages', () => {
    it('names the message, the path and the value for a page message', () => {
      assert.deepEqual(validatePageMessage({ type: 'ready', since: -3 }), { ok: false, error: 'ready.since: expected a finite number ≥ 0 or null, got -3' });
      assert.deepEqual(validatePageMessage({ type: 'protocol-error', detail: 7 }), { ok: false, error: 'protocol-error.detail: expected a string of at most 500 characters, got 7' });
    });

    it('follows RunInfo | null into the object to name the bad field', () => {
      const result = validateHostMessage({ type: 'update', run: { id: 'r', state: 'running', outcomes: { analyzed: 1, cached: 0, skipped: 'x', failed: 0 } }, frames: [] });
      assert.deepEqual(result, { ok: false, error: 'update.run.outcomes.skipped: expected a finite number ≥ 0, got "x"' });
      assert.deepEqual(validateHostMessage({ type: 'update', run: 'r1', frames: [] }), { ok: false, error: 'update.run: expected an object or null, got "r1"' });
    });

    it('names a missing field, and the snapshot path for the engine\'s own check', () => {
      assert.deepEqual(validateRunSnapshot({ at: 1, filesTotal: 1, filesDone: 0, models: [], recentBatches: [] }), { ok: false, error: 'snapshot.utilization: expected a finite number ≥ 0, got undefined' });
    });

    it('returns a copy: cleaning unknown fields never touches the sender\'s object', () => {
      const raw = { type: 'ready', since: 1, extra: 'x' };
      const result = validatePageMessage(raw);
      assert.deepEqual(result, { ok: true, value: { type: 'ready', since: 1 } });
      assert.equal(raw.extra, 'x');
    });
  });

  describe('emulator config', () => {
    const model = { id: 'm', tokensPerMinute: 1000 };
    it('names the path of a bad fault, inside a config or on its own', () => {
      assert.equal(thrown(() => validateEmulatorConfig({ models: [model], faults: [{ kind: 'throttle', rate: 2 }] })), 'Invalid emulator config: faults[0].rate should be a number in 0..1, got 2');
      assert.match(thrown(() => validateFaults([{ kind: 'meteor' }])), /^Invalid emulator config: faults\[0\]\.kind should be one of ModelNotReadyException, .*throttle.*, got "meteor"$/);
      assert.equal(thrown(() => validateFaults({ kind: 'throttle' })), 'Invalid emulator config: faults should be an array, got {"kind":"throttle"}');
    });

    it('checks what a schema cannot: unique ids, a foreign load below the quota', () => {
      assert.equal(thrown(() => validateEmulatorConfig({ models: [model, model] })), 'Invalid emulator config: models[1].id should be unique, got "m"');
      assert.match(thrown(() => validateEmulatorConfig({ models: [{ ...model, foreignTokensPerMinute: 1000 }] })), /models\[0\]\.foreignTokensPerMinute should be tokens per minute >= 0 and below tokensPerMinute, got 1000/);
      assert.equal(thrown(() => validateEmulatorConfig([])), 'Invalid emulator config: (root) should be an object, got []');
    });

    it('normalizes a single toolChoice and keeps fields it does not know (an analysis config\'s)', () => {
      const config = validateEmulatorConfig({ models: [{ ...model, toolChoice: 'auto', maxKbPerBatch: 10 }], region: 'us-east-1' });
      assert.deepEqual(config.models[0]!.toolChoice, ['auto']);
      assert.equal((config as unknown as { region: string }).region, 'us-east-1');
      assert.match(thrown(() => validateEmulatorConfig({ models: [{ ...model, toolChoice: [] }] })), /models\[0\]\.toolChoice should be a non-empty array of "auto", "any", "tool", got \[\]/);
    });

    it('never quotes an API key or a secret key in its error', () => {
      const key = `key-${randomBytes(12).toString('hex')}`;
      const secret = randomBytes(20).toString('base64');
      const keys = thrown(() => validateEmulatorConfig({ models: [model], apiKeys: [key, `${key} with space`] }));
      assert.equal(keys, 'Invalid emulator config: apiKeys should be a non-empty array of API keys (strings without spaces), got "2 entries"');
      const creds = thrown(() => validateEmulatorConfig({ models: [model], credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: secret, sessionToken: 1 }, seed: 'x' }));
      assert.doesNotMatch(creds, new RegExp(secret.replace(/[+/=]/g, '.')));
      const badCreds = thrown(() => validateEmulatorConfig({ models: [model], credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 42 } }));
      assert.equal(badCreds, 'Invalid emulator config: credentials should be { accessKeyId: string, secretAccessKey: string }, got "object"');
    });
  });

  describe('findings tool answer', () => {
    const good = { file: 'a.js', startLine: 1, endLine: 1, severity: 'error', ruleId: 'no-eval', message: 'm' };
    it('says which keyword an item failed, by schema path, never with the model\'s values', () => {
      const { message: _, ...noMessage } = good;
      const out = validateFindingsInput({ findings: [good, { ...good, startLine: 0 }, { ...good, severity: 'fatal' }, noMessage, { ...good, '<script>': 1 }] });
      assert.ok(out.ok);
      assert.deepEqual(out.rejected.map((r) => r.error), ['/startLine fails minimum', '/severity fails enum', '/message fails required', '/ fails additionalProperties']);
      assert.ok(out.rejected.every((r) => !r.error.includes('script')));
    });

    it('cuts nothing it can keep: an over-long message passes the check (normalize shortens it)', () => {
      const out = validateFindingsInput({ findings: [{ ...good, message: 'x'.repeat(50_000) }] });
      assert.ok(out.ok && out.findings.length === 1);
    });
  });
});

describe('schema helpers', () => {
  it('writes JSON pointers the way people read paths', () => {
    assert.equal(formatPath('/models/1/serviceTier/background', { models: [{}, {}] }), 'models[1].serviceTier.background');
    assert.equal(formatPath('/0/a~1b', [{}]), '[0].a/b');
    assert.equal(formatPath('', {}), '');
  });

  it('projects a checked value onto its schema: unknown fields dropped at every depth, the input untouched', () => {
    const schema = Type.Object({
      run: Type.Union([Type.Object({ id: Type.String() }), Type.Null()]),
      list: Type.Array(Type.Object({ n: Type.Number(), tag: Type.Optional(Type.String()) })),
    });
    const input = { run: { id: 'r', evil: '<img>' }, list: [{ n: 1, x: 2 }, { n: 2, tag: 't' }], extra: true };
    assert.deepEqual(project(schema, input), { run: { id: 'r' }, list: [{ n: 1 }, { n: 2, tag: 't' }] });
    assert.deepEqual(project(schema, { run: null, list: [] }), { run: null, list: [] });
    assert.equal(input.run.evil, '<img>');
    assert.notEqual(project(schema, input).list, input.list, 'a copy, not the sender\'s arrays');
  });

  it('describes a node from its keywords when it carries no words of its own', () => {
    const schema = Type.Object({ n: Type.Number({ minimum: 2, maximum: 4 }), e: Type.Optional(StringEnum(['a', 'b'])) });
    assert.deepEqual(firstIssue(schema, { n: 5 }), { path: 'n', expected: 'a number from 2 to 4', got: 5 });
    assert.deepEqual(firstIssue(schema, { n: 3, e: 'c' }), { path: 'e', expected: 'one of "a", "b"', got: 'c' });
    assert.equal(firstIssue(schema, { n: 3, e: 'a' }), undefined);
  });
});
