/** Building the engine from flags, shared by `analyze` and `baseline` (one engine per CLI run). */
import { ScaledClock } from '../../core/clock';
import { userCacheDir } from '../../core/cache';
import { insecureEndpointWarning, loadConfig } from '../../core/config';
import type { ChorusConfig } from '../../core/config/types';
import { createEngine, type Engine } from '../../core/engine';
import { parseSharedQuotaUrl } from '../../core/ledger/redisUrl';
import { withAccountQuotas } from '../../core/quotas/resolve';
import { createScorer } from '../../core/score';
import { composeInstructions, loadRepositoryRules, noRepositoryRules, type RepositoryRules } from '../../core/rules';
import { availableParallelism } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { terminalSafeLine } from '../../core/text';
import { stderrLogger } from '../progress';

/** A usage error: exit 2 with the message. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

export interface EngineFlags {
  config?: string;
  /** `--trust-repo-config`: let a config file inside DIR choose the endpoint, region and profile. */
  trustRepoConfig?: boolean;
  endpoint?: string;
  region?: string;
  profile?: string;
  maxTokens?: string;
  maxCost?: string;
  baseline?: string;
  verbose?: boolean;
  timeScale?: string;
  /** `--shared-quota URL`: the account's Redis quota ledger (else CHORUS_SHARED_QUOTA_URL). */
  sharedQuota?: string;
  /** `--no-repo-rules` sets false: AGENTS.md, .chorus/instructions.md and .chorus/rules.json are not read. */
  repoRules?: boolean;
}

/**
 * The shared quota ledger's URL from the flag, else the environment; validated here so that a typo is
 * a usage error (exit 2) rather than a run that silently shares nothing. Never from a config file:
 * like the endpoint, it is the user's machine-level choice.
 */
export function sharedQuotaUrlOf(flags: Pick<EngineFlags, 'sharedQuota'>, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const raw = flags.sharedQuota?.trim() || env.CHORUS_SHARED_QUOTA_URL?.trim();
  if (!raw) return undefined;
  try {
    parseSharedQuotaUrl(raw);
  } catch (err) {
    throw new CliError(`${flags.sharedQuota?.trim() ? '--shared-quota' : 'CHORUS_SHARED_QUOTA_URL'}: ${(err as Error).message}`);
  }
  return raw;
}

function positiveNumber(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new CliError(`${flag} expects a positive number, got "${raw}".`);
  return n;
}

/**
 * Flags over the environment over the configuration file. The region also comes from the
 * environment the way every AWS tool reads it, so a CI job can choose it without any file.
 */
export function applyFlags(config: ChorusConfig, flags: EngineFlags, env: NodeJS.ProcessEnv = process.env): ChorusConfig {
  const maxTokens = positiveNumber('--max-tokens', flags.maxTokens);
  const maxCost = positiveNumber('--max-cost', flags.maxCost);
  const region = flags.region || env.AWS_REGION || env.AWS_DEFAULT_REGION;
  return {
    ...config,
    ...(region ? { region } : {}),
    ...(flags.profile ? { profile: flags.profile } : {}),
    ...(flags.endpoint ? { endpoint: flags.endpoint } : {}),
    budget: { ...config.budget, ...(maxTokens !== undefined ? { maxTokens } : {}), ...(maxCost !== undefined ? { maxCost } : {}) },
  };
}

/** Glob characters escaped, so a file name is matched as itself. */
function literalGlob(path: string): string {
  return path.replace(/[\\*?[\]{}()!+@]/g, '\\$&');
}

/**
 * Exclude globs for the files this run writes inside the analyzed folder (a report, a SARIF file, a
 * baseline): the next run must not analyze — and pay for — its own output.
 */
export function excludeOwnOutputs(root: string, outputs: readonly (string | undefined)[]): string[] {
  return outputs.flatMap((out) => {
    if (!out) return [];
    const rel = relative(root, resolve(out)).split(sep).join('/');
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? [literalGlob(rel)] : [];
  });
}

/**
 * The repository's rules, used without --trust-repo-config: they add guidance (redacted, capped) and
 * quiet findings, but never choose where code goes or switch redaction off. An invalid rules file
 * stops the run (exit 2) rather than silently dropping what a team wrote; every file used is named.
 */
async function repositoryRules(root: string, flags: EngineFlags, logger: ReturnType<typeof stderrLogger>): Promise<RepositoryRules> {
  if (flags.repoRules === false) return noRepositoryRules();
  const rules = await loadRepositoryRules(root);
  if (rules.errors.length > 0) throw new CliError(`${rules.errors.join('\n')}\n(fix the rules file, or pass --no-repo-rules)`);
  for (const warning of rules.warnings) logger.warn(warning);
  if (rules.sources.length > 0) {
    const off = [...new Set([...rules.categoriesOff, ...rules.paths.flatMap((p) => p.categoriesOff ?? [])])];
    process.stderr.write(`chorus: repository rules from ${terminalSafeLine(rules.sources.join(', '))}${off.length > 0 ? ` (categories off: ${off.join(', ')})` : ''}; --no-repo-rules to ignore them\n`);
  }
  return rules;
}

export async function openEngine(root: string, flags: EngineFlags, outputs: readonly (string | undefined)[] = []): Promise<{ engine: Engine; config: ChorusConfig; rules: RepositoryRules }> {
  const logger = stderrLogger(process.stderr, flags.verbose === true);
  const loaded = await loadConfig(root, { ...(flags.config !== undefined ? { file: flags.config } : {}), trustRepoConfig: flags.trustRepoConfig === true });
  if (loaded.ignored.length > 0) {
    logger.warn(
      `${relative(process.cwd(), loaded.path!) || loaded.path} is inside the analyzed folder, so it may not choose where code goes: ` +
        `ignored ${loaded.ignored.map((k) => `"${k}"`).join(', ')}. Pass --${loaded.ignored[0]} (or keep the config outside the folder, or --trust-repo-config).`,
    );
  }
  const flagged = applyFlags(loaded.config, flags);
  const rules = await repositoryRules(root, flags, logger);
  const instructions = composeInstructions(flagged.instructions, rules);
  // Models whose config leaves tokensPerMinute out take the account's applied quota (src/core/quotas).
  const config = await withAccountQuotas({ ...flagged, ...(instructions ? { instructions } : {}), exclude: [...flagged.exclude, ...excludeOwnOutputs(root, outputs)] }, { warn: (m) => logger.warn(m) });
  const insecure = insecureEndpointWarning(config.endpoint);
  if (insecure) logger.warn(insecure);
  const scale = positiveNumber('--time-scale', flags.timeScale ?? process.env.CHORUS_TIME_SCALE);
  const sharedQuotaUrl = sharedQuotaUrlOf(flags);
  const cacheDir = userCacheDir();
  const engine = createEngine({
    config,
    logger,
    cacheDir,
    // Runs on this machine share one quota per destination (another `chorus analyze`, a VS Code window).
    ledgerDir: join(cacheDir, 'ledger'),
    // Runs on every machine of the account (teammates, CI runners) share it through Redis.
    ...(sharedQuotaUrl ? { sharedQuotaUrl } : {}),
    // A CLI run has the machine to itself: score on every core.
    scorer: createScorer({ workers: availableParallelism() }),
    ...(scale !== undefined ? { clock: new ScaledClock(scale) } : {}),
    ...(flags.baseline ? { baselinePath: flags.baseline } : {}),
  });
  return { engine, config, rules };
}
