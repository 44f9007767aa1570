/**
 * The README's chart, as hand-written SVG (no dependencies): tokens charged per trailing minute over
 * emulated time, one line per strategy of the burst workload, against the two physical limits (Nova
 * Pro's quota alone, and the sum of the quotas). The legend carries each line's makespan and
 * utilization so the chart reads on its own.
 */
import type { BenchResults, RunResult } from '../results';

const W = 760;
const H = 400;
const PAD = { left: 64, right: 20, top: 44, bottom: 116 };
const COLORS: Record<string, string> = { 'one-model': '#8a8f98', original: '#e8710a', 'round-robin': '#9334e6', chorus: '#1a73e8', 'chorus-small': '#188038', 'chorus-hol': '#5f6368' };
const DASHED = new Set(['chorus-small', 'chorus-hol']);
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, sans-serif"';

const esc = (s: string) => s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);

function niceStep(max: number, ticks: number): number {
  // Nothing to chart (no run of the workload): one step, not an endless loop of zero steps.
  if (!(max > 0)) return 1;
  const raw = max / ticks;
  const pow = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? raw;
}

export function throughputSvg(results: BenchResults, workload = 'burst'): string {
  const runs = results.runs.filter((r) => r.workload === workload);
  const quotas = Object.values(results.workloads.find((w) => w.key === workload)?.quotas ?? {});
  const quotaSum = quotas.reduce((a, b) => a + b, 0);
  const maxT = Math.max(60_000, ...runs.map((r) => r.metrics.makespanMs + 60_000));
  const maxY = Math.max(quotaSum * 1.1, ...runs.flatMap((r) => r.series.map((p) => p.tpm)));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (t: number) => PAD.left + (t / maxT) * plotW;
  const y = (v: number) => PAD.top + plotH - (v / maxY) * plotH;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" ${FONT} font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${PAD.left}" y="24" font-size="15" font-weight="600" fill="#202124">Tokens charged per minute during a burst of ${results.codebase.files} files</text>`);

  const yStep = niceStep(maxY, 5);
  for (let v = 0; v <= maxY; v += yStep) {
    out.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v)}" y2="${y(v)}" stroke="#eceff1"/>`);
    out.push(`<text x="${PAD.left - 8}" y="${y(v) + 4}" text-anchor="end" fill="#5f6368">${v >= 1000 ? `${v / 1000}k` : v}</text>`);
  }
  const xStep = niceStep(maxT / 60_000, 8) * 60_000;
  for (let t = 0; t <= maxT; t += xStep) {
    out.push(`<text x="${x(t)}" y="${PAD.top + plotH + 18}" text-anchor="middle" fill="#5f6368">${+(t / 60_000).toFixed(1)}</text>`);
  }
  out.push(`<text x="${PAD.left + plotW / 2}" y="${PAD.top + plotH + 36}" text-anchor="middle" fill="#5f6368">emulated minutes since the burst started</text>`);
  out.push(`<line x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${PAD.top + plotH}" stroke="#9aa0a6"/>`);
  out.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${PAD.top + plotH}" y2="${PAD.top + plotH}" stroke="#9aa0a6"/>`);

  const limit = (v: number, label: string) => {
    out.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v)}" y2="${y(v)}" stroke="#202124" stroke-dasharray="5 4" stroke-width="1"/>`);
    out.push(`<text x="${W - PAD.right - 4}" y="${y(v) - 5}" text-anchor="end" fill="#202124">${esc(label)}</text>`);
  };
  limit(quotaSum, `sum of quotas ${quotaSum / 1000}k`);
  const strongest = Math.max(...quotas);
  if (quotas.length > 1) limit(strongest, `Nova Pro alone ${strongest / 1000}k`);

  for (const run of runs) {
    const points = run.series.map((p) => `${x(p.t).toFixed(1)},${y(p.tpm).toFixed(1)}`).join(' ');
    out.push(`<polyline points="${points}" fill="none" stroke="${COLORS[run.strategy] ?? '#000'}" stroke-width="${run.strategy === 'chorus' ? 2.5 : 1.8}"${DASHED.has(run.strategy) ? ' stroke-dasharray="6 3"' : ''} stroke-linejoin="round"/>`);
  }
  runs.forEach((run: RunResult, i) => {
    const lx = PAD.left + (i % 2) * (plotW / 2);
    const ly = PAD.top + plotH + 64 + Math.floor(i / 2) * 18;
    const m = run.metrics;
    const text = `${run.label}: ${(m.makespanMs / 60_000).toFixed(1)} min, util. ${m.utilization.toFixed(2)}${m.lostBatches ? `, ${m.lostBatches} lost` : ''}`;
    out.push(`<rect x="${lx}" y="${ly - 9}" width="14" height="4" fill="${COLORS[run.strategy] ?? '#000'}"/>`);
    out.push(`<text x="${lx + 20}" y="${ly - 3}" fill="#202124">${esc(text)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
