/**
 * The CLI end to end: `chorus` runs as a child process (Node 24 + tsx, the way `npx tsx` would) against
 * an emulator started in this process on port 0, both on one sped-up clock.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defaultEmulatorConfig, startEmulator, type EmulatorConfig, type RunningEmulator } from '../../../src/emulator';

export const TIME_SCALE = 60;
const REPO = resolve(__dirname, '..', '..', '..');
const MAIN = join(REPO, 'src', 'cli', 'main.ts');
// tsx by its file URL: a bare `--import tsx` resolves from the child's working directory, which a
// test may set to a folder without node_modules (a CI runner's own config folder).
const TSX = pathToFileURL(join(REPO, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `chorus-cli-${prefix}-`));
}

/** Env for a child that can reach the emulator: dummy keys (it checks none), its own cache dir. */
export function cliEnv(cacheDir: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDCHORUSTEST', AWS_SECRET_ACCESS_KEY: 'chorus-test', CHORUS_CACHE_DIR: cacheDir, CHORUS_TIME_SCALE: String(TIME_SCALE), AWS_EC2_METADATA_DISABLED: 'true', ...extra };
  delete env.AWS_PROFILE;
  for (const [k, v] of Object.entries(extra)) if (v === undefined) delete env[k];
  return env;
}

export function runChorus(args: string[], env: NodeJS.ProcessEnv, cwd = REPO): Promise<CliRun> {
  return new Promise((resolveRun) => {
    execFile(process.execPath, ['--import', TSX, MAIN, ...args], { env, cwd, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolveRun({ code, stdout, stderr });
    });
  });
}

export async function emulator(config: EmulatorConfig = defaultEmulatorConfig()): Promise<RunningEmulator> {
  return startEmulator({ config, port: 0, timeScale: TIME_SCALE });
}

export function writeTree(root: string, files: Record<string, string>): string {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** A small workspace with known problems on known lines. */
export const SAMPLE: Record<string, string> = {
  'src/app.js': ['const x = load();', 'if (x == 1) {', '  eval(x);', '}', ''].join('\n'),
  'src/util.ts': ['try {', '  run();', '} catch (e) {}', '// TODO: tidy', ''].join('\n'),
  'lib/tool.py': ['def f():', '    try:', '        g()', '    except:', '        pass', ''].join('\n'),
  'lib/clean.py': ['def add(a, b):', '    return a + b', ''].join('\n'),
  'docs/notes.md': '# Notes\n',
};

export function sampleWorkspace(): string {
  return writeTree(tempDir('ws'), SAMPLE);
}

export interface JsonReport {
  files: { path: string; status: string; reason?: string; model?: string; cached?: boolean; findings: { file: string; startLine: number; endLine: number; severity: string; ruleId: string; message: string; model: string; fingerprint: string }[] }[];
  models: { id: string; requests: number; inputTokens: number; outputTokens: number; throttled: number; fallbacksIn: number; fallbacksOut: number }[];
  routing: { batchId: string; files: string[]; preferred: string; model?: string; reasons: string[] }[];
  elapsedMs: number;
}

export function parseReport(run: CliRun): JsonReport {
  try {
    return JSON.parse(run.stdout) as JsonReport;
  } catch {
    throw new Error(`not JSON (exit ${run.code}):\n${run.stdout}\n--- stderr ---\n${run.stderr}`);
  }
}

/**
 * The hooks a CLI suite sharing one emulator needs: the emulator started before and closed after,
 * and every temp folder passed through `dir` removed at the end.
 */
export function useCliSuite(): { readonly emu: RunningEmulator; dir: (path: string) => string } {
  let emu: RunningEmulator | undefined;
  const dirs: string[] = [];
  before(async () => (emu = await emulator()));
  after(async () => {
    await emu?.close();
    dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  });
  return {
    dir: (path) => (dirs.push(path), path),
    get emu() {
      if (!emu) throw new Error('the emulator starts in before(); read it inside a test');
      return emu;
    },
  };
}
