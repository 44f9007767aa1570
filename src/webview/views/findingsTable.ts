/**
 * The report's findings: one row each (most severe first), filterable by severity, model and file.
 * Everything in a row is model output or a repository path, so it reaches the DOM as text only
 * (dom.ts); at most MAX_ROWS rows are in the DOM at once.
 */
import { FINDING_SEVERITIES, type ReportFinding } from '../../core/webviewProtocol';
import { h, setText } from '../dom';

const MAX_ROWS = 500;

export interface FindingFilter {
  severity: string;
  model: string;
  /** A part of the file path ('' = every file). */
  file: string;
}

export function matches(f: ReportFinding, filter: FindingFilter): boolean {
  return (!filter.severity || f.severity === filter.severity)
    && (!filter.model || f.model === filter.model)
    && (!filter.file || f.file.toLowerCase().includes(filter.file.toLowerCase()));
}

/** The rule id, linked to its documentation when the catalogue has a page (the validator let only https through). */
function ruleCell(f: ReportFinding): Node {
  if (!f.helpUri) return document.createTextNode(f.ruleId);
  return h('a', { href: f.helpUri, target: '_blank', rel: 'noopener noreferrer', title: f.ruleTitle ?? f.ruleId }, f.ruleId);
}

export class FindingsTable {
  readonly el: HTMLElement;
  private readonly body = h('tbody');
  private readonly note = h('p', { class: 'table-note', 'aria-live': 'polite' });
  private readonly severitySelect = h('select', { id: 'finding-severity', name: 'severity' }, h('option', { value: '' }, 'All severities'),
    ...FINDING_SEVERITIES.map((s) => h('option', { value: s }, s)));
  private readonly modelSelect = h('select', { id: 'finding-model', name: 'model' }, h('option', { value: '' }, 'All models'));
  private readonly fileInput = h('input', { id: 'finding-file', name: 'file', type: 'search', placeholder: 'part of a path', autocomplete: 'off' });
  private findings: ReportFinding[] = [];
  private total = 0;
  private filter: FindingFilter = { severity: '', model: '', file: '' };
  private labels = new Map<string, string>();

  constructor() {
    const changed = () => {
      this.filter = { severity: this.severitySelect.value, model: this.modelSelect.value, file: this.fileInput.value.trim() };
      this.render();
    };
    this.severitySelect.addEventListener('change', changed);
    this.modelSelect.addEventListener('change', changed);
    this.fileInput.addEventListener('input', changed);
    const header = ['Severity', 'File', 'Line', 'Rule', 'Message', 'Model'];
    this.el = h('section', { class: 'findings', 'aria-labelledby': 'findings-title', hidden: true },
      h('div', { class: 'section-head' },
        h('h2', { id: 'findings-title' }, 'Findings'),
        h('div', { class: 'filters' },
          h('label', { for: 'finding-severity' }, 'Severity'), this.severitySelect,
          h('label', { for: 'finding-model' }, 'Model'), this.modelSelect,
          h('label', { for: 'finding-file' }, 'File'), this.fileInput)),
      h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-labelledby': 'findings-title' },
        h('table', {},
          h('thead', {}, h('tr', {}, ...header.map((t) => h('th', { scope: 'col' }, t)))),
          this.body)),
      this.note);
  }

  /** `labels`: model id → label, for the model filter's options. */
  update(findings: ReportFinding[], total: number, labels: Map<string, string>): void {
    this.findings = findings;
    this.total = total;
    this.labels = labels;
    this.el.hidden = false;
    const ids = [...new Set(findings.map((f) => f.model))].sort();
    this.modelSelect.replaceChildren(h('option', { value: '' }, 'All models'), ...ids.map((id) => h('option', { value: id }, labels.get(id) ?? id)));
    this.modelSelect.value = ids.includes(this.filter.model) ? this.filter.model : '';
    this.render();
  }

  private render(): void {
    const shown = this.findings.filter((f) => matches(f, this.filter));
    const rows = shown.slice(0, MAX_ROWS);
    this.body.replaceChildren(...rows.map((f) => h('tr', { class: `finding finding-${f.severity}` },
      h('td', {}, h('span', { class: `chip severity-${f.severity}` }, f.severity)),
      h('td', { class: 'mono' }, f.file),
      h('td', { class: 'num' }, String(f.line)),
      h('td', { class: 'mono' }, ruleCell(f)),
      h('td', { class: 'reason' }, f.message),
      h('td', {}, this.labels.get(f.model) ?? f.model))));
    const kept = this.total > this.findings.length ? ` The report holds the first ${this.findings.length} of ${this.total} findings.` : '';
    setText(this.note, (this.findings.length === 0
      ? 'No findings in this run.'
      : shown.length === 0
        ? 'No findings match the filter.'
        : `Showing ${rows.length} of ${shown.length} matching (${this.findings.length} finding${this.findings.length === 1 ? '' : 's'}).`) + kept);
  }
}
