/**
 * VS Code settings → what the extension and the engine run with. Pure: the host passes a reader over
 * `vscode.workspace.getConfiguration('chorus', folder)`, tests pass a plain object.
 *
 * Layering, lowest first: Chorus's defaults, the folder's chorus.config.json, then the settings the
 * user *explicitly* set (a package.json default never overrides the config file). Where code is sent
 * (endpoint, region, profile) comes only from machine-level settings: a repository could otherwise
 * redirect a developer's code to a server of its choosing, so chorus.config.json cannot set them here.
 */
import type { Severity } from '../../core/contract';
import { DESTINATION_FIELDS } from '../../core/config/destination';
import type { ChorusConfig } from '../../core/config/types';

export type DiagnosticLevel = 'error' | 'warning' | 'information' | 'hint' | 'off';
export type SeverityMap = Readonly<Record<Severity, DiagnosticLevel>>;
export type LargeBurstPolicy = 'ask' | 'analyze' | 'skip';

export interface TriggerSettings {
  analyzeOnSave: boolean;
  watchEnabled: boolean;
  quietMs: number;
  maxWaitMs: number;
  burstThreshold: number;
  largeBurst: LargeBurstPolicy;
  confirmWorkspaceAboveFiles: number;
}

export interface ExtensionSettings {
  triggers: TriggerSettings;
  severity: SeverityMap;
  /** Relative to the folder, or absolute. */
  baselinePath: string;
  /** Set by the user (must exist), rather than the default (used only when present). */
  baselineExplicit: boolean;
  /** Not yet validated: `toChorusConfig` hands it to `parseConfig`, which merges onto the defaults and names bad fields. */
  configJson: Record<string, unknown>;
  /** chorus.exclude: added to the config's excludes (replacing them would start sending node_modules). */
  extraExclude: string[];
  /**
   * chorus.sharedQuota.url, machine level only: the account's Redis quota ledger. Not part of the
   * config (a repository's chorus.config.json cannot choose it); it holds a password, never logged.
   */
  sharedQuotaUrl?: string;
}

export interface SettingsReader {
  /** The value the user set at any level (user, workspace, folder); undefined when only the default applies. */
  explicit(key: string): unknown;
  /** Only the user (or remote machine) level: for settings a workspace must never choose. */
  machine(key: string): unknown;
}

export const DEFAULT_SEVERITY: SeverityMap = { error: 'error', warning: 'warning', info: 'information' };
export const DEFAULT_BASELINE = '.chorus/baseline.json';
const LEVELS: readonly DiagnosticLevel[] = ['error', 'warning', 'information', 'hint', 'off'];

export interface ReadResult {
  settings: ExtensionSettings;
  /** Values that were ignored and why (logged; never fatal). */
  warnings: string[];
}

export function readSettings(reader: SettingsReader, fileConfig?: Record<string, unknown>): ReadResult {
  const warnings: string[] = [];
  const configJson: Record<string, unknown> = { ...fileConfig };
  for (const key of DESTINATION_FIELDS) {
    if (configJson[key] !== undefined) {
      warnings.push(`chorus.config.json sets "${key}"; ignored in VS Code (set chorus.${key} in your user settings)`);
      delete configJson[key];
    }
    const value = reader.machine(`${key}`);
    if (typeof value === 'string' && value.trim() !== '') configJson[key] = value.trim();
  }

  const models = reader.explicit('models');
  if (Array.isArray(models) && models.length > 0) configJson.models = models;
  const include = reader.explicit('include');
  if (Array.isArray(include) && include.length > 0) configJson.include = include;
  const exclude = reader.explicit('exclude');
  const extraExclude = Array.isArray(exclude) ? exclude.filter((e): e is string => typeof e === 'string' && e !== '') : [];
  copyIfSet(reader, configJson, 'maxFileKb');
  copyIfSet(reader, configJson, 'spillover');
  const instructions = reader.explicit('instructions');
  if (typeof instructions === 'string' && instructions.trim() !== '') configJson.instructions = instructions;

  const budget = { ...(configJson.budget as Record<string, unknown> | undefined) };
  for (const key of ['maxTokens', 'maxCost'] as const) {
    const value = reader.explicit(`budget.${key}`);
    // 0 in settings means "no limit", which the config expresses by leaving the field out.
    if (value === 0) delete budget[key];
    else if (value !== undefined) budget[key] = value;
  }
  if (Object.keys(budget).length > 0 || configJson.budget !== undefined) configJson.budget = budget;
  const sharedQuota = reader.machine('sharedQuota.url');
  const sharedQuotaUrl = typeof sharedQuota === 'string' && sharedQuota.trim() !== '' ? sharedQuota.trim() : undefined;

  return {
    settings: {
      triggers: readTriggers(reader, warnings),
      severity: readSeverity(reader.explicit('severity'), warnings),
      baselinePath: stringOr(reader.explicit('baselinePath'), DEFAULT_BASELINE),
      baselineExplicit: stringOr(reader.explicit('baselinePath'), '') !== '',
      configJson,
      extraExclude,
      ...(sharedQuotaUrl ? { sharedQuotaUrl } : {}),
    },
    warnings,
  };
}

