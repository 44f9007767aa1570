/**
 * What the settings schema (src/core/config/settingsSchema.ts) generates: package.json's
 * `contributes.configuration` and the README's settings table; and what the config file's schema
 * (src/core/config/schema.ts) generates: schemas/chorus.config.schema.json, the JSON Schema VS Code
 * checks chorus.config.json with (`contributes.jsonValidation`). Pure functions over text, shared by
 * `npm run schema:sync` (writes) and the drift test (compares), so both agree on what "in sync" is.
 *
 * Only the generated parts are touched: the `"configuration"` object in package.json (the rest of
 * the file keeps its formatting) and the lines between the README's settings markers.
 */
import { isDeepStrictEqual } from 'node:util';
import { ConfigFileSchema, ModelSchema } from '../src/core/config/schema';
import { SETTINGS, settingName, type Setting } from '../src/core/config/settingsSchema';
import { toJsonSchema } from '../src/core/schema';

export const README_START = '<!-- settings:start -->';
export const README_END = '<!-- settings:end -->';

type Json = Record<string, unknown>;

/** One `chorus.*` property as VS Code reads it: the schema plus scope and order. */
function property(setting: Setting): Json {
  const { type, ...rest } = toJsonSchema(setting.schema) as Json;
  return { type, scope: setting.scope, order: setting.order, ...rest };
}

/** package.json's `contributes.configuration`. */
export function configurationContribution(): Json {
  return { title: 'Chorus', properties: Object.fromEntries(SETTINGS.map((s) => [settingName(s), property(s)])) };
}

/** `{ id, label?, tokensPerMinute?, … }`: the fields a `chorus.models` entry takes. */
export function modelFieldList(): string {
  const required = new Set<string>(ModelSchema.required ?? []);
  return `\`{ ${Object.keys(ModelSchema.properties).map((k) => (required.has(k) ? k : `${k}?`)).join(', ')} }\``;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The README's settings table, one row per setting, in SETTINGS order. */
export function settingsTable(): string {
  const rows = SETTINGS.map((s) => {
    const value = (s.schema as { default?: unknown }).default;
    const meaning = s.readme.replace('{fields}', modelFieldList());
    return `| \`${settingName(s)}\` | \`${JSON.stringify(value)}\` | ${s.scope} | ${cell(meaning)} |`;
  });
  return ['| setting | default | scope | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

/** `readme` with the table between the markers replaced; throws when the markers are missing. */
export function spliceReadme(readme: string, table = settingsTable()): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) throw new Error(`README.md: the settings table needs ${README_START} and ${README_END} around it`);
  return `${readme.slice(0, start + README_START.length)}\n${table}\n${readme.slice(end)}`;
}

/** The table currently between the README's markers, or undefined without markers. */
export function readmeTable(readme: string): string | undefined {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  return start < 0 || end < start ? undefined : readme.slice(start + README_START.length, end).trim();
}

/** Index just past the JSON value that starts at `from` (an object), honouring strings. */
function endOfObject(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
  }
  throw new Error('package.json: unbalanced braces after "configuration"');
}

/** package.json's text with `contributes.configuration` rewritten; everything else byte for byte. */
export function splicePackageJson(text: string, configuration = configurationContribution()): string {
  const match = /\n( *)"configuration": \{/.exec(text);
  if (!match) throw new Error('package.json: no "configuration" object under "contributes"');
  const indent = match[1]!;
  const start = match.index + match[0].length - 1;
  const body = JSON.stringify(configuration, null, 2).replace(/\n/g, `\n${indent}`);
  return text.slice(0, start) + body + text.slice(endOfObject(text, start));
}

/** How package.json disagrees with the schema: one line per setting (empty when in sync). */
export function packageJsonDrift(pkg: { contributes?: { configuration?: unknown }; capabilities?: unknown }): string[] {
  const drift: string[] = [];
  const actual = (pkg.contributes?.configuration ?? {}) as { title?: unknown; properties?: Json };
  const expected = configurationContribution() as { title: string; properties: Json };
  if (actual.title !== expected.title) drift.push(`configuration.title: expected ${JSON.stringify(expected.title)}`);
  const have = actual.properties ?? {};
  for (const [key, value] of Object.entries(expected.properties)) {
    if (!(key in have)) drift.push(`${key}: missing from package.json`);
    else if (!isDeepStrictEqual(have[key], value)) drift.push(`${key}: differs from the schema`);
  }
  for (const key of Object.keys(have)) if (!(key in expected.properties)) drift.push(`${key}: in package.json but not in the schema`);
  const restricted = (pkg.capabilities as { untrustedWorkspaces?: { restrictedConfigurations?: string[] } } | undefined)
    ?.untrustedWorkspaces?.restrictedConfigurations ?? [];
  const want = SETTINGS.filter((s) => s.restricted).map(settingName);
  if (!isDeepStrictEqual([...restricted].sort(), [...want].sort())) {
    drift.push(`capabilities.untrustedWorkspaces.restrictedConfigurations: expected ${want.join(', ')} (edit by hand)`);
  }
  return drift;
}

/** Where the config file's JSON Schema is written, relative to the package root (package.json's jsonValidation url). */
export const CONFIG_SCHEMA_PATH = 'schemas/chorus.config.schema.json';

/**
 * chorus.config.json's JSON Schema for editors: completion, hover text and squiggles for a typo'd
 * field, from the schema parseConfig checks with (`$schema` is allowed, as parseConfig allows it).
 */
export function configFileJsonSchema(): string {
  const schema = toJsonSchema(ConfigFileSchema) as Json & { properties: Json };
  const document = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Chorus: chorus.config.json',
    description: 'What Chorus analyzes and with which models. Where code goes (endpoint, region, profile) is not taken from this file in the editor: those are machine settings.',
    ...schema,
    properties: { $schema: { type: 'string' }, ...schema.properties },
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
