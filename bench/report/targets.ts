/**
 * Issue 9's targets for Chorus, read from the measurements (never asserted as timed tests), and the
 * ratios against the baselines. A workload that does not rerun a baseline (wrong quotas, three
 * models) is compared with that baseline's burst run: the same files through the same true quotas.
 */
import type { RunResult, SaveStats, TargetCheck } from '../results';
import { round } from '../measure/stats';

function baseline(runs: readonly RunResult[], workload: string, strategy: string): RunResult | undefined {
  return runs.find((r) => r.workload === workload && r.strategy === strategy) ?? runs.find((r) => r.workload === 'burst' && r.strategy === strategy);
}

export function addRatios(runs: RunResult[]): void {
  for (const run of runs) {
    const one = baseline(runs, run.workload, 'one-model');
    const original = baseline(runs, run.workload, 'original');
    if (one) run.vsOneModel = round(run.metrics.achievedTpm / one.metrics.achievedTpm, 2);
    if (original) run.vsOriginal = round(run.metrics.achievedTpm / original.metrics.achievedTpm, 2);
  }
}

const pct = (share: number) => `${(share * 100).toFixed(2)} %`;

export function checkTargets(runs: readonly RunResult[], unloaded: SaveStats): TargetCheck[] {
  const chorus = (w: string) => runs.find((r) => r.workload === w && r.strategy === 'chorus');
  const checks: TargetCheck[] = [];
  const burst = chorus('burst');
  if (burst) {
    const steady = burst.metrics.steadyUtilization;
    checks.push({ target: 'utilization ≥ 0.95 over the steady part of the burst', measured: `${steady ?? 'n/a'} (whole makespan ${burst.metrics.utilization})`, met: steady === null ? null : steady >= 0.95 });
    checks.push({ target: '≥ 1.5× one model', measured: `${burst.vsOneModel ?? 'n/a'}×`, met: burst.vsOneModel === undefined ? null : burst.vsOneModel >= 1.5 });
  }
  const all = runs.filter((r) => r.strategy === 'chorus');
  if (all.length > 0) {
    // Another tenant's workload and the requests-per-minute one have their own targets, below.
    const own = all.filter((r) => r.workload !== 'foreign-tenant' && r.workload !== 'rpm-limited');
    const worst = own.reduce<RunResult | undefined>((a, b) => (!a || b.metrics.throttledShare > a.metrics.throttledShare ? b : a), undefined);
    checks.push({
      target: 'throttled ≤ 1 % of requests',
      measured: own.map((r) => `${r.workload} ${r.metrics.throttled}/${r.metrics.requests} (${pct(r.metrics.throttledShare)})`).join(', '),
      met: burst && worst ? burst.metrics.throttledShare <= 0.01 && worst.metrics.throttledShare <= 0.01 : null,
    });
    const lost = all.reduce((s, r) => s + r.metrics.lostBatches + (r.saves?.lost ?? 0), 0);
    checks.push({ target: '0 lost batches', measured: `${lost} lost over ${all.length} Chorus runs`, met: lost === 0 });
  }
  const saves = chorus('saves');
  if (saves?.saves) {
    const p95 = saves.saves.p95Ms;
    const limit = unloaded.p95Ms === null ? null : 2 * unloaded.p95Ms;
    checks.push({
      target: 'save-to-findings p95 ≤ 2× unloaded latency',
      measured: `p95 ${p95 ?? 'n/a'} ms vs 2 × unloaded p95 ${unloaded.p95Ms ?? 'n/a'} ms = ${limit ?? 'n/a'} ms (p50 ${saves.saves.p50Ms ?? 'n/a'} vs unloaded ${unloaded.p50Ms ?? 'n/a'} ms)`,
      met: p95 === null || limit === null ? null : p95 <= limit,
    });
  }
  const wrong = chorus('wrong-quotas');
  if (wrong) {
    const steady = wrong.metrics.steadyUtilization;
    checks.push({ target: '≥ 0.85 utilization with quotas configured 2× too high', measured: `steady ${steady ?? 'n/a'}, whole makespan ${wrong.metrics.utilization}`, met: steady === null ? null : steady >= 0.85 });
  }
  for (const key of ['tokenizer-skew-1.3', 'tokenizer-skew-0.8'] as const) {
    const skew = chorus(key);
    if (!skew) continue;
    const m = skew.metrics;
    const without = runs.find((r) => r.workload === key && r.strategy === 'chorus-uncalibrated');
    const vs = without ? ` (no calibration: ${without.metrics.throttled}/${without.metrics.requests}, steady ${without.metrics.steadyUtilization ?? 'n/a'})` : '';
    checks.push({
      target: `${key}: ≤ 1 % throttled, steady utilization ≥ 0.95`,
      measured: `${m.throttled}/${m.requests} (${pct(m.throttledShare)}), steady ${m.steadyUtilization ?? 'n/a'}${vs}`,
      met: m.steadyUtilization === null ? null : m.throttledShare <= 0.01 && m.steadyUtilization >= 0.95,
    });
  }
  for (const key of ['small-quota', 'small-quota-three'] as const) {
    const small = chorus(key);
    if (!small) continue;
    const m = small.metrics;
    const hol = runs.find((r) => r.workload === key && r.strategy === 'chorus-hol');
    const vs = hol ? ` (head-of-line ${hol.metrics.utilization})` : '';
    checks.push({
      target: `${key}: whole-makespan utilization ≥ 0.95, ≤ 1 % throttled`,
      measured: `${m.utilization}${vs}, steady ${m.steadyUtilization ?? 'n/a'}, ${m.throttled}/${m.requests} (${pct(m.throttledShare)})`,
      met: m.utilization >= 0.95 && m.throttledShare <= 0.01,
    });
  }
  const limited = chorus('connections-limited');
  if (limited) {
    const m = limited.metrics;
    const share = m.requestsAfter30s > 0 ? m.connectionRefusalsAfter30s / m.requestsAfter30s : 0;
    checks.push({
      target: 'connections-limited: ≤ 1 % of requests answered 503 after the first 30 s, 0 lost',
      measured: `${m.connectionRefusalsAfter30s}/${m.requestsAfter30s} after 30 s (${pct(share)}), ${m.connectionRefusals} in all, ${m.lostBatches} lost`,
      met: share <= 0.01 && m.lostBatches === 0,
    });
  }
  const rpm = chorus('rpm-limited');
  if (rpm) {
    const m = rpm.metrics;
    const late = m.throttledAfter60s ?? 0;
    const share = (m.requestsAfter60s ?? 0) > 0 ? late / m.requestsAfter60s! : 0;
    checks.push({
      target: 'rpm-limited: ≤ 2 % of requests throttled after the first minute, 0 lost',
      measured: `${late}/${m.requestsAfter60s ?? 0} after 60 s (${pct(share)}), ${m.throttled}/${m.requests} in all, ${m.lostBatches} lost, whole makespan ${m.utilization}`,
      met: share <= 0.02 && m.lostBatches === 0,
    });
  }
  const tenant = chorus('foreign-tenant');
  if (tenant) {
    const m = tenant.metrics;
    checks.push({
      target: 'another tenant (25 %): ≥ 0.9 of what is left, ≤ 2 % throttled',
      measured: `steady ${m.steadyUtilization ?? 'n/a'} of the quota left (whole makespan ${m.utilization}), ${m.throttled}/${m.requests} (${pct(m.throttledShare)})`,
      met: m.steadyUtilization === null ? null : m.steadyUtilization >= 0.9 && m.throttledShare <= 0.02,
    });
  }
  return checks;
}
