/**
 * `npm run bench -- --workloads shared-account,back-to-back`: issue 14's account workloads, run after
 * the in-process ones and added to the same results (rows, workloads, targets). They spawn CLI
 * processes, so they run on their own clock scale (ACCOUNT_TIME_SCALE) where a process start costs
 * emulated seconds, not minutes.
 */
import type { BenchResults, RunResult, TargetCheck } from '../results';
import type { SourceFile } from '../../src/core/types';
import type { WorkloadKey } from '../workloads';
import { ACCOUNT_MODELS, backToBack, sharedAccount } from './workloads';

export const ACCOUNT_WORKLOADS: readonly WorkloadKey[] = ['shared-account', 'back-to-back'];
export const ACCOUNT_TIME_SCALE = 20;
const LABELS: Partial<Record<WorkloadKey, string>> = {
  'shared-account': 'Shared account (4 clients: 2 CLI processes + 2 engines)',
  'back-to-back': 'Back-to-back CLI runs (second run)',
};

const pct = (share: number) => `${(share * 100).toFixed(2)} %`;

function checks(runs: readonly RunResult[], note: string | undefined): TargetCheck[] {
  const out: TargetCheck[] = [];
  const find = (w: string, s: string) => runs.find((r) => r.workload === w && r.strategy === s);
  const shared = find('shared-account', 'chorus');
  const alone = find('shared-account', 'chorus-no-ledger');
  if (shared || note) {
    const m = shared?.metrics;
    const vs = alone ? ` (each its own ledger: ${alone.metrics.throttled}/${alone.metrics.requests}, util ${alone.metrics.utilization})` : '';
    out.push({
      target: 'shared account, one Redis: ≤ 1 % throttled, account utilization ≥ 0.9, 0 lost',
      measured: m ? `${m.throttled}/${m.requests} (${pct(m.throttledShare)}), util ${m.utilization} (steady ${m.steadyUtilization ?? 'n/a'}), ${shared.lost.length} lost${vs}` : (note ?? 'not run'),
      met: m ? m.throttledShare <= 0.01 && (m.steadyUtilization ?? m.utilization) >= 0.9 && shared.lost.length === 0 : null,
    });
  }
  const second = find('back-to-back', 'chorus');
  if (second) {
    const m = second.metrics;
    const apart = find('back-to-back', 'chorus-no-ledger');
    const vs = apart ? ` (no ledger in common: ${apart.metrics.throttled}/${apart.metrics.requests})` : '';
    out.push({ target: 'back-to-back CLI runs: the second ≤ 1 % throttled, 0 lost', measured: `${m.throttled}/${m.requests} (${pct(m.throttledShare)}), ${second.lost.length} lost${vs}`, met: m.throttledShare <= 0.01 && second.lost.length === 0 });
  }
  return out;
}

/** Runs the selected account workloads and adds them to `results`. */
export async function addAccountWorkloads(results: BenchResults, selected: readonly WorkloadKey[], files: Map<string, SourceFile>, log: (line: string) => void): Promise<void> {
  const options = { files, timeScale: ACCOUNT_TIME_SCALE, filesPerClient: 90, log };
  const runs: RunResult[] = [];
  let note: string | undefined;
  if (selected.includes('shared-account')) {
    const shared = await sharedAccount(options);
    runs.push(...shared.runs);
    note = shared.note;
  }
  if (selected.includes('back-to-back')) runs.push(...(await backToBack(options)));
  for (const run of runs) {
    const m = run.metrics;
    log(`${run.workload} / ${run.strategy}: makespan ${(m.makespanMs / 60_000).toFixed(2)} min, util ${m.utilization}, steady ${m.steadyUtilization}, throttled ${m.throttled}/${m.requests}, lost ${run.lost.length} (${(run.realMs / 1000).toFixed(1)} s real)`);
  }
  const quotas = Object.fromEntries(ACCOUNT_MODELS.map((m) => [m.id, m.tokensPerMinute]));
  for (const key of selected) results.workloads.push({ key, label: LABELS[key] ?? key, quotas, configured: quotas });
  results.runs.push(...runs);
  results.targets.push(...checks(runs, note));
}
