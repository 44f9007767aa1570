/** The results as a Markdown table: printed by `npm run bench` and pasted as-is into the README. */
import type { BenchResults, RunResult } from '../results';

const fmt = (n: number, digits = 2) => n.toFixed(digits);
const secs = (ms: number | null) => (ms === null ? '—' : fmt(ms / 1000, 1));

function row(run: RunResult, workloadLabel: string): string[] {
  const m = run.metrics;
  const saves = run.saves ? `${secs(run.saves.p50Ms)} / ${secs(run.saves.p95Ms)}${run.saves.lost ? ` (${run.saves.lost} lost)` : ''}` : '—';
  return [
    workloadLabel,
    run.label,
    fmt(m.makespanMs / 60_000),
    Math.round(m.achievedTpm).toLocaleString('en-US'),
    fmt(m.utilization),
    m.steadyUtilization === null ? '—' : fmt(m.steadyUtilization),
    `${m.throttled}/${m.requests} (${fmt(m.throttledShare * 100, 1)} %)`,
    `${m.lostBatches}/${m.batches}`,
    `${fmt(m.analyzedShare * 100, 0)} %`,
    saves,
    run.vsOneModel === undefined ? '—' : `${fmt(run.vsOneModel)}×`,
    run.vsOriginal === undefined ? '—' : `${fmt(run.vsOriginal)}×`,
  ];
}

export function resultsTable(results: BenchResults): string {
  const header = ['Workload', 'Strategy', 'Makespan (min)', 'Tokens/min', 'Util.', 'Steady util.', 'Throttled', 'Lost batches', 'Files analyzed', 'Save p50 / p95 (s)', '× one model', '× original'];
  const labels = new Map(results.workloads.map((w) => [w.key, w.label]));
  const rows = results.runs.map((r) => row(r, labels.get(r.workload) ?? r.workload));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i < 2 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

export function targetsList(results: BenchResults): string {
  const mark = (met: boolean | null) => (met === null ? '?' : met ? '✓' : '✗');
  return results.targets.map((t) => `- ${mark(t.met)} ${t.target}: ${t.measured}`).join('\n');
}

export function preamble(results: BenchResults): string {
  const c = results.codebase;
  const u = results.unloadedSave;
  return [
    `Codebase: ${results.options.codebase} — ${c.files} files, ${(c.bytes / 1024).toFixed(0)} KB, ${c.groups} groups (${c.scorer} scorer${c.scorerNote ? `; ${c.scorerNote}` : ''}).`,
    `Emulated time at ${results.options.timeScale}× on one shared clock; utilization = charged tokens/min ÷ sum of the true quotas.`,
    `Unloaded single-save latency: p50 ${secs(u.p50Ms)} s, p95 ${secs(u.p95Ms)} s (${u.count} saves, Chorus, idle emulator).`,
    ...transitLine(results),
  ].join('\n');
}

/** The spread of per-run transit p95s (client send → service arrival): how faithful the run was. */
function transitLine(results: BenchResults): string[] {
  const p95s = results.runs.flatMap((r) => (r.transit?.p95Ms == null ? [] : [r.transit.p95Ms]));
  if (p95s.length === 0) return [];
  return [`Transit (client send → service arrival) p95 per run: ${secs(Math.min(...p95s))}–${secs(Math.max(...p95s))} s emulated (real networks: ~0.1 s).`];
}
