/** The run-wide figures across the top: utilization, throughput, files, ETA, requests, cost. */
import type { RunSnapshot } from '../../core/metrics/types';
import type { RunInfo, RunTotals } from '../../core/webviewProtocol';
import { reportUtilization, type RunFigures } from '../runFigures';
import { h, setAttr, setText } from '../dom';
import { compact, duration, percent, usd } from '../format';

interface Tile {
  value: HTMLElement;
  detail: HTMLElement;
}

function tile(parent: HTMLElement, label: string, bar?: HTMLElement): Tile {
  const value = h('div', { class: 'kpi-value' }, '—');
  const detail = h('div', { class: 'kpi-detail' }, '');
  parent.append(h('section', { class: 'kpi', 'aria-label': label }, h('h2', { class: 'kpi-label' }, label), value, bar, detail));
  return { value, detail };
}

/** A horizontal bar with ARIA meter semantics; its width is set through the CSSOM (CSP-safe). */
function bar(label: string, role: 'meter' | 'progressbar'): { el: HTMLElement; fill: HTMLElement } {
  const fill = h('div', { class: 'bar-fill' });
  const el = h('div', { class: 'bar', role, 'aria-label': label, 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': 0 }, fill);
  return { el, fill };
}

function setBar(b: { el: HTMLElement; fill: HTMLElement }, ratio: number): void {
  const pct = Math.max(0, Math.min(100, Math.round(ratio * 100)));
  setAttr(b.el, 'aria-valuenow', String(pct));
  b.fill.style.width = `${pct}%`;
}

export class SummaryView {
  readonly el = h('div', { class: 'kpis' });
  private readonly utilBar = bar('Utilization of the sum of quotas', 'meter');
  private readonly filesBar = bar('Files done', 'progressbar');
  private readonly utilization = tile(this.el, 'Utilization', this.utilBar.el);
  private readonly files = tile(this.el, 'Files', this.filesBar.el);
  private readonly eta = tile(this.el, 'ETA');
  private readonly requests = tile(this.el, 'Requests');
  private readonly cost = tile(this.el, 'Cost so far');

  /**
   * `figures`: over the run so far (runFigures.ts). `totals`: a report's exact run totals, which win
   * over what the snapshots imply.
   */
  update(snapshot: RunSnapshot | null, run: RunInfo | null, figures: RunFigures, totals?: RunTotals): void {
    if (!snapshot) return;
    const active = snapshot.models.filter((m) => !m.disabledReason);
    const achieved = active.reduce((sum, m) => sum + m.tokensPerMinute, 0);
    const quotas = active.reduce((sum, m) => sum + m.quotaTpm, 0);
    const utilization = totals ? reportUtilization(totals) : figures.utilization;
    const tokens = totals ? totals.tokens : figures.tokens;
    const elapsedMs = totals ? totals.elapsedMs : figures.elapsedMs;
    const models = `${active.length} model${active.length === 1 ? '' : 's'}`;
    setText(this.utilization.value, percent(utilization));
    setText(this.utilization.detail, totals
      ? `${compact(tokens)} tokens in ${duration(elapsedMs)} · quotas ${compact(quotas)} tokens/min across ${models}`
      : `${compact(tokens)} tokens this run (${duration(elapsedMs)}) · now ${compact(achieved)} of ${compact(quotas)} tokens/min across ${models}`);
    setBar(this.utilBar, utilization);

    // How the files left (a report's totals, or the host's count live): a cancelled run is not "100 % done".
    const outcomes = totals ?? run?.outcomes;
    // While a run goes, the files it is done with; once it ended, the files it analyzed (a cancelled
    // run's skipped files are "done" with, not analyzed: 2 / 40, not 40 / 40).
    const ended = outcomes !== undefined && (totals !== undefined || (run !== null && run?.state !== 'running'));
    const shown = ended ? outcomes.analyzed : snapshot.filesDone;
    const done = snapshot.filesTotal > 0 ? shown / snapshot.filesTotal : 0;
    setText(this.files.value, `${shown.toLocaleString('en-US')} / ${snapshot.filesTotal.toLocaleString('en-US')}`);
    const split = outcomes ? `${outcomes.analyzed} analyzed (${outcomes.cached} from the cache) · ${outcomes.skipped} skipped · ${outcomes.failed} failed` : '';
    setText(this.files.detail, totals ? split : [run?.state === 'running' ? `${percent(done)} done` : '', split].filter(Boolean).join(' · ') || `${percent(done)} done`);
    setBar(this.filesBar, done);

    const finished = run !== null && run.state !== 'running';
    const cancelled = run?.state === 'cancelled';
    setText(this.eta.value, cancelled ? 'cancelled' : finished ? 'done' : duration(figures.etaMs));
    const left = outcomes ? outcomes.skipped + outcomes.failed : 0;
    setText(this.eta.detail, !run ? 'no run yet'
      : cancelled ? `run ${run.id} stopped${outcomes ? ` · ${left} file${left === 1 ? '' : 's'} not analyzed` : ''}`
        : `run ${run.id} · ${run.state}${!finished && figures.etaMs === undefined ? ' · estimated once a batch is done' : ''}`);

    const count = (key: 'requests' | 'throttles' | 'retries' | 'errors') => snapshot.models.reduce((s, m) => s + m[key], 0);
    // A report counts the run's own requests (its result); live, the engines' counters.
    setText(this.requests.value, (totals ? totals.requests : count('requests')).toLocaleString('en-US'));
    const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
    setText(this.requests.detail, [plural(count('throttles'), 'throttle', 'throttles'), plural(count('retries'), 'retry', 'retries'),
      plural(count('errors'), 'error', 'errors')].join(' · '));

    const charged = snapshot.models.reduce((s, m) => s + m.inputTokens + m.outputTokens, 0);
    setText(this.cost.value, usd(snapshot.models.reduce((s, m) => s + m.costUsd, 0)));
    setText(this.cost.detail, `${compact(charged)} tokens charged`);
  }
}
