/**
 * Validation of chorus.config.json (or any object a host maps its settings onto). Every error names
 * the source, the field and what was expected, e.g.
 *   chorus.config.json: models[1].tokensPerMinute: expected a positive number, got "fast"
 * Unknown fields are errors too: a typo (`modles`) must not silently fall back to the defaults.
 */
import { defaultConfig, KNOWN_MODELS } from './defaults';
import type { BudgetConfig, ChorusConfig, ModelConfig } from './types';

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

type Obj = Record<string, unknown>;

/** Reads fields of one object, remembering where it is so that errors can name the field. */
class Fields {
  constructor(
    private readonly source: string,
    private readonly path: string,
    private readonly obj: Obj,
    allowed: readonly string[],
  ) {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key) && key !== '$schema') this.fail(key, `a known field (${allowed.join(', ')})`, new Described('an unknown field'));
    }
  }

  fail(key: string, expected: string, got: unknown): never {
    throw new ConfigError(this.source, this.path ? `${this.path}.${key}` : key, expected, got);
  }

  has(key: string): boolean {
    return this.obj[key] !== undefined;
  }

  string(key: string, options: { nonEmpty?: boolean } = {}): string | undefined {
    const v = this.obj[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || (options.nonEmpty && v.trim() === '')) this.fail(key, options.nonEmpty ? 'a non-empty string' : 'a string', v);
    return v;
  }

  number(key: string, range: { min?: number; max?: number; positive?: boolean; integer?: boolean } = {}): number | undefined {
    const v = this.obj[key];
    if (v === undefined) return undefined;
    const expected = range.positive
      ? `a positive ${range.integer ? 'integer' : 'number'}`
      : range.min !== undefined && range.max !== undefined
        ? `a number from ${range.min} to ${range.max}`
        : range.min !== undefined
          ? `a number ≥ ${range.min}`
          : 'a number';
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(key, expected, v);
    if (range.positive && !(v > 0)) this.fail(key, expected, v);
    if (range.integer && !Number.isInteger(v)) this.fail(key, expected, v);
    if (range.min !== undefined && v < range.min) this.fail(key, expected, v);
    if (range.max !== undefined && v > range.max) this.fail(key, expected, v);
    return v;
  }

  boolean(key: string): boolean | undefined {
    const v = this.obj[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') this.fail(key, 'true or false', v);
    return v;
  }

  stringArray(key: string): string[] | undefined {
    const v = this.obj[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) this.fail(key, 'an array of strings', v);
    v.forEach((item, i) => {
      if (typeof item !== 'string' || item === '') this.fail(`${key}[${i}]`, 'a non-empty string', item);
    });
    return v as string[];
  }

  object(key: string): Obj | undefined {
    const v = this.obj[key];
    if (v === undefined) return undefined;
    if (!isObject(v)) this.fail(key, 'an object', v);
    return v;
  }

  nested(key: string, allowed: readonly string[]): Fields | undefined {
    const v = this.object(key);
    return v ? new Fields(this.source, this.path ? `${this.path}.${key}` : key, v, allowed) : undefined;
  }
}

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const TOP_FIELDS = ['region', 'profile', 'endpoint', 'include', 'exclude', 'maxFileKb', 'instructions', 'models', 'budget', 'spillover'] as const;
const MODEL_FIELDS = [
  'id', 'label', 'tokensPerMinute', 'requestsPerMinute', 'maxKbPerBatch', 'maxOutputTokens',
  'minComplexity', 'contextTokens', 'costPer1kInput', 'costPer1kOutput', 'toolChoice', 'outputBurndown', 'serviceTier',
] as const;
const TIERS = ['default', 'priority', 'flex'] as const;

