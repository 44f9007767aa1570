/**
 * `npm run bench`: every workload through every strategy in one run, against the in-process emulator
 * on one shared scaled clock; prints the table and the targets, and writes bench/results/latest.json,
 * bench/results/table.md and bench/results/throughput.svg.
 *
 *   npm run bench -- [--scale 30] [--limit N] [--codebase DIR] [--saves 12] [--workloads burst,saves] [--strategies chorus]
 *                    [--scorer real|interim] [--seed 1] [--out bench/results]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runBenchmark } from './harness';
import { preamble, resultsTable, targetsList } from './report/table';
import { throughputSvg } from './report/svg';
import type { BenchResults } from './results';
import { ACCOUNT_WORKLOADS, addAccountWorkloads } from './account';
import { DEFAULT_CODEBASE, loadCodebase } from './workload/codebase';
import { WORKLOAD_GROUPS, type StrategyKey, type WorkloadKey } from './workloads';

const WORKLOADS: WorkloadKey[] = ['burst', 'saves', 'wrong-quotas', 'three-models', 'tokenizer-skew-1.3', 'tokenizer-skew-0.8', 'foreign-tenant', 'connections-limited', 'rpm-limited', 'small-quota', 'small-quota-three', ...ACCOUNT_WORKLOADS];

function number(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new TypeError(`--${name}: expected a positive number, got ${JSON.stringify(value)}`);
  return n;
}

export function writeResults(results: BenchResults, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const table = [preamble(results), '', resultsTable(results), '', 'Targets (Chorus):', targetsList(results), ''].join('\n');
  // The burst's chart, or the first workload's when the burst was not run (--workloads without it).
  const charted = results.workloads.some((w) => w.key === 'burst') ? 'burst' : (results.workloads[0]?.key ?? 'burst');
  const files = { 'latest.json': JSON.stringify(results, null, 2) + '\n', 'table.md': table, 'throughput.svg': throughputSvg(results, charted) };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return Object.keys(files).map((name) => join(dir, name));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string' }, limit: { type: 'string' }, codebase: { type: 'string' }, saves: { type: 'string' },
      workloads: { type: 'string' }, strategies: { type: 'string' }, scorer: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' },
    },
  });
  const workloads = values.workloads?.split(',').flatMap((w) => WORKLOAD_GROUPS[w.trim()] ?? [w.trim()]) as WorkloadKey[] | undefined;
  const unknown = workloads?.find((w) => !WORKLOADS.includes(w));
  if (unknown) throw new TypeError(`--workloads: expected some of ${[...WORKLOADS, ...Object.keys(WORKLOAD_GROUPS)].join(', ')}, got ${JSON.stringify(unknown)}`);
  if (values.scorer && values.scorer !== 'real' && values.scorer !== 'interim') throw new TypeError(`--scorer: expected real or interim, got ${JSON.stringify(values.scorer)}`);
  const results = await runBenchmark({
    codebase: values.codebase ?? DEFAULT_CODEBASE,
    ...(values.limit ? { limit: number('limit', values.limit, 0) } : {}),
    timeScale: number('scale', values.scale, 30),
    saves: number('saves', values.saves, 12),
    saveStartMs: 30_000,
    saveEveryMs: 20_000,
    seed: number('seed', values.seed, 1),
    scorer: (values.scorer as 'real' | 'interim' | undefined) ?? 'real',
    ...(workloads ? { workloads } : {}),
    ...(values.strategies ? { strategies: values.strategies.split(',').map((s) => s.trim()) as StrategyKey[] } : {}),
    log: (line) => process.stderr.write(`bench: ${line}\n`),
  });
  // Issue 14's account workloads (CLI processes, Redis) run after the in-process ones (bench/account).
  const account = ACCOUNT_WORKLOADS.filter((w) => !workloads || workloads.includes(w));
  if (account.length > 0) {
    const files = loadCodebase(values.codebase ?? DEFAULT_CODEBASE, values.limit ? { limit: number('limit', values.limit, 0) } : {});
    await addAccountWorkloads(results, account, files, (line) => process.stderr.write(`bench: ${line}\n`));
  }
  const written = writeResults(results, values.out ?? join(__dirname, 'results'));
  process.stdout.write(`\n${preamble(results)}\n\n${resultsTable(results)}\n\nTargets (Chorus):\n${targetsList(results)}\n\n`);
  process.stdout.write(`Wrote ${written.join(', ')} in ${(results.realMs / 1000).toFixed(0)} s.\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
