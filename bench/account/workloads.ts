/**
 * Issue 14's account workloads, each against one emulator (port 0, the workload's time scale) that
 * every client of the run shares, as an AWS account's quota is shared:
 * - shared account: four Chorus clients at once — two separate `chorus analyze` processes and two
 *   engines in this process — each on its own slice of the codebase, with one Redis ledger (a real
 *   redis-server the benchmark starts and stops) beside each on its own (separate cache folders: no
 *   ledger in common, as on four machines);
 * - back-to-back CLI runs: a second `chorus analyze` started as the first ends, with the embedded
 *   file ledger (one cache folder) beside each with its own cache folder (no ledger in common, what
 *   Chorus did before issue 14). The second run's requests are the measure.
 * Metrics come from the emulator's request log (what the service charged), as in every workload.
 */
import { rmSync } from 'node:fs';
import { KNOWN_MODELS, LLAMA_33_70B_ID, NOVA_PRO_ID } from '../../src/core/config';
import type { SourceFile } from '../../src/core/types';
import { startEmulator, type EmulatorRequestRecord } from '../../src/emulator';
import { measureRun, throughputSeries } from '../measure/metrics';
import type { RunResult } from '../results';
import type { WorkOutcome } from '../strategies/types';
import type { WorkloadKey } from '../workloads';
import { configFile, runCli, runEngine, tempDir, workspace, type ClientResult } from './clients';
import { redisMissing, startBenchRedis } from './redisServer';

export interface AccountOptions {
  files: Map<string, SourceFile>;
  /** Emulated ms per real ms: low enough that a CLI process's start (seconds of real CPU) is not minutes. */
  timeScale: number;
  /** Files per client. */
  filesPerClient: number;
  log: (line: string) => void;
}

export const ACCOUNT_MODELS = [NOVA_PRO_ID, LLAMA_33_70B_ID].map((id) => ({ id, tokensPerMinute: KNOWN_MODELS[id]!.tokensPerMinute }));
const QUOTA_SUM = ACCOUNT_MODELS.reduce((s, m) => s + m.tokensPerMinute, 0);

/** `count` disjoint slices of the codebase (every `count`-th file), `per` files each. */
function slices(files: Map<string, SourceFile>, count: number, per: number): SourceFile[][] {
  const all = [...files.values()];
  return Array.from({ length: count }, (_, i) => all.filter((_, j) => j % count === i).slice(0, per));
}

function row(workload: WorkloadKey, strategy: string, label: string, records: EmulatorRequestRecord[], results: ClientResult[], realMs: number): RunResult {
  const start = Math.min(...records.map((r) => r.time));
  const end = Math.max(...records.map((r) => r.endTime ?? r.time));
  const outcomes: WorkOutcome[] = results.flatMap((r, i) => [
    ...Array.from({ length: r.analyzed }, (_, j) => ({ id: `c${i}.${j}`, status: 'ok' as const, files: 1, attempts: 1 })),
    ...r.notAnalyzed.map((f) => ({ id: f.path, status: 'lost' as const, files: 1, attempts: 1, reason: `${f.status}: ${f.reason}` })),
  ]);
  return {
    workload, strategy, label,
    metrics: measureRun(records, outcomes, { start, end }, QUOTA_SUM),
    saves: null,
    transit: { p50Ms: null, p95Ms: null, maxMs: null },
    lost: results.flatMap((r) => r.notAnalyzed.map((f) => ({ id: f.path, files: 1, reason: `${f.status}: ${f.reason}` }))),
    series: throughputSeries(records, start, end),
    realMs,
  };
}

async function withEmulator<T>(timeScale: number, work: (endpoint: string, requests: () => EmulatorRequestRecord[]) => Promise<T>): Promise<T> {
  const emulator = await startEmulator({ config: { models: ACCOUNT_MODELS }, port: 0, timeScale });
  try {
    return await work(emulator.url, () => emulator.requests());
  } finally {
    await emulator.close();
  }
}

/** Four clients at once on one account: through one Redis (`url`), or each alone (undefined). */
async function fourClients(o: AccountOptions, url: string | undefined, tag: string): Promise<RunResult> {
  const parts = slices(o.files, 4, o.filesPerClient);
  const dirs = parts.map((p, i) => workspace(`${tag}${i}`, p));
  const caches = parts.map((_, i) => tempDir(`${tag}cache${i}`));
  const started = performance.now();
  try {
    return await withEmulator(o.timeScale, async (endpoint, requests) => {
      const config = configFile(endpoint, ACCOUNT_MODELS);
      const results = await Promise.all([
        runCli(dirs[0]!, config, caches[0]!, o.timeScale, url),
        runCli(dirs[1]!, config, caches[1]!, o.timeScale, url),
        runEngine(dirs[2]!, config, caches[2]!, o.timeScale, url),
        runEngine(dirs[3]!, config, caches[3]!, o.timeScale, url),
      ]);
      const label = url ? 'Chorus, four clients, one Redis ledger' : 'Chorus, four clients, each its own ledger';
      return row('shared-account', url ? 'chorus' : 'chorus-no-ledger', label, requests(), results, Math.round(performance.now() - started));
    });
  } finally {
    for (const d of [...dirs, ...caches]) rmSync(d, { recursive: true, force: true });
  }
}

export async function sharedAccount(o: AccountOptions): Promise<{ runs: RunResult[]; note?: string }> {
  const runs = [await fourClients(o, undefined, 'alone')];
  const missing = redisMissing();
  if (missing) {
    o.log(`shared-account: ${missing}`);
    return { runs, note: missing };
  }
  const redis = await startBenchRedis();
  try {
    runs.unshift(await fourClients(o, redis.url, 'redis'));
  } finally {
    await redis.stop();
  }
  return { runs };
}

/** Two CLI runs one after the other; `shareCache`: one cache folder (the embedded file ledger) or one each. */
async function twoRuns(o: AccountOptions, shareCache: boolean, tag: string): Promise<RunResult> {
  const parts = slices(o.files, 2, o.filesPerClient * 2);
  const dirs = parts.map((p, i) => workspace(`${tag}${i}`, p));
  const caches = shareCache ? [tempDir(`${tag}cache`)] : [tempDir(`${tag}cache0`), tempDir(`${tag}cache1`)];
  const started = performance.now();
  try {
    return await withEmulator(o.timeScale, async (endpoint, requests) => {
      const config = configFile(endpoint, ACCOUNT_MODELS);
      const first = await runCli(dirs[0]!, config, caches[0]!, o.timeScale);
      const since = requests().length;
      const second = await runCli(dirs[1]!, config, caches[caches.length - 1]!, o.timeScale);
      const label = shareCache ? 'Chorus, second run (embedded file ledger)' : 'Chorus, second run (no ledger in common)';
      const result = row('back-to-back', shareCache ? 'chorus' : 'chorus-no-ledger', label, requests().slice(since), [second], Math.round(performance.now() - started));
      if (first.notAnalyzed.length > 0) result.lost.push(...first.notAnalyzed.map((f) => ({ id: `first run: ${f.path}`, files: 1, reason: f.reason })));
      return result;
    });
  } finally {
    for (const d of [...dirs, ...caches]) rmSync(d, { recursive: true, force: true });
  }
}

export async function backToBack(o: AccountOptions): Promise<RunResult[]> {
  return [await twoRuns(o, true, 'b2bshared'), await twoRuns(o, false, 'b2bapart')];
}
