import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import {
  CONFIG_SCHEMA_PATH, configFileJsonSchema, configurationContribution, modelFieldList, packageJsonDrift, readmeTable, settingsTable, splicePackageJson, spliceReadme,
} from '../../../scripts/schemaArtifacts';
import { ConfigError, parseConfig } from '../../../src/core/config';
import { ConfigFileSchema, ModelSchema } from '../../../src/core/config/schema';
import { SETTINGS, settingName } from '../../../src/core/config/settingsSchema';
import { readSettings } from '../../../src/extension/settings/settings';

const ROOT = join(__dirname, '..', '..', '..');
const packageText = () => readFileSync(join(ROOT, 'package.json'), 'utf8');
type PackageJson = Parameters<typeof packageJsonDrift>[0] & { contributes: { configuration: { properties: Record<string, { default?: unknown; type?: string }> } } };
type Node = { type?: string; properties?: Record<string, Node>; items?: { properties: Record<string, unknown> } };
const readme = () => readFileSync(join(ROOT, 'README.md'), 'utf8');
const HINT = 'run `npm run schema:sync` after changing src/core/config/settingsSchema.ts';

describe('settings schema → package.json and README (drift)', () => {
  it('package.json contributes.configuration is what the schema generates', () => {
    assert.deepEqual(packageJsonDrift(JSON.parse(packageText()) as PackageJson), [], HINT);
  });

  it('the README settings table is what the schema generates', () => {
    assert.equal(readmeTable(readme()), settingsTable(), HINT);
  });

  it('notices a changed default, a setting added by hand and one left out', () => {
    const pkg = JSON.parse(packageText()) as PackageJson;
    const properties = pkg.contributes.configuration.properties;
    properties['chorus.maxFileKb']!.default = 1024;
    properties['chorus.typo'] = { type: 'string' };
    delete properties['chorus.spillover'];
    assert.deepEqual(packageJsonDrift(pkg), [
      'chorus.maxFileKb: differs from the schema',
      'chorus.spillover: missing from package.json',
      'chorus.typo: in package.json but not in the schema',
    ]);
  });

  it('notices a README row edited by hand', () => {
    const edited = readme().replace('| `chorus.maxFileKb` | `512` |', '| `chorus.maxFileKb` | `1024` |');
    assert.notEqual(readmeTable(edited), settingsTable());
    assert.equal(readmeTable(spliceReadme(edited)), settingsTable(), 'sync restores it');
  });

  it('sync rewrites only the configuration object of package.json, byte for byte elsewhere', () => {
    const text = packageText();
    const stale = text.replace('"title": "Chorus",\n', '"title": "Old",\n');
    assert.notEqual(stale, text);
    const synced = splicePackageJson(stale);
    assert.deepEqual(JSON.parse(synced).contributes.configuration, configurationContribution());
    const before = text.slice(0, text.indexOf('"configuration"'));
    assert.equal(synced.slice(0, before.length), before);
    const after = text.slice(text.indexOf('"capabilities"'));
    assert.ok(synced.endsWith(after));
  });

  it('a README without the markers is a clear error, not a silent append', () => {
    assert.throws(() => spliceReadme('# no table here\n'), /settings:start/);
  });
});

describe('settings schema: one source for the config and the host', () => {
  it('chorus.models is the config file\'s model schema, so the editor accepts what parseConfig does', () => {
    const models = SETTINGS.find((s) => s.key === 'models')!;
    assert.equal((models.schema as unknown as { items: unknown }).items, ModelSchema);
    const contributed = (configurationContribution() as { properties: Record<string, Node> }).properties['chorus.models']!;
    assert.ok('toolChoice' in contributed.items!.properties);
    assert.match(modelFieldList(), /^`\{ id, label\?, tokensPerMinute\?, .*serviceTier\? \}`$/);
  });

  it('every setting mapped onto the config names a config field of the same type', () => {
    for (const s of SETTINGS.filter((x) => x.config)) {
      const field = s.config!.split('.').reduce<Node | undefined>((node, key) => node?.properties?.[key], ConfigFileSchema as unknown as Node);
      assert.ok(field, `${settingName(s)} → ${s.config}: not a field of chorus.config.json`);
      assert.equal((s.schema as Node).type, field.type, `${settingName(s)} and config ${s.config}`);
    }
  });

  it('every setting is either the config\'s or the host\'s, once', () => {
    const keys = SETTINGS.map((s) => s.key);
    assert.equal(new Set(keys).size, keys.length);
    for (const s of SETTINGS) assert.ok(Boolean(s.config) !== Boolean(s.host), settingName(s));
  });

  it('the host\'s defaults when nothing is set are the schema\'s defaults', () => {
    const { settings } = readSettings({ explicit: () => undefined, machine: () => undefined });
    const fallback = (key: string) => (SETTINGS.find((s) => s.key === key)!.schema as { default?: unknown }).default;
    assert.deepEqual(settings.triggers, {
      analyzeOnSave: fallback('analyzeOnSave'), watchEnabled: fallback('watch.enabled'), quietMs: fallback('watch.quietMs'),
      maxWaitMs: fallback('watch.maxWaitMs'), burstThreshold: fallback('watch.burstThreshold'), largeBurst: fallback('watch.largeBurst'),
      confirmWorkspaceAboveFiles: fallback('confirmWorkspaceAboveFiles'),
    });
    assert.deepEqual(settings.severity, fallback('severity'));
    assert.equal(settings.baselinePath, fallback('baselinePath'));
  });
});

describe('config file schema → schemas/chorus.config.schema.json (what the editor checks chorus.config.json with)', () => {
  it('is what the schema generates, and package.json points VS Code at it (and packages it)', () => {
    assert.equal(readFileSync(join(ROOT, CONFIG_SCHEMA_PATH), 'utf8'), configFileJsonSchema(), HINT);
    const pkg = JSON.parse(packageText()) as { contributes: { jsonValidation?: { fileMatch: string; url: string }[] } };
    assert.deepEqual(pkg.contributes.jsonValidation, [{ fileMatch: 'chorus.config.json', url: `./${CONFIG_SCHEMA_PATH}` }]);
    assert.match(readFileSync(join(ROOT, '.vscodeignore'), 'utf8'), /^!schemas\/\*\*$/m);
  });

  it('accepts and refuses what parseConfig does (a JSON Schema validator on the file, beside the parser)', () => {
    const validate = new Ajv({ strict: false }).compile(JSON.parse(configFileJsonSchema()) as object);
    const cases: [string, unknown][] = [
      ['the defaults', {}],
      ['a full file', { $schema: './schemas/chorus.config.schema.json', include: ['src/**'], maxFileKb: 256, models: [{ id: 'us.amazon.nova-pro-v1:0', tokensPerMinute: 50_000, maxKbPerBatch: 200 }], budget: { maxTokens: 10_000 } }],
      ['a typo', { modles: [] }],
      ['a quota that is a word', { models: [{ id: 'm', tokensPerMinute: 'fast' }] }],
      ['no models at all', { models: [] }],
      ['an endpoint that is not a URL', { endpoint: 'ftp:/x' }],
      ['an unknown model field', { models: [{ id: 'm', tokensPerMinute: 1, speed: 3 }] }],
    ];
    for (const [name, value] of cases) {
      let parsed = true;
      try {
        parseConfig(value, 'chorus.config.json');
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        parsed = false;
      }
      assert.equal(validate(value), parsed, `${name}: the editor ${parsed ? 'refuses' : 'accepts'} what parseConfig ${parsed ? 'accepts' : 'refuses'}`);
    }
  });
});
