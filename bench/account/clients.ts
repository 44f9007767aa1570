/**
 * The clients of the account workloads: `chorus analyze` as a separate CLI process (tsx
 * src/cli/main.ts, the way `npx tsx` runs it), and the engine a host builds, in this process. Each
 * analyzes its own workspace: a slice of the benchmark's codebase written to a temporary folder, so no
 * two clients share cached results.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ScaledClock } from '../../src/core/clock';
import { parseConfig } from '../../src/core/config';
import { createEngine, createInterimScorer } from '../../src/core/engine';
import type { SourceFile } from '../../src/core/types';

const REPO = resolve(__dirname, '..', '..');
const MAIN = join(REPO, 'src', 'cli', 'main.ts');
const TSX = pathToFileURL(join(REPO, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

/** Files analyzed, and the others with why (every file leaves a run analyzed, skipped or failed). */
export interface ClientResult {
  analyzed: number;
  notAnalyzed: { path: string; status: string; reason: string }[];
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `chorus-bench-${prefix}-`));
}

/** Writes `files` under a new temporary folder; returns it. */
export function workspace(tag: string, files: readonly SourceFile[]): string {
  const root = tempDir(tag);
  for (const f of files) {
    const path = join(root, f.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.text);
  }
  return root;
}

/** A config file pointing every client at the emulator with the workload's quotas. */
export function configFile(endpoint: string, models: { id: string; tokensPerMinute: number }[]): string {
  const path = join(tempDir('config'), 'chorus.json');
  writeFileSync(path, JSON.stringify({ endpoint, models }));
  return path;
}

function resultOf(files: readonly { path: string; status: string; reason?: string }[]): ClientResult {
  const notAnalyzed = files.filter((f) => f.status !== 'analyzed').map((f) => ({ path: f.path, status: f.status, reason: f.reason ?? '' }));
  return { analyzed: files.length - notAnalyzed.length, notAnalyzed };
}

/** One `chorus analyze` process; its own cache folder (and so its own file ledger) unless shared. */
export function runCli(root: string, config: string, cacheDir: string, timeScale: number, sharedQuotaUrl?: string): Promise<ClientResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDCHORUSBENCH', AWS_SECRET_ACCESS_KEY: 'chorus-bench-secret', CHORUS_CACHE_DIR: cacheDir, CHORUS_TIME_SCALE: String(timeScale), AWS_EC2_METADATA_DISABLED: 'true' };
  delete env.AWS_PROFILE;
  delete env.CHORUS_SHARED_QUOTA_URL;
  const args = ['--import', TSX, MAIN, 'analyze', root, '--config', config, '--format', 'json', '--no-cache', ...(sharedQuotaUrl ? ['--shared-quota', sharedQuotaUrl] : [])];
  return new Promise((resolveRun, reject) => {
    execFile(process.execPath, args, { env, cwd: REPO, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      try {
        const report = JSON.parse(stdout) as { files: { path: string; status: string; reason?: string }[] };
        resolveRun(resultOf(report.files));
      } catch {
        // No report at all: the run itself failed (its stderr says why; the password is never printed).
        // Not err.message: it quotes the command line, and with it a --shared-quota URL's password.
        const code = typeof err?.code === 'number' ? `exit ${err.code}` : 'no exit code';
        reject(new Error(`bench: chorus analyze gave no report (${code}): ${stderr.slice(0, 500)}`));
      }
    });
  });
}

/** The engine a host (a VS Code window) builds, in this process, on the CLI runs' clock scale. */
export async function runEngine(root: string, config: string, cacheDir: string, timeScale: number, sharedQuotaUrl?: string): Promise<ClientResult> {
  // The SDK's default chain reads the environment: dummy keys for the emulator (it checks none), as
  // the CLI processes get; never a real profile of whoever runs the benchmark.
  process.env.AWS_ACCESS_KEY_ID = 'AKIDCHORUSBENCH';
  process.env.AWS_SECRET_ACCESS_KEY = 'chorus-bench-secret';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  delete process.env.AWS_PROFILE;
  const engine = createEngine({
    config: parseConfig(JSON.parse(readFileSync(config, 'utf8')) as unknown, config),
    clock: new ScaledClock(timeScale),
    scorer: createInterimScorer(),
    cacheDir,
    ...(sharedQuotaUrl ? { sharedQuotaUrl } : {}),
  });
  try {
    return resultOf((await engine.analyze({ root, lane: 'background', noCache: true })).files);
  } finally {
    engine.dispose();
  }
}
