/**
 * The dashboard page: keeps the series, renders at most once per animation frame, and persists
 * itself (getState/setState) so that hiding and showing the panel loses nothing. Where data comes
 * from (the extension host live, or the JSON embedded in a report) is the caller's business.
 */
import type { Frame, HostToPage, ReportPart, RunInfo } from '../core/webviewProtocol';
import { Chart, type ChartData } from './chart';
import { h, setAttr, setText } from './dom';
import { compact, percent } from './format';
import { restorePageState, type PageState, type UiState } from './pageState';
import { RunTracker } from './runFigures';
import { SeriesStore } from './seriesStore';
import { type Palette, readPalette, seriesColor, watchTheme } from './theme';
import { BatchTable } from './views/batchTable';
import { controls, windowSeconds } from './views/controls';
import { FindingsTable } from './views/findingsTable';
import { ModelCard } from './views/modelCard';
import { SummaryView } from './views/summary';

export interface Persistence {
  load(): unknown;
  save(state: PageState): void;
}

export interface AppOptions {
  title: string;
  live: boolean;
  persistence?: Persistence;
}

/** Series and the latest snapshot are saved at most this often; UI choices are saved at once. */
const SAVE_EVERY_MS = 5000;

export class DashboardApp {
  private readonly store = new SeriesStore();
  private ui: UiState = { window: 'all', model: '', outcome: '', paused: false };
  private latest: Frame | null = null;
  private run: RunInfo | null = null;
  private tracker = new RunTracker();
  /** Only in a report: the run's totals and findings. */
  private report: ReportPart | null = null;
  private readonly findings = new FindingsTable();
  private readonly cacheNote = h('p', { class: 'cache-note', role: 'status', hidden: true });
  private palette: Palette = readPalette();
  private readonly summary = new SummaryView();
  private readonly table: BatchTable;
  private readonly cards = new Map<string, ModelCard>();
  private readonly cardGrid = h('div', { class: 'model-grid' });
  private readonly overallBox = h('div', { class: 'chart', role: 'img', 'aria-label': 'No throughput yet' });
  private overall: { chart: Chart; key: string } | null = null;
  private readonly runState = h('span', { class: 'chip chip-muted run-state', role: 'status' }, 'waiting for a run');
  private readonly main: HTMLElement;
  private frameRequested = false;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(root: HTMLElement, private readonly options: AppOptions) {
    const restored = restorePageState(options.persistence?.load());
    if (restored) {
      this.ui = restored.ui;
      this.store.restore(restored.series);
      this.latest = restored.latest;
      this.run = restored.run;
      this.tracker = new RunTracker(restored.mark);
    }
    this.table = new BatchTable(this.ui, (f) => this.setUi({ model: f.model, outcome: f.outcome }));
    this.main = h('main', { class: 'empty' },
      h('p', { class: 'empty-note' }, options.live ? 'Waiting for the first metrics of a run…' : 'This report holds no samples.'),
      this.cacheNote,
      this.summary.el,
      h('section', { class: 'overall', 'aria-labelledby': 'overall-title' },
        h('div', { class: 'section-head' },
          h('h2', { id: 'overall-title' }, 'Tokens per minute, all models'),
          h('p', { class: 'hint' }, 'Each model, their total, and the sum of their quotas: together they go faster than any one.')),
        this.overallBox),
      h('section', { class: 'models', 'aria-label': 'Models' }, this.cardGrid),
      this.table.el,
      this.findings.el);
    root.replaceChildren(
      h('header', { class: 'top' },
        h('div', { class: 'title' }, h('h1', {}, options.title), this.runState),
        controls({ window: this.ui.window, paused: this.ui.paused, live: options.live,
          onWindow: (window) => this.setUi({ window }), onPause: (paused) => this.setUi({ paused }) })),
      this.main);
    watchTheme(() => this.onThemeChange());
    if (this.latest) this.requestRender();
  }

  /** The newest sample time held, for the ready handshake. */
  get newestAt(): number | null {
    return this.store.newestAt;
  }

  apply(update: HostToPage['update']): void {
    for (const frame of update.frames) {
      this.store.push(frame.runId, frame.snapshot);
      this.tracker.observe(frame);
    }
    const last = update.frames.at(-1);
    if (last) this.latest = last;
    if (update.report) this.showReport(update.report);
    if (update.run) this.run = update.run;
    this.requestRender();
    this.scheduleSave();
  }

  private setUi(change: Partial<UiState>): void {
    this.ui = { ...this.ui, ...change };
    this.save();
    this.requestRender();
  }

