/**
 * Two `chorus analyze` processes at once against one emulator with small quotas: the setting of the
 * shared-quota tests (the machine's file ledger in sharedQuota.test.ts, Redis in
 * sharedQuotaRedis.test.ts). Each run gets its own workspace (distinct files: no cache sharing).
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScaledClock } from '../../src/core/clock';
import { parseConfig } from '../../src/core/config';
import { createEngine, createInterimScorer } from '../../src/core/engine';
import { startEmulatorProcess, type EmulatorProcess } from '../support/emulatorProcess';
import { cliEnv, parseReport, runChorus, TIME_SCALE, tempDir, writeTree, type CliRun } from '../integration/cli/helpers';
import { LLAMA, NOVA, removeAfter, useDummyCredentials } from './helpers';

// Small quotas (a new account's), so that two runs together span several windows.
export const QUOTAS = { [NOVA]: 12_000, [LLAMA]: 8_000 };

/** A workspace of `files` distinct modules of ~1.6 KB each (distinct per `tag`: no cache sharing). */
export function workspace(tag: string, files: number): string {
  const tree: Record<string, string> = {};
  for (let i = 0; i < files; i++) {
    const body = Array.from({ length: 40 }, (_, j) => `export const ${tag}_${i}_${j} = compute(${i}, ${j}); // ${tag}`).join('\n');
    tree[`src/${tag}/m${i}.js`] = `if (value == ${i}) { run(); }\n${body}\n`;
  }
  return writeTree(tempDir(`shared-${tag}`), tree);
}

export interface PairOptions {
  /** One cache folder for both (their file ledger is shared) or one each (it is not). */
  shareCache: boolean;
  /** Extra CLI arguments for both runs (e.g. `--shared-quota URL`). */
  args?: string[];
  /** Extra environment for both CLI runs. */
  env?: Record<string, string>;
  /** Runs while the pair runs (e.g. stopping a server mid-run). */
  during?: () => Promise<void>;
  /**
   * Engines in this test process beside the two CLI runs (a VS Code window, say), each with its own
   * workspace and no file ledger, on the CLI runs' clock; they share through this URL if given.
   */
  engines?: { count: number; sharedQuotaUrl?: string };
}

export interface PairResult {
  throttled: number;
  received: number;
  runs: CliRun[];
}

/**
 * The emulator and config of a shared-quota suite (mocha hooks), and `pair` to run two CLI runs at
 * once; every file of both must be analyzed.
 */
export function useSharedQuotaSuite(): { pair(tag: string, options: PairOptions): Promise<PairResult>; readonly emu: EmulatorProcess } {
  const dirs: string[] = [];
  removeAfter(dirs);
  useDummyCredentials();
  let emu: EmulatorProcess;
  let config: string;
  before(async () => {
    // In a process of its own (test/support/emulatorProcess.ts): the in-process engines below must
    // not delay the emulator's count of what they send.
    emu = await startEmulatorProcess(
      { models: Object.entries(QUOTAS).map(([id, tokensPerMinute]) => ({ id, tokensPerMinute, tokenRatio: 1, ...(id === LLAMA ? { toolChoice: ['auto'] } : {}) })) },
      TIME_SCALE,
    );
    const ci = tempDir('shared-config');
    dirs.push(ci);
    config = join(ci, 'chorus.json');
    writeFileSync(config, JSON.stringify({ endpoint: emu.url, models: Object.entries(QUOTAS).map(([id, tokensPerMinute]) => ({ id, tokensPerMinute, maxKbPerBatch: 6 })) }));
  });
  after(async () => emu?.close());

  async function pair(tag: string, options: PairOptions): Promise<PairResult> {
    const before = (await emu.stats()).totals;
    const caches = options.shareCache ? [tempDir('shared-cache')] : [tempDir('own-cache'), tempDir('own-cache')];
    dirs.push(...caches);
    const roots = [workspace(`a${tag}`, 24), workspace(`b${tag}`, 24)];
    const engineRoots = Array.from({ length: options.engines?.count ?? 0 }, (_, i) => workspace(`e${i}${tag}`, 24));
    dirs.push(...roots, ...engineRoots);
    const [runs, inProcess] = await Promise.all([
      Promise.all(roots.map((root, i) => runChorus(['analyze', root, '--config', config, '--format', 'json', ...(options.args ?? [])], cliEnv(caches[i % caches.length]!, options.env)))),
      Promise.all(engineRoots.map((root) => analyzeInProcess(root, options.engines?.sharedQuotaUrl))),
      options.during?.(),
    ]);
    for (const run of runs) {
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(parseReport(run).files.filter((f) => f.status !== 'analyzed').map((f) => `${f.path}: ${f.reason}`), []);
    }
    for (const files of inProcess) assert.deepEqual(files.filter((f) => f.status !== 'analyzed').map((f) => `${f.path}: ${f.reason ?? ''}`), []);
    const after = (await emu.stats()).totals;
    return { throttled: after.throttled - before.throttled, received: after.received - before.received, runs };
  }

  function cacheDir(): string {
    const dir = tempDir('engine-cache');
    dirs.push(dir);
    return dir;
  }

  /** The engine a host builds, in this process: same config and clock scale as the CLI runs. */
  async function analyzeInProcess(root: string, sharedQuotaUrl: string | undefined) {
    const json = JSON.parse(readFileSync(config, 'utf8')) as unknown;
    const engine = createEngine({
      config: parseConfig(json, 'shared-quota test'),
      clock: new ScaledClock(TIME_SCALE),
      scorer: createInterimScorer(),
      cacheDir: cacheDir(),
      ...(sharedQuotaUrl ? { sharedQuotaUrl } : {}),
    });
    try {
      return (await engine.analyze({ root, lane: 'background', noCache: true })).files;
    } finally {
      engine.dispose();
    }
  }

  return {
    pair,
    get emu() {
      return emu;
    },
  };
}

/** Lets the emulator's window empty between two pairs (one emulated minute, plus a margin). */
export function windowEmpties(): Promise<void> {
  return new Promise((r) => setTimeout(r, 60_000 / TIME_SCALE + 200));
}
