/**
 * Validation of chorus.config.json (or any object a host maps its settings onto) against the one
 * schema in schema.ts. Every error names the source, the field and what was expected, e.g.
 *   chorus.config.json: models[1].tokensPerMinute: expected a positive number, got "fast"
 * Unknown fields are errors too: a typo (`modles`) must not silently fall back to the defaults.
 * What the schema cannot say (ids listed twice, limits an unknown model must give) is checked here.
 */
import { firstIssue } from '../schema';
import { defaultConfig, KNOWN_MODELS } from './defaults';
import { type ConfigFile, ConfigFileSchema, type ModelFields } from './schema';
import type { ChorusConfig, ModelConfig } from './types';

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly field: string,
    readonly expected: string,
    got: unknown,
  ) {
    super(`${source}: ${field ? `${field}: ` : ''}expected ${expected}, got ${describe(got)}`);
    this.name = 'ConfigError';
  }
}

/** A description used as is in an error, instead of the JSON of a value. */
class Described {
  constructor(readonly text: string) {}
}

function describe(value: unknown): string {
  if (value instanceof Described) return value.text;
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Validates `json` and merges it onto the defaults. `source` names it in errors (a file path). */
export function parseConfig(json: unknown, source: string): ChorusConfig {
  // `$schema` lets an editor validate the file; it is no setting.
  const body = isObject(json) && '$schema' in json ? Object.fromEntries(Object.entries(json).filter(([k]) => k !== '$schema')) : json;
  const issue = firstIssue(ConfigFileSchema, body);
  if (issue) throw new ConfigError(source, issue.path, issue.expected, issue.unknownField ? new Described('an unknown field') : issue.got);
  const file = body as ConfigFile;
  const config = defaultConfig();
  if (file.region !== undefined) config.region = file.region;
  if (file.profile !== undefined) config.profile = file.profile;
  if (file.endpoint !== undefined) config.endpoint = file.endpoint;
  if (file.include !== undefined) config.include = file.include;
  if (file.exclude !== undefined) config.exclude = file.exclude;
  if (file.maxFileKb !== undefined) config.maxFileKb = file.maxFileKb;
  if (file.instructions) config.instructions = file.instructions;
  if (file.spillover !== undefined) config.spillover = file.spillover;
  if (file.models !== undefined) config.models = parseModels(source, file.models);
  if (file.budget !== undefined) config.budget = { ...file.budget };
  return config;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseModels(source: string, models: ModelFields[]): ModelConfig[] {
  const seen = new Set<string>();
  return models.map((fields, i) => {
    const path = `models[${i}]`;
    if (seen.has(fields.id)) throw new ConfigError(source, `${path}.id`, 'a model id not listed before', fields.id);
    seen.add(fields.id);
    // A well-known id fills in whatever the config leaves out; any other id must say its limits.
    const known = KNOWN_MODELS[fields.id];
    const tokensPerMinute = fields.tokensPerMinute ?? known?.tokensPerMinute;
    if (tokensPerMinute === undefined) throw new ConfigError(source, `${path}.tokensPerMinute`, 'a positive number', undefined);
    const maxKbPerBatch = fields.maxKbPerBatch ?? known?.maxKbPerBatch;
    if (maxKbPerBatch === undefined) throw new ConfigError(source, `${path}.maxKbPerBatch`, 'a positive number', undefined);
    const model: ModelConfig = { ...known, ...withoutUndefined(fields), tokensPerMinute, maxKbPerBatch };
    if (fields.serviceTier) model.serviceTier = withoutUndefined(fields.serviceTier);
    if (fields.tokensPerMinute === undefined) model.tokensPerMinuteFromAccount = true;
    return model;
  });
}

/** A copy without keys set to `undefined`, so a known model's value is not overwritten by nothing. */
function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
