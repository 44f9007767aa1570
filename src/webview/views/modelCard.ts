/**
 * One model: its tokens/min against its quota (and the learned effective quota where lower, and
 * throttles as points), its queues by lane and requests in flight, and its counters.
 */
import type { ModelSnapshot, SharedQuotaUsage } from '../../core/metrics/types';
import { Chart, type ChartData } from '../chart';
import { h, setAttr, setText } from '../dom';
import { compact, latency, percent, usd } from '../format';
import type { ModelColumns } from '../seriesStore';
import { type Palette, seriesColor } from '../theme';

const STATS = [
  // The limit beside it once one is known (configured, the account's, or learned from "Too many requests").
  ['Requests/min', (m: ModelSnapshot) => (m.effectiveRpm === undefined ? compact(m.requestsPerMinute) : `${compact(m.requestsPerMinute)} of ${compact(m.effectiveRpm)}`)],
  ['In flight', (m: ModelSnapshot) => String(m.inFlight)],
  ['Queued interactive / background', (m: ModelSnapshot) => `${m.queued.interactive} / ${m.queued.background}`],
  ['Latency p50 / p95', (m: ModelSnapshot) => `${latency(m.latencyP50Ms)} / ${latency(m.latencyP95Ms)}`],
  ['Throttles', (m: ModelSnapshot) => String(m.throttles)],
  ['Retries / errors', (m: ModelSnapshot) => `${m.retries} / ${m.errors}`],
  ['Fallbacks in / out', (m: ModelSnapshot) => `${m.fallbacksIn} / ${m.fallbacksOut}`],
  ['Spillovers in / out', (m: ModelSnapshot) => `${m.spilloversIn} / ${m.spilloversOut}`],
  // The service's input tokens per token of our estimate (schedule/calibration.ts): reservations are scaled by it.
  ['Token count ÷ estimate', (m: ModelSnapshot) => (m.tokenRatio === undefined ? '—' : `${m.tokenRatio.toFixed(2)}×`)],
  ['Requests', (m: ModelSnapshot) => m.requests.toLocaleString('en-US')],
  ['Tokens in / out', (m: ModelSnapshot) => `${compact(m.inputTokens)} / ${compact(m.outputTokens)}`],
  ['Cost', (m: ModelSnapshot) => usd(m.costUsd)],
] as const;

/**
 * The badge: a model is busy while it has calls in flight or batches waiting in its queue (waiting for
 * room in its quota window is still work of this run), idle only when it has neither.
 */
export function modelStatus(m: ModelSnapshot): { text: string; chip: string } {
  if (m.disabledReason) return { text: `disabled: ${m.disabledReason}`, chip: 'chip-error' };
  const queued = m.queued.interactive + m.queued.background;
  if (m.inFlight > 0 || queued > 0) return { text: 'busy', chip: 'chip-busy' };
  return { text: 'idle', chip: 'chip-muted' };
}

/** A quota shared through the ledger: the whole account's use of the window beside this instance's. */
export function sharedLine(shared: SharedQuotaUsage): string {
  return `account ${compact(shared.accountTpm)} tok/min · this window ${compact(shared.ownTpm)}`;
}

export class ModelCard {
  readonly el: HTMLElement;
  private readonly status = h('span', { class: 'chip' });
  private readonly rate = h('span', { class: 'model-rate' });
  private readonly quota = h('span', { class: 'model-quota' });
  private readonly shared = h('p', { class: 'model-shared', hidden: true });
  private readonly throughputBox = h('div', { class: 'chart', role: 'img' });
  private readonly queueBox = h('div', { class: 'chart chart-small', role: 'img' });
  private readonly throughput: Chart;
  private readonly queues: Chart;
  private readonly values: HTMLElement[] = [];

  constructor(readonly id: string, label: string, readonly index: number, palette: Palette) {
    const color = (p: Palette) => seriesColor(p, index);
    const stats = h('dl', { class: 'stats' });
    for (const [name] of STATS) {
      const value = h('dd', {}, '—');
      this.values.push(value);
      stats.append(h('div', { class: 'stat' }, h('dt', {}, name), value));
    }
    const headingId = `model-${index}-title`;
    this.el = h('article', { class: `model model-${index % 6}`, 'aria-labelledby': headingId },
      h('header', { class: 'model-header' },
        h('h3', { id: headingId }, h('span', { class: 'swatch', 'aria-hidden': 'true' }), label),
        h('span', { class: 'model-id' }, id), this.status),
      h('p', { class: 'model-figures' }, this.rate, this.quota),
      this.shared,
      this.throughputBox,
      h('h4', { class: 'chart-title' }, 'Queue depth by lane and requests in flight'),
      this.queueBox,
      stats);
    this.throughput = new Chart(this.throughputBox, { height: 150, series: [
      { label: 'tokens/min', color, fill: true, weight: 1.3 },
      { label: 'quota', color: (p) => p.quota, dash: [6, 4] },
      { label: 'learned quota', color: (p) => p.effective, dash: [5, 3], weight: 1.6 },
      { label: 'throttled', color: (p) => p.throttle, pointsOnly: true },
    ] }, palette);
    this.queues = new Chart(this.queueBox, { height: 110, series: [
      { label: 'queued interactive', color },
      { label: 'queued background', color, dash: [4, 3] },
      { label: 'in flight', color: (p) => p.foreground, weight: 0.8 },
    ] }, palette);
  }

  update(m: ModelSnapshot | undefined): void {
    if (!m) {
      setText(this.status, 'not in this run');
      setAttr(this.status, 'class', 'chip chip-muted');
      return;
    }
    const status = modelStatus(m);
    setText(this.status, status.text);
    setAttr(this.status, 'class', `chip ${status.chip}`);
    setText(this.rate, `${compact(m.tokensPerMinute)} tokens/min`);
    const learned = m.effectiveTpm < m.quotaTpm ? ` · learned ${compact(m.effectiveTpm)}` : '';
    setText(this.quota, ` of ${compact(m.quotaTpm)} quota (${percent(m.tokensPerMinute / (m.quotaTpm || 1))})${learned}`);
    setText(this.shared, m.shared ? sharedLine(m.shared) : '');
    this.shared.hidden = !m.shared;
    STATS.forEach(([, value], i) => setText(this.values[i]!, value(m)));
    setAttr(this.throughputBox, 'aria-label', `${m.label} tokens per minute over time: now ${compact(m.tokensPerMinute)} of a ${compact(m.quotaTpm)} quota${learned}, ${m.throttles} throttles`);
    setAttr(this.queueBox, 'aria-label', `${m.label} queue: ${m.queued.interactive} interactive, ${m.queued.background} background, ${m.inFlight} in flight`);
  }

  setSeries(x: (number | null)[], model: ModelColumns, window: [number, number] | null): void {
    const v = model.values;
    this.throughput.setData([x, v.tokensPerMinute, v.quotaTpm, v.effectiveTpm, v.throttleMarks] as ChartData, window);
    this.queues.setData([x, v.queuedInteractive, v.queuedBackground, v.inFlight] as ChartData, window);
  }

  setPalette(palette: Palette): void {
    this.throughput.setPalette(palette);
    this.queues.setPalette(palette);
  }

  destroy(): void {
    this.throughput.destroy();
    this.queues.destroy();
  }
}