/** The engine's config for these settings; throws parseConfig's ConfigError naming the bad setting. */
export function toChorusConfig(
  settings: ExtensionSettings,
  parse: (json: unknown, source: string) => ChorusConfig,
): ChorusConfig {
  const config = parse(settings.configJson, 'Chorus settings');
  return settings.extraExclude.length === 0 ? config : { ...config, exclude: [...config.exclude, ...settings.extraExclude] };
}

function readTriggers(reader: SettingsReader, warnings: string[]): TriggerSettings {
  const largeBurst = reader.explicit('watch.largeBurst');
  return {
    analyzeOnSave: boolOr(reader.explicit('analyzeOnSave'), true),
    watchEnabled: boolOr(reader.explicit('watch.enabled'), true),
    quietMs: nonNegative(reader.explicit('watch.quietMs'), 1500, 'watch.quietMs', warnings),
    maxWaitMs: nonNegative(reader.explicit('watch.maxWaitMs'), 10_000, 'watch.maxWaitMs', warnings),
    burstThreshold: nonNegative(reader.explicit('watch.burstThreshold'), 200, 'watch.burstThreshold', warnings),
    largeBurst: largeBurst === 'analyze' || largeBurst === 'skip' ? largeBurst : 'ask',
    confirmWorkspaceAboveFiles: nonNegative(reader.explicit('confirmWorkspaceAboveFiles'), 100, 'confirmWorkspaceAboveFiles', warnings),
  };
}

function readSeverity(value: unknown, warnings: string[]): SeverityMap {
  if (value === undefined || value === null) return DEFAULT_SEVERITY;
  if (typeof value !== 'object' || Array.isArray(value)) {
    warnings.push('chorus.severity: expected an object such as {"info": "hint"}; using the defaults');
    return DEFAULT_SEVERITY;
  }
  const out: Record<Severity, DiagnosticLevel> = { ...DEFAULT_SEVERITY };
  for (const [key, level] of Object.entries(value as Record<string, unknown>)) {
    if (!(key in DEFAULT_SEVERITY) || !LEVELS.includes(level as DiagnosticLevel)) {
      warnings.push(`chorus.severity.${key}: expected one of ${LEVELS.join(', ')}; ignored`);
      continue;
    }
    out[key as Severity] = level as DiagnosticLevel;
  }
  return out;
}

function copyIfSet(reader: SettingsReader, target: Record<string, unknown>, key: string): void {
  const value = reader.explicit(key);
  if (value !== undefined) target[key] = value;
}

function boolOr(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback;
}

function nonNegative(value: unknown, fallback: number, key: string, warnings: string[]): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  warnings.push(`chorus.${key}: expected a number ≥ 0, got ${JSON.stringify(value)}; using ${fallback}`);
  return fallback;
}
