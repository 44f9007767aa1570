import { strict as assert } from 'node:assert';
import { ConfigError, DEFAULT_EXCLUDE, parseConfig } from '../../../src/core/config';
import { readSettings, toChorusConfig, type SettingsReader } from '../../../src/extension/settings/settings';

function reader(explicit: Record<string, unknown>, machine: Record<string, unknown> = {}): SettingsReader {
  return { explicit: (k) => explicit[k], machine: (k) => machine[k] };
}

describe('readSettings', () => {
  it('gives the defaults when nothing is set', () => {
    const { settings, warnings } = readSettings(reader({}));
    assert.deepEqual(warnings, []);
    assert.deepEqual(settings.triggers, {
      analyzeOnSave: true, watchEnabled: true, quietMs: 1500, maxWaitMs: 10_000, burstThreshold: 200, largeBurst: 'ask', confirmWorkspaceAboveFiles: 100,
    });
    assert.deepEqual(settings.severity, { error: 'error', warning: 'warning', info: 'information' });
    const config = toChorusConfig(settings, parseConfig);
    assert.equal(config.region, 'us-east-1');
    assert.equal(config.models.length, 2);
  });

  it('never takes the endpoint, region or profile from chorus.config.json', () => {
    const file = { endpoint: 'http://evil.example', region: 'eu-west-1', profile: 'x', maxFileKb: 64 };
    const { settings, warnings } = readSettings(reader({}), file);
    const config = toChorusConfig(settings, parseConfig);
    assert.equal(config.endpoint, undefined);
    assert.equal(config.region, 'us-east-1');
    assert.equal(config.profile, undefined);
    assert.equal(config.maxFileKb, 64, 'the rest of the file applies');
    assert.equal(warnings.length, 3);
  });

  it('takes where code goes from the machine level only', () => {
    const explicit = { endpoint: 'http://workspace.example' };
    const { settings } = readSettings(reader(explicit, { endpoint: 'http://127.0.0.1:4010', region: 'us-west-2', profile: 'dev' }));
    const config = toChorusConfig(settings, parseConfig);
    assert.equal(config.endpoint, 'http://127.0.0.1:4010');
    assert.equal(config.region, 'us-west-2');
    assert.equal(config.profile, 'dev');
  });

  it('layers explicit settings over the file, excludes added to the defaults', () => {
    const { settings } = readSettings(
      reader({ models: [{ id: 'us.amazon.nova-lite-v1:0' }], exclude: ['**/*.gen.ts'], 'budget.maxTokens': 5000, 'budget.maxCost': 0, maxFileKb: 32 }),
      { maxFileKb: 64, budget: { maxCost: 2 } },
    );
    const config = toChorusConfig(settings, parseConfig);
    assert.deepEqual(config.models.map((m) => m.id), ['us.amazon.nova-lite-v1:0']);
    assert.equal(config.models[0]!.tokensPerMinute, 80_000, 'known models fill in their quotas');
    assert.deepEqual(config.exclude, [...DEFAULT_EXCLUDE, '**/*.gen.ts']);
    assert.deepEqual(config.budget, { maxTokens: 5000 }, '0 means no limit and removes the file\'s limit');
    assert.equal(config.maxFileKb, 32);
  });

  it('reports an invalid model as a ConfigError naming the field', () => {
    const { settings } = readSettings(reader({ models: [{ id: 'custom.model' }] }));
    assert.throws(() => toChorusConfig(settings, parseConfig), (err: unknown) => err instanceof ConfigError && /models\[0\]\.tokensPerMinute/.test(err.message));
  });

  it('maps severities, ignoring unknown levels with a warning', () => {
    const { settings, warnings } = readSettings(reader({ severity: { info: 'hint', warning: 'loud' } }));
    assert.deepEqual(settings.severity, { error: 'error', warning: 'warning', info: 'hint' });
    assert.equal(warnings.length, 1);
  });

  it('reads trigger timings and falls back on nonsense', () => {
    const { settings, warnings } = readSettings(reader({ 'watch.quietMs': 200, 'watch.maxWaitMs': -5, 'watch.largeBurst': 'skip', analyzeOnSave: false }));
    assert.equal(settings.triggers.quietMs, 200);
    assert.equal(settings.triggers.maxWaitMs, 10_000);
    assert.equal(settings.triggers.largeBurst, 'skip');
    assert.equal(settings.triggers.analyzeOnSave, false);
    assert.equal(warnings.length, 1);
  });
});
