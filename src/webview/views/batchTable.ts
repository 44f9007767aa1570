/**
 * The recent batches: where each went and why, newest first, filterable by model and outcome.
 * Rows are rebuilt only when the batch list changes, and at most MAX_ROWS are in the DOM.
 */
import type { BatchRecord } from '../../core/metrics/types';
import { h, setText } from '../dom';
import { clock, compact } from '../format';

const MAX_ROWS = 200;
const OUTCOMES = ['ok', 'retried', 'throttled', 'failed', 'cancelled'] as const;

export interface BatchFilter {
  model: string;
  outcome: string;
}

export class BatchTable {
  readonly el: HTMLElement;
  private readonly body = h('tbody');
  private readonly note = h('p', { class: 'table-note', 'aria-live': 'polite' });
  private readonly modelSelect = h('select', { id: 'batch-model', name: 'model' }, h('option', { value: '' }, 'All models'));
  private readonly outcomeSelect = h('select', { id: 'batch-outcome', name: 'outcome' }, h('option', { value: '' }, 'All outcomes'),
    ...OUTCOMES.map((o) => h('option', { value: o }, o)));
  private batches: BatchRecord[] = [];
  private labels = new Map<string, string>();
  private origin = 0;
  private renderedKey = '';

  constructor(private filter: BatchFilter, onFilter: (filter: BatchFilter) => void) {
    const changed = () => {
      this.filter = { model: this.modelSelect.value, outcome: this.outcomeSelect.value };
      onFilter(this.filter);
      this.render();
    };
    this.modelSelect.addEventListener('change', changed);
    this.outcomeSelect.addEventListener('change', changed);
    this.outcomeSelect.value = filter.outcome;
    const header = ['When', 'Batch', 'Model', 'Files', 'Tokens in → out', 'Outcome', 'Why this model'];
    this.el = h('section', { class: 'batches', 'aria-labelledby': 'batches-title' },
      h('div', { class: 'section-head' },
        h('h2', { id: 'batches-title' }, 'Recent batches'),
        h('div', { class: 'filters' },
          h('label', { for: 'batch-model' }, 'Model'), this.modelSelect,
          h('label', { for: 'batch-outcome' }, 'Outcome'), this.outcomeSelect)),
      // Focusable so the scrolling region can be scrolled from the keyboard.
      h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-labelledby': 'batches-title' },
        h('table', {},
          h('thead', {}, h('tr', {}, ...header.map((t) => h('th', { scope: 'col' }, t)))),
          this.body)),
      this.note);
  }

  /** `origin`: the `at` the chart axis counts from, so both read the same clock. */
  update(batches: BatchRecord[], labels: Map<string, string>, origin: number): void {
    this.batches = batches;
    this.labels = labels;
    this.origin = origin;
    this.syncModelOptions();
    this.render();
  }

  private syncModelOptions(): void {
    const ids = [...this.labels.keys()];
    const have = [...this.modelSelect.options].slice(1).map((o) => o.value);
    if (ids.join('\n') === have.join('\n')) return;
    this.modelSelect.replaceChildren(h('option', { value: '' }, 'All models'),
      ...ids.map((id) => h('option', { value: id }, this.labels.get(id) ?? id)));
    this.modelSelect.value = ids.includes(this.filter.model) ? this.filter.model : '';
  }

  private render(): void {
    const { model, outcome } = this.filter;
    const shown = this.batches
      .filter((b) => (!model || b.model === model) && (!outcome || b.outcome === outcome))
      .sort((a, b) => b.at - a.at);
    const rows = shown.slice(0, MAX_ROWS);
    const key = `${model}|${outcome}|${this.origin}|${rows.map((b) => `${b.batchId}:${b.outcome}:${b.outputTokens}`).join(',')}`;
    if (key === this.renderedKey) return;
    this.renderedKey = key;
    this.body.replaceChildren(...rows.map((b) => h('tr', {},
      h('td', { class: 'num' }, clock((b.at - this.origin) / 1000)),
      h('td', { class: 'mono' }, b.batchId),
      h('td', {}, this.labels.get(b.model) ?? b.model),
      h('td', { class: 'num' }, String(b.files)),
      h('td', { class: 'num' }, `${compact(b.inputTokens)} → ${compact(b.outputTokens)}`),
      h('td', {}, h('span', { class: `chip outcome-${b.outcome}` }, b.outcome)),
      h('td', { class: 'reason' }, b.reason))));
    const total = this.batches.length;
    setText(this.note, rows.length === 0
      ? (total === 0 ? 'No batches yet.' : 'No batches match the filter.')
      : `Showing ${rows.length} of ${shown.length} matching (${total} recent batches).`);
  }
}
