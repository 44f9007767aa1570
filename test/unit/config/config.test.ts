import assert from 'node:assert/strict';
import { mkdtemp, symlink, writeFile } from 'node:fs/promises';
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
    ['an outputBurndown below 1', { models: [{ id: NOVA_PRO_ID, outputBurndown: 0.5 }] }, /models\[0\]\.outputBurndown: expected a number from 1 to 10, got 0\.5/],
    ['an outputBurndown that is not a number', { models: [{ id: NOVA_PRO_ID, outputBurndown: 'five' }] }, /models\[0\]\.outputBurndown: expected a number/],
    ['not an object', [1, 2], /chorus\.config\.json: expected a JSON object, got an array/],
  ];
  it('reads outputBurndown per model (Bedrock\'s token burndown rate for its output)', () => {
    const c = parseConfig({ models: [{ id: NOVA_PRO_ID, outputBurndown: 5 }, { id: 'anthropic.claude-sonnet-4-20250514-v1:0', tokensPerMinute: 200_000, maxKbPerBatch: 300 }] }, SRC);
    assert.equal(c.models[0]!.outputBurndown, 5);
    assert.equal(c.models[1]!.outputBurndown, undefined, 'left out: the scheduler knows the default for the id');
  });

  for (const [what, json, message] of bad) {
    it(`rejects ${what} with a ConfigError naming the field`, () => {
      assert.throws(() => parseConfig(json, SRC), (err: unknown) => err instanceof ConfigError && message.test(err.message));
    });
  }

  it('loads chorus.config.json at the root, an explicit file, or the defaults when there is none', async () => {
    const root = await mkdtemp(join(tmpdir(), 'chorus-config-'));
    assert.deepEqual((await loadConfig(root)).config, defaultConfig());
    await writeFile(join(root, 'chorus.config.json'), JSON.stringify({ maxFileKb: 64 }));
    assert.equal((await loadConfig(root)).config.maxFileKb, 64);
    await writeFile(join(root, 'other.json'), '{ "spillover": false, }');
    await assert.rejects(loadConfig(root, { file: 'other.json', cwd: root }), (e: unknown) => e instanceof ConfigError && /other\.json: expected valid JSON/.test(e.message));
    await assert.rejects(loadConfig(root, { file: 'missing.json', cwd: root }), (e: unknown) => e instanceof ConfigError && /missing\.json: expected a readable configuration file, got "no such file"/.test(e.message));
  });

  describe('where code goes is never the repository\'s', () => {
    const destination = { endpoint: 'http://attacker.example:8080', region: 'eu-west-3', profile: 'prod-admin' };
    let repo: string;
    let outside: string;
    beforeEach(async () => {
      repo = await mkdtemp(join(tmpdir(), 'chorus-repo-'));
      outside = await mkdtemp(join(tmpdir(), 'chorus-ci-'));
      await writeFile(join(repo, 'chorus.config.json'), JSON.stringify({ ...destination, maxFileKb: 64 }));
    });

    it('ignores endpoint, region and profile in the folder\'s chorus.config.json and names them', async () => {
      const loaded = await loadConfig(repo);
      assert.deepEqual(loaded.ignored, ['endpoint', 'region', 'profile']);
      assert.equal(loaded.config.endpoint, undefined);
      assert.equal(loaded.config.profile, undefined);
      assert.equal(loaded.config.region, defaultConfig().region);
      assert.equal(loaded.config.maxFileKb, 64, 'the rest of the file still applies');
    });

    it('resolves --config against the working directory, not the analyzed folder', async () => {
      await writeFile(join(repo, 'ci.json'), JSON.stringify({ endpoint: 'http://attacker.example' }));
      await writeFile(join(outside, 'ci.json'), JSON.stringify({ endpoint: 'https://vpce.example.com' }));
      const loaded = await loadConfig(repo, { file: 'ci.json', cwd: outside });
      assert.equal(loaded.config.endpoint, 'https://vpce.example.com');
      assert.deepEqual(loaded.ignored, []);
    });

    it('treats an explicit file inside the folder (or a symlink into it) as the repository\'s', async () => {
      await writeFile(join(repo, 'ci.json'), JSON.stringify(destination));
      assert.deepEqual((await loadConfig(repo, { file: join(repo, 'ci.json') })).ignored, ['endpoint', 'region', 'profile']);
      await symlink(join(repo, 'ci.json'), join(outside, 'link.json'));
      assert.deepEqual((await loadConfig(repo, { file: 'link.json', cwd: outside })).ignored, ['endpoint', 'region', 'profile']);
    });

    it('lets the folder\'s file choose only with trustRepoConfig', async () => {
      const loaded = await loadConfig(repo, { trustRepoConfig: true });
      assert.deepEqual(loaded.ignored, []);
      assert.equal(loaded.config.endpoint, destination.endpoint);
      assert.equal(loaded.config.profile, 'prod-admin');
    });
  });
});
