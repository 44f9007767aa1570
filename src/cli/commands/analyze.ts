/**
 * `chorus analyze [DIR]`: a folder in, findings out (text, JSON or SARIF), for people and for CI.
 * Exit codes: 0 ok · 1 findings at or above --fail-on · 3 some files failed · 2 usage, config or
 * credential errors (with how to fix them). When several apply, the highest wins.
 */
import { Command, Option } from 'commander';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { version } from '../../../package.json';
import { SEVERITIES, type Severity } from '../../core/contract';
import { ConfigError } from '../../core/config/parse';
import { GitError } from '../../core/discover/changedSince';
import { DiffError } from '../../core/changes/diff';
import { describeChangeStats, readChanges } from '../../core/changes/source';
import { CredentialsError, type AnalyzeResult } from '../../core/engine';
import { applyNoiseToFiles, BaselineError, CATEGORIES, describeHidden, parseNoiseOptions } from '../../core/findings';
import { BASELINE_FILE, committedBaseline, withRepositoryNoise } from '../../core/rules';
import type { RunSnapshot } from '../../core/metrics/types';
import { terminalSafe } from '../../core/text';
import { FORMATS, formatResult, type Format } from '../format';
import { renderHtmlReport } from '../format/htmlReport';
import { colorFor } from '../format/text';
import { createProgress } from '../progress';
import { CliError, openEngine, type EngineFlags } from './engineSetup';

const RANK: Record<Severity, number> = { info: 1, warning: 2, error: 3 };

export function exitCodeFor(result: AnalyzeResult, failOn: Severity | undefined): number {
  if (result.files.some((f) => f.status === 'failed')) return 3;
  if (failOn && result.files.some((f) => f.findings.some((x) => RANK[x.severity] >= RANK[failOn]))) return 1;
  return 0;
}

interface AnalyzeFlags extends EngineFlags {
  format: Format;
  output?: string;
  cache: boolean;
  failOn?: Severity;
  changedSince?: string;
  /** A unified diff to review (a file, or `-` for stdin): change review, like --changed-since. */
  diff?: string;
  /** Change review: show every finding on the code sent, not only those on changed lines. */
  allFindings?: boolean;
  report?: string;
  color: boolean;
  /** Noise control: what is shown (and counted by --fail-on); the cache keeps everything. */
  minSeverity?: string;
  maxFindingsPerFile?: string;
  hideCategory?: string[];
}

