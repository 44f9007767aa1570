import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, defaultConfig, loadConfig, parseConfig, LLAMA_33_70B_ID, NOVA_PRO_ID } from '../../../src/core/config';

const SRC = 'chorus.config.json';

describe('config', () => {
  it('defaults to the seed pair in us-east-1 with spillover on', () => {
    const c = defaultConfig();
    assert.equal(c.region, 'us-east-1');
    assert.equal(c.spillover, true);
    assert.deepEqual(c.models.map((m) => [m.id, m.tokensPerMinute, m.maxKbPerBatch, m.minComplexity]), [
      [NOVA_PRO_ID, 100_000, 350, 0.7],
      [LLAMA_33_70B_ID, 60_000, 200, 0],
    ]);
    assert.ok(c.exclude.includes('**/node_modules/**') && c.exclude.includes('**/package-lock.json'));
    assert.deepEqual(c.include, ['**/*']);
  });

  it('merges a file onto the defaults; known model ids fill in what is left out', () => {
    const c = parseConfig({ region: 'eu-west-1', models: [{ id: NOVA_PRO_ID, tokensPerMinute: 50_000 }, { id: 'acme.model-v1', tokensPerMinute: 1000, maxKbPerBatch: 10 }], budget: { maxCost: 2 } }, SRC);
    assert.equal(c.region, 'eu-west-1');
    assert.equal(c.models[0]!.tokensPerMinute, 50_000);
    assert.equal(c.models[0]!.maxKbPerBatch, 350);
    assert.equal(c.models[0]!.minComplexity, 0.7);
    assert.deepEqual(c.models[1], { id: 'acme.model-v1', tokensPerMinute: 1000, maxKbPerBatch: 10 });
    assert.deepEqual(c.budget, { maxCost: 2 });
    assert.equal(c.maxFileKb, defaultConfig().maxFileKb);
  });

  const bad: [string, unknown, RegExp][] = [
    ['a string quota', { models: [{ id: NOVA_PRO_ID }, { id: 'x', tokensPerMinute: 'fast', maxKbPerBatch: 1 }] }, /^chorus\.config\.json: models\[1\]\.tokensPerMinute: expected a positive number, got "fast"$/],
    ['a typo', { modles: [] }, /^chorus\.config\.json: modles: expected a known field \(region, profile, .*\), got an unknown field$/],
    ['an unknown model without limits', { models: [{ id: 'acme.x' }] }, /models\[0\]\.tokensPerMinute: expected a positive number, got nothing/],
    ['no models', { models: [] }, /models: expected a non-empty array of models, got an array/],
    ['duplicate ids', { models: [{ id: NOVA_PRO_ID }, { id: NOVA_PRO_ID }] }, /models\[1\]\.id: expected a model id not listed before/],
    ['minComplexity above 1', { models: [{ id: NOVA_PRO_ID, minComplexity: 1.5 }] }, /models\[0\]\.minComplexity: expected a number from 0 to 1, got 1\.5/],
    ['a non-URL endpoint', { endpoint: 'localhost:8080' }, /endpoint: expected an http\(s\) URL, got "localhost:8080"/],
    ['an exclude that is not a list', { exclude: '**/dist/**' }, /exclude: expected an array of strings/],
    ['a negative budget', { budget: { maxTokens: -1 } }, /budget\.maxTokens: expected a positive number, got -1/],
    ['spillover as a string', { spillover: 'yes' }, /spillover: expected true or false, got "yes"/],
    ['toolChoice out of range', { models: [{ id: NOVA_PRO_ID, toolChoice: 'any' }] }, /models\[0\]\.toolChoice: expected "tool" or "auto", got "any"/],
    ['not an object', [1, 2], /chorus\.config\.json: expected a JSON object, got an array/],
  ];
  for (const [what, json, message] of bad) {
    it(`rejects ${what} with a ConfigError naming the field`, () => {
      assert.throws(() => parseConfig(json, SRC), (err: unknown) => err instanceof ConfigError && message.test(err.message));
    });
  }

  it('loads chorus.config.json at the root, an explicit file, or the defaults when there is none', async () => {
    const root = await mkdtemp(join(tmpdir(), 'chorus-config-'));
    assert.deepEqual(await loadConfig(root), defaultConfig());
    await writeFile(join(root, 'chorus.config.json'), JSON.stringify({ maxFileKb: 64 }));
    assert.equal((await loadConfig(root)).maxFileKb, 64);
    await writeFile(join(root, 'other.json'), '{ "spillover": false, }');
    await assert.rejects(loadConfig(root, 'other.json'), (e: unknown) => e instanceof ConfigError && /other\.json: expected valid JSON/.test(e.message));
    await assert.rejects(loadConfig(root, 'missing.json'), (e: unknown) => e instanceof ConfigError && /missing\.json: expected a readable configuration file, got "no such file"/.test(e.message));
  });
});