/** Validates `json` and merges it onto the defaults. `source` names it in errors (a file path). */
export function parseConfig(json: unknown, source: string): ChorusConfig {
  if (!isObject(json)) throw new ConfigError(source, '', 'a JSON object', json);
  const f = new Fields(source, '', json, TOP_FIELDS);
  const config = defaultConfig();
  config.region = f.string('region', { nonEmpty: true }) ?? config.region;
  const profile = f.string('profile', { nonEmpty: true });
  if (profile !== undefined) config.profile = profile;
  const endpoint = f.string('endpoint', { nonEmpty: true });
  if (endpoint !== undefined) {
    if (!/^https?:\/\/[^\s/]+/.test(endpoint)) f.fail('endpoint', 'an http(s) URL', endpoint);
    config.endpoint = endpoint;
  }
  config.include = f.stringArray('include') ?? config.include;
  config.exclude = f.stringArray('exclude') ?? config.exclude;
  config.maxFileKb = f.number('maxFileKb', { positive: true }) ?? config.maxFileKb;
  const instructions = f.string('instructions');
  if (instructions) config.instructions = instructions;
  config.spillover = f.boolean('spillover') ?? config.spillover;
  if (f.has('models')) config.models = parseModels(source, json.models);
  const budget = f.nested('budget', ['maxTokens', 'maxCost']);
  if (budget) config.budget = parseBudget(budget);
  return config;
}

function parseBudget(f: Fields): BudgetConfig {
  const budget: BudgetConfig = {};
  const maxTokens = f.number('maxTokens', { positive: true });
  if (maxTokens !== undefined) budget.maxTokens = maxTokens;
  const maxCost = f.number('maxCost', { positive: true });
  if (maxCost !== undefined) budget.maxCost = maxCost;
  return budget;
}

function parseModels(source: string, value: unknown): ModelConfig[] {
  if (!Array.isArray(value) || value.length === 0) throw new ConfigError(source, 'models', 'a non-empty array of models', value);
  const seen = new Set<string>();
  return value.map((item, i) => {
    const path = `models[${i}]`;
    if (!isObject(item)) throw new ConfigError(source, path, 'an object with at least "id"', item);
    const model = parseModel(new Fields(source, path, item, MODEL_FIELDS), source, path);
    if (seen.has(model.id)) throw new ConfigError(source, `${path}.id`, 'a model id not listed before', model.id);
    seen.add(model.id);
    return model;
  });
}

function parseModel(f: Fields, source: string, path: string): ModelConfig {
  const id = f.string('id', { nonEmpty: true }) ?? f.fail('id', 'a Bedrock model or inference-profile id', undefined);
  // A well-known id fills in whatever the config leaves out; any other id must say its limits.
  const known = KNOWN_MODELS[id];
  const model: ModelConfig = {
    ...known,
    id,
    tokensPerMinute: f.number('tokensPerMinute', { positive: true }) ?? known?.tokensPerMinute ?? f.fail('tokensPerMinute', 'a positive number', undefined),
    maxKbPerBatch: f.number('maxKbPerBatch', { positive: true }) ?? known?.maxKbPerBatch ?? f.fail('maxKbPerBatch', 'a positive number', undefined),
  };
  const optional = {
    label: f.string('label', { nonEmpty: true }),
    requestsPerMinute: f.number('requestsPerMinute', { positive: true }),
    maxOutputTokens: f.number('maxOutputTokens', { positive: true, integer: true }),
    minComplexity: f.number('minComplexity', { min: 0, max: 1 }),
    contextTokens: f.number('contextTokens', { positive: true, integer: true }),
    costPer1kInput: f.number('costPer1kInput', { min: 0 }),
    costPer1kOutput: f.number('costPer1kOutput', { min: 0 }),
    outputBurndown: f.number('outputBurndown', { min: 1, max: 10 }),
  };
  for (const [key, v] of Object.entries(optional)) if (v !== undefined) (model as unknown as Obj)[key] = v;
  if (!f.has('tokensPerMinute')) model.tokensPerMinuteFromAccount = true;
  const tiers = f.nested('serviceTier', ['interactive', 'background']);
  if (tiers) {
    model.serviceTier = {};
    for (const lane of ['interactive', 'background'] as const) {
      const tier = tiers.string(lane);
      if (tier === undefined) continue;
      if (!(TIERS as readonly string[]).includes(tier)) tiers.fail(lane, '"default", "priority" or "flex"', tier);
      model.serviceTier[lane] = tier as (typeof TIERS)[number];
    }
  }
  const toolChoice = f.string('toolChoice');
  if (toolChoice !== undefined) {
    if (toolChoice !== 'tool' && toolChoice !== 'auto') throw new ConfigError(source, `${path}.toolChoice`, '"tool" or "auto"', toolChoice);
    model.toolChoice = toolChoice;
  }
  return model;
}