export async function writeOutput(path: string | undefined, text: string): Promise<void> {
  if (!path) {
    process.stdout.write(text);
    return;
  }
  try {
    await mkdir(dirname(resolve(path)), { recursive: true });
    await writeFile(path, text);
  } catch (err) {
    throw new CliError(`cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

export async function resolveRoot(dir: string | undefined): Promise<string> {
  const root = resolve(dir ?? '.');
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) throw new CliError(`${root} is not a folder. Usage: chorus analyze [DIR]`);
  return root;
}

async function runAnalyze(dir: string | undefined, flags: AnalyzeFlags): Promise<number> {
  const root = await resolveRoot(dir);
  const noise = parseNoiseOptions({ minSeverity: flags.minSeverity, maxPerFile: flags.maxFindingsPerFile, categoriesOff: flags.hideCategory });
  if (noise.errors.length > 0) throw new CliError(noise.errors.join('\n'));
  // Dismissals made in the editor live in the folder's .chorus/baseline.json: they hold here too.
  const committed = flags.baseline === undefined && flags.repoRules !== false ? await committedBaseline(root) : undefined;
  const { engine, rules } = await openEngine(root, committed ? { ...flags, baseline: committed } : flags, [flags.output, flags.report]);
  if (committed) process.stderr.write(`chorus: findings dismissed in ${BASELINE_FILE} are not shown (--baseline FILE or --no-repo-rules to change that)\n`);
  const progress = createProgress(process.stderr);
  const snapshots: RunSnapshot[] = [];
  engine.onEvent(progress.listener);
  engine.onEvent((e) => e.type === 'metrics' && snapshots.push(e.snapshot));
  const controller = new AbortController();
  const onSigint = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSigint);
  try {
    // --changed-since / --diff: a change review (hunk-level, src/core/changes); else the whole folder.
    const changes = await readChanges(root, { ...(flags.diff !== undefined ? { diff: flags.diff } : {}), ...(flags.changedSince !== undefined ? { since: flags.changedSince } : {}) });
    const review = changes && (await engine.reviewChanges({ root, changes, lane: 'background', noCache: !flags.cache, signal: controller.signal, scope: flags.allFindings ? 'all' : 'changed' }));
    const analyzed = review || (await engine.analyze({ root, lane: 'background', noCache: !flags.cache, signal: controller.signal }));
    progress.finish();
    if (review) process.stderr.write(`chorus: ${describeChangeStats(review.changes)}\n`);
    const shownOptions = withRepositoryNoise(noise.options, rules);
    const shown = applyNoiseToFiles(analyzed.files, shownOptions);
    const result = { ...analyzed, files: shown.files };
    const hidden = describeHidden(shown.hidden, shownOptions);
    if (hidden) process.stderr.write(`chorus: not shown: ${hidden}\n`);
    const color = !flags.output && colorFor(process.stdout, flags.color);
    await writeOutput(flags.output, formatResult(flags.format, result, { version, color }));
    if (flags.report) await writeOutput(flags.report, renderHtmlReport({ result, snapshots, version }));
    return result.cancelled ? 130 : exitCodeFor(result, flags.failOn);
  } finally {
    process.off('SIGINT', onSigint);
    engine.dispose();
  }
}

export function analyzeCommand(): Command {
  return addEngineOptions(
    new Command('analyze')
      .description('Analyze a folder with the configured Bedrock models and report the findings.')
      .argument('[dir]', 'folder to analyze', '.')
      .addOption(new Option('--format <format>', 'report format').choices(FORMATS).default('text'))
      .option('--output <file>', 'write the report to a file instead of stdout')
      .option('--no-cache', 'ignore cached results (and do not reuse them)')
      .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding at or above this severity is reported').choices(SEVERITIES))
      .option('--changed-since <ref>', 'review what changed since this git ref (pull requests; HEAD = uncommitted work): changed functions are sent, not whole files')
      .option('--diff <file>', 'review the changes of this unified diff (- reads stdin), e.g. a pull request\'s diff')
      .option('--all-findings', 'with --changed-since/--diff: show every finding on the code sent, not only those on changed lines')
      .option('--report <file.html>', 'also write an HTML report of the run')
      .option('--no-color', 'no colors in the text report')
      .addOption(new Option('--min-severity <severity>', 'show only findings at or above this severity').choices(SEVERITIES))
      .option('--max-findings-per-file <n>', 'show at most N findings per file, the most severe first')
      // Not variadic: `--hide-category security DIR` must not take DIR for a category.
      .option('--hide-category <list>', `hide findings of these categories (${CATEGORIES.join(', ')}; comma-separated or repeated)`, (v: string, all: string[] = []) => [...all, v]),
  ).action(async (dir: string | undefined, flags: AnalyzeFlags) => {
    process.exitCode = await runCli(() => runAnalyze(dir, flags));
  });
}

/** Options shared by the commands that run the engine (analyze, baseline). */
export function addEngineOptions(command: Command): Command {
  return command
    // Commander exits 1 on a bad flag; for us 1 means "findings", usage errors are 2.
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .option('--config <file>', 'configuration file, relative to the working directory (default: chorus.config.json in DIR)')
    .option('--trust-repo-config', 'let a configuration file inside DIR choose the endpoint, region and profile')
    .option('--endpoint <url>', 'Bedrock Runtime endpoint (VPC endpoint, the emulator)')
    .option('--region <region>', 'AWS region')
    .option('--profile <profile>', 'AWS profile (credentials come from the SDK default chain)')
    .option('--max-tokens <n>', 'stop dispatching once this many tokens were spent; the rest is skipped')
    .option('--max-cost <usd>', 'stop dispatching once this estimated cost (USD) is reached')
    .option('--baseline <file>', 'suppress findings whose fingerprints are in this baseline file')
    .option('--no-repo-rules', 'do not read AGENTS.md, .chorus/instructions.md and .chorus/rules.json from DIR')
    .option('--shared-quota <url>', 'share the account\'s quotas through Redis (redis://[user:password@]host[:port], rediss://…; env CHORUS_SHARED_QUOTA_URL)')
    .option('--verbose', 'log debug details to stderr')
    .addOption(new Option('--time-scale <x>', 'emulated ms per real ms (match the emulator\'s)').hideHelp());
}

/** Errors the user fixes (flags, config, credentials, baseline, git ref): exit 2 with their message. */
const USAGE_ERRORS: ReadonlyArray<abstract new (...args: never[]) => Error> = [CliError, ConfigError, CredentialsError, BaselineError, GitError, DiffError];

/** Runs a command body and maps expected errors to exit code 2 with their message. */
export async function runCli(body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    const known = USAGE_ERRORS.some((type) => err instanceof type);
    // The message may quote a service's error text or a file name: printed as data, never as control.
    process.stderr.write(`chorus: ${terminalSafe(err instanceof Error ? err.message : String(err))}\n`);
    return known ? 2 : 3;
  }
}