  private requestRender(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      this.render();
    });
  }

  private render(): void {
    if (!this.latest) return;
    performance.mark('chorus-render-start');
    const snapshot = this.latest.snapshot;
    this.main.classList.remove('empty');
    this.summary.update(snapshot, this.run, this.tracker.figures(this.latest, this.run?.id === this.latest.runId ? this.run.outcomes : undefined), this.report?.totals);
    const state = this.run?.state ?? 'running';
    setText(this.runState, this.run ? `${state} · ${this.run.id}` : 'live');
    setAttr(this.runState, 'class', `chip run-state ${state === 'running' ? 'chip-busy' : 'chip-muted'}`);
    for (const m of snapshot.models) this.card(m.id, m.label);
    for (const [id, card] of this.cards) card.update(snapshot.models.find((m) => m.id === id));
    const labels = new Map([...this.cards.values()].map((c) => [c.id, snapshot.models.find((m) => m.id === c.id)?.label ?? c.id]));
    this.table.update(snapshot.recentBatches, labels, this.store.originAt ?? snapshot.at);
    if (!this.ui.paused || !this.overall) this.renderCharts();
    // uPlot draws in a microtask; one queued now runs after it, so the measure includes the drawing.
    queueMicrotask(() => performance.measure('chorus-render', 'chorus-render-start'));
  }

  private renderCharts(): void {
    const cols = this.store.columns();
    const first = cols.x[0] ?? 0;
    const last = cols.x.at(-1) ?? 0;
    const span = windowSeconds(this.ui.window);
    const window: [number, number] | null = Number.isFinite(span) ? [Math.max(first, last - span), Math.max(last, first + 1)] : null;
    const key = cols.models.map((m) => m.id).join('\n');
    if (this.overall?.key !== key) {
      this.overall?.chart.destroy();
      this.overall = { key, chart: this.overallChart(cols.models.map((m) => m.label)) };
    }
    const models = cols.models.map((m) => m.values.tokensPerMinute);
    this.overall.chart.setData([cols.x, ...models, cols.totals.tokensPerMinute, cols.totals.quotaSum] as ChartData, window);
    const totalNow = cols.totals.tokensPerMinute.at(-1) ?? 0;
    const quotaNow = cols.totals.quotaSum.at(-1) ?? 0;
    // How many samples the charts hold (restored ones included): read by the restore-after-reload test.
    setAttr(this.overallBox, 'data-samples', String(cols.x.length));
    setAttr(this.overallBox, 'aria-label', `All models together: ${compact(totalNow)} tokens per minute of ${compact(quotaNow)} (${percent(totalNow / (quotaNow || 1))})`);
    for (const m of cols.models) this.cards.get(m.id)?.setSeries(cols.x, m, window);
  }

  private overallChart(labels: string[]): Chart {
    return new Chart(this.overallBox, { height: 220, series: [
      ...labels.map((label, i) => ({ label, color: (p: Palette) => seriesColor(p, i) })),
      { label: 'all models', color: (p: Palette) => p.foreground, weight: 1.6 },
      { label: 'sum of quotas', color: (p: Palette) => p.quota, dash: [6, 4] },
    ] }, this.palette);
  }

  private card(id: string, label: string): ModelCard {
    let card = this.cards.get(id);
    if (!card) {
      card = new ModelCard(id, label, this.cards.size, this.palette);
      this.cards.set(id, card);
      this.cardGrid.append(card.el);
    }
    return card;
  }

  /**
   * A report's own part: its findings table, and for a run that sent nothing (every file served from
   * the cache, or skipped) a sentence instead of charts with nothing on them.
   */
  private showReport(report: ReportPart): void {
    this.report = report;
    const labels = new Map((this.latest?.snapshot.models ?? []).map((m) => [m.id, m.label]));
    this.findings.update(report.findings, report.findingsTotal, labels);
    const t = report.totals;
    const idle = t.requests === 0;
    this.main.classList.toggle('no-requests', idle);
    this.cacheNote.hidden = !idle;
    const files = (n: number) => `${n.toLocaleString('en-US')} file${n === 1 ? '' : 's'}`;
    const others = [t.skipped > 0 ? `${files(t.skipped)} skipped` : '', t.failed > 0 ? `${files(t.failed)} failed` : ''].filter(Boolean).join(', ');
    setText(this.cacheNote, t.cached > 0
      ? `This run was served from the cache: ${files(t.cached)}, 0 requests${others ? ` (${others})` : ''}. Nothing was sent, so there is no throughput to chart.`
      : `This run sent no requests${others ? ` (${others})` : ''}: there is no throughput to chart.`);
  }

  private onThemeChange(): void {
    this.palette = readPalette();
    this.overall?.chart.setPalette(this.palette);
    for (const card of this.cards.values()) card.setPalette(this.palette);
  }

  private scheduleSave(): void {
    if (!this.options.persistence || this.saveTimer !== undefined) return;
    this.saveTimer = setTimeout(() => this.save(), SAVE_EVERY_MS);
  }

  private save(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    this.options.persistence?.save({ v: 1, ui: this.ui, series: this.store.save(), latest: this.latest, run: this.run, mark: this.tracker.mark });
  }
}
