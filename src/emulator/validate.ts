/**
 * Checks an emulator config (typically read from a JSON file) and says exactly what is wrong,
 * with the path of the offending field, instead of failing later on the first request.
 */
import { FAULT_KINDS, SERVICE_TIER_NAMES, TOOL_CHOICE_KINDS, type EmulatorConfig, type EmulatorFault } from './config';
import { MAX_TOKEN_RATIO, MIN_TOKEN_RATIO } from './tokenizer';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(path: string, expected: string, got: unknown): never {
  throw new TypeError(`Invalid emulator config: ${path} should be ${expected}, got ${JSON.stringify(got)}`);
}

function positive(value: unknown, path: string, optional: boolean): void {
  if (value === undefined && optional) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) fail(path, 'a positive number', value);
}

function checkFault(fault: unknown, path: string): void {
  if (!isObject(fault)) fail(path, 'an object', fault);
  if (!(FAULT_KINDS as readonly unknown[]).includes(fault.kind)) fail(`${path}.kind`, `one of ${FAULT_KINDS.join(', ')}`, fault.kind);
  if (fault.model !== undefined && typeof fault.model !== 'string') fail(`${path}.model`, 'a string', fault.model);
  const rate = fault.rate;
  if (rate !== undefined && (typeof rate !== 'number' || !(rate >= 0 && rate <= 1))) fail(`${path}.rate`, 'a number in 0..1', rate);
  for (const key of ['from', 'until'] as const) {
    const v = fault[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) fail(`${path}.${key}`, 'seconds >= 0', v);
  }
}

export function validateFaults(faults: unknown, path = 'faults'): EmulatorFault[] {
  if (!Array.isArray(faults)) fail(path, 'an array', faults);
  faults.forEach((f, i) => checkFault(f, `${path}[${i}]`));
  return faults as EmulatorFault[];
}

export function validateEmulatorConfig(config: unknown): EmulatorConfig {
  if (!isObject(config)) fail('(root)', 'an object', config);
  const models = config.models;
  if (!Array.isArray(models) || models.length === 0) fail('models', 'a non-empty array', models);
  const seen = new Set<string>();
  const normalized = models.map((m: unknown, i) => {
    const path = `models[${i}]`;
    if (!isObject(m)) fail(path, 'an object', m);
    if (typeof m.id !== 'string' || m.id.length === 0) fail(`${path}.id`, 'a non-empty string', m.id);
    if (seen.has(m.id)) fail(`${path}.id`, 'unique', m.id);
    seen.add(m.id);
    positive(m.tokensPerMinute, `${path}.tokensPerMinute`, false);
    for (const key of ['requestsPerMinute', 'outputTokensPerSecond', 'defaultMaxTokens', 'maxOutputTokens', 'tokensPerDay'] as const) {
      positive(m[key], `${path}.${key}`, true);
    }
    const concurrency = m.maxConcurrency;
    if (concurrency !== undefined && !(typeof concurrency === 'number' && Number.isInteger(concurrency) && concurrency >= 1)) fail(`${path}.maxConcurrency`, 'an integer >= 1', concurrency);
    const first = m.firstTokenMs;
    if (first !== undefined && (typeof first !== 'number' || !Number.isFinite(first) || first < 0)) fail(`${path}.firstTokenMs`, 'ms >= 0', first);
    // An analysis config's models (toolChoice: "tool" | "auto", the kind the engine sends) are
    // accepted as they are, so one file can describe both sides: the model accepts that kind.
    const choice = typeof m.toolChoice === 'string' ? [m.toolChoice] : m.toolChoice;
    if (choice !== undefined && (!Array.isArray(choice) || choice.length === 0 || !choice.every((c) => (TOOL_CHOICE_KINDS as readonly unknown[]).includes(c)))) {
      fail(`${path}.toolChoice`, 'a non-empty array of "auto", "any", "tool"', m.toolChoice);
    }
    if (m.access !== undefined && m.access !== 'denied') fail(`${path}.access`, '"denied" or absent', m.access);
    const ratio = m.tokenRatio;
    if (ratio !== undefined && (typeof ratio !== 'number' || !(ratio >= MIN_TOKEN_RATIO && ratio <= MAX_TOKEN_RATIO))) {
      fail(`${path}.tokenRatio`, `a number in ${MIN_TOKEN_RATIO}..${MAX_TOKEN_RATIO}`, ratio);
    }
    const foreign = m.foreignTokensPerMinute;
    if (foreign !== undefined && (typeof foreign !== 'number' || !Number.isFinite(foreign) || foreign < 0 || foreign >= (m.tokensPerMinute as number))) {
      fail(`${path}.foreignTokensPerMinute`, 'tokens per minute >= 0 and below tokensPerMinute', foreign);
    }
    if (m.serviceQuota !== undefined && m.serviceQuota !== 'unlisted') fail(`${path}.serviceQuota`, '"unlisted" or absent', m.serviceQuota);
    const tiers = m.serviceTiers;
    if (tiers !== undefined && (!Array.isArray(tiers) || !tiers.every((t) => (SERVICE_TIER_NAMES as readonly unknown[]).includes(t)))) {
      fail(`${path}.serviceTiers`, `an array of ${SERVICE_TIER_NAMES.map((t) => `"${t}"`).join(', ')}`, tiers);
    }
    return choice === undefined ? m : { ...m, toolChoice: choice };
  });
  if (config.faults !== undefined) validateFaults(config.faults);
  const creds = config.credentials;
  if (creds !== undefined && (!isObject(creds) || typeof creds.accessKeyId !== 'string' || typeof creds.secretAccessKey !== 'string')) {
    fail('credentials', '{ accessKeyId: string, secretAccessKey: string }', creds);
  }
  const keys = config.apiKeys;
  if (keys !== undefined && (!Array.isArray(keys) || keys.length === 0 || !keys.every((k) => typeof k === 'string' && /^\S+$/.test(k)))) {
    fail('apiKeys', 'a non-empty array of API keys (strings without spaces)', Array.isArray(keys) ? `${keys.length} entries` : typeof keys);
  }
  if (config.seed !== undefined && (typeof config.seed !== 'number' || !Number.isInteger(config.seed))) fail('seed', 'an integer', config.seed);
  positive(config.maxBodyBytes, 'maxBodyBytes', true);
  const sq = config.serviceQuotas;
  if (sq !== undefined) {
    if (!isObject(sq)) fail('serviceQuotas', 'an object', sq);
    if (sq.access !== undefined && sq.access !== 'denied') fail('serviceQuotas.access', '"denied" or absent', sq.access);
    const size = sq.pageSize;
    if (size !== undefined && !(typeof size === 'number' && Number.isInteger(size) && size >= 1 && size <= 100)) fail('serviceQuotas.pageSize', 'an integer in 1..100', size);
  }
  // Fields the emulator does not know are ignored (an analysis config carries many).
  return { ...config, models: normalized } as unknown as EmulatorConfig;
}
