/**
 * The one owner of Chorus's DiagnosticCollection. It keeps each file's findings (not only what is
 * shown), so a changed severity mapping, noise setting, dismissal or restore re-renders without
 * another run, and code actions can find the fingerprint and suggestion behind a diagnostic.
 * Rendering: dismissed → hidden; then noise control (core/findings/noise.ts); then severity mapping.
 */
import * as vscode from 'vscode';
import { applyNoise, type NoiseOptions } from '../../core/findings/noise';
import type { Finding } from '../../core/types';
import { afterFix } from './afterFix';
import type { SeverityMap } from '../settings/settings';
import { DIAGNOSTIC_SOURCE, mapFinding, type RelatedSpec } from './mapFinding';
import { lineInfoFor, toDiagnostic } from './toVscode';

interface Entry {
  root: vscode.Uri;
  findings: readonly Finding[];
  related: ReadonlyMap<Finding, RelatedSpec[]> | undefined;
  shown: Array<{ diagnostic: vscode.Diagnostic; finding: Finding }>;
}

export interface PublisherOptions {
  isIgnored: (uri: vscode.Uri, finding: Finding) => boolean;
  /** Awaited before each render (the folder's baseline loaded). */
  beforeRender?: (uri: vscode.Uri) => Promise<unknown>;
  /** Noise control for a file (settings + the folder's repository rules); none when absent. */
  noiseFor?: (uri: vscode.Uri) => NoiseOptions;
  modelLabel: (id: string) => string;
  severityFor: (uri: vscode.Uri) => SeverityMap;
}

export class DiagnosticsPublisher implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('chorus');
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: PublisherOptions) {}

  async set(root: vscode.Uri, uri: vscode.Uri, findings: readonly Finding[], related?: ReadonlyMap<Finding, RelatedSpec[]>): Promise<void> {
    const entry: Entry = { root, findings, related, shown: [] };
    this.entries.set(uri.toString(), entry);
    await this.render(uri, entry);
  }

  /** After a severity mapping change or an ignore: same findings, new rendering. */
  async rerender(): Promise<void> {
    await Promise.all([...this.entries].map(([key, entry]) => this.render(vscode.Uri.parse(key), entry)));
  }

  delete(uri: vscode.Uri): void {
    this.entries.delete(uri.toString());
    this.collection.delete(uri);
  }

  /** Everything at or under `uri` (a deleted folder takes its files' diagnostics with it). */
  deleteUnder(uri: vscode.Uri): void {
    const prefix = uri.toString().replace(/\/?$/, '/');
    for (const key of [...this.entries.keys()]) {
      if (key === uri.toString() || key.startsWith(prefix)) this.delete(vscode.Uri.parse(key));
    }
  }

  clear(): void {
    this.entries.clear();
    this.collection.clear();
  }

  /**
   * The finding behind a diagnostic handed to a code action. VS Code passes copies, not our objects,
   * so they are matched by range, code and message.
   */
  findingFor(uri: vscode.Uri, diagnostic: vscode.Diagnostic): Finding | undefined {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE) return undefined;
    const code = codeValue(diagnostic);
    return this.entries
      .get(uri.toString())
      ?.shown.find((s) => s.diagnostic.range.isEqual(diagnostic.range) && s.diagnostic.message === diagnostic.message && codeValue(s.diagnostic) === code)
      ?.finding;
  }

  /** The findings shown for a file now (after dismissals and noise control). */
  shownFindings(uri: vscode.Uri): Finding[] {
    return this.entries.get(uri.toString())?.shown.map((s) => s.finding) ?? [];
  }

  /**
   * Suggestions of these findings were applied: they disappear at once (not at the next save), and
   * the findings below them move with the lines the fix added or removed.
   */
  async fixed(uri: vscode.Uri, fingerprints: readonly string[]): Promise<void> {
    const entry = this.entries.get(uri.toString());
    if (!entry) return;
    const set = new Set(fingerprints);
    const next: Entry = { ...entry, findings: afterFix(entry.findings, entry.findings.filter((f) => set.has(f.fingerprint))), shown: [] };
    this.entries.set(uri.toString(), next);
    await this.render(uri, next);
  }

  /** All findings kept for a folder, by file URI: what is persisted across restarts. */
  findingsUnder(root: vscode.Uri): Map<string, readonly Finding[]> {
    const out = new Map<string, readonly Finding[]>();
    for (const [key, entry] of this.entries) if (entry.root.toString() === root.toString()) out.set(key, entry.findings);
    return out;
  }

  dispose(): void {
    this.collection.dispose();
    this.entries.clear();
  }

  /** Related locations, without those that point at a finding the user dismissed. */
  private visibleRelated(entry: Entry, finding: Finding): RelatedSpec[] | undefined {
    const related = entry.related?.get(finding);
    if (!related) return undefined;
    return related.filter((rel) => {
      const target = vscode.Uri.joinPath(entry.root, rel.file);
      const other = this.entries.get(target.toString())?.findings.find((f) => f.file === rel.file && f.startLine - 1 === rel.line && f.ruleId === finding.ruleId);
      return !other || !this.options.isIgnored(target, other);
    });
  }

  private async render(uri: vscode.Uri, entry: Entry): Promise<void> {
    const [lines] = await Promise.all([lineInfoFor(uri), this.options.beforeRender?.(uri)]);
    if (this.entries.get(uri.toString()) !== entry) return; // replaced or cleared meanwhile
    const severity = this.options.severityFor(uri);
    entry.shown = [];
    const kept = entry.findings.filter((f) => !this.options.isIgnored(uri, f));
    const path = entry.findings[0]?.file ?? '';
    const shown = this.options.noiseFor ? applyNoise(path, kept, this.options.noiseFor(uri)).shown : kept;
    for (const finding of shown) {
      const spec = mapFinding(finding, severity, lines, this.options.modelLabel, this.visibleRelated(entry, finding));
      if (spec) entry.shown.push({ diagnostic: toDiagnostic(spec, entry.root), finding });
    }
    this.collection.set(uri, entry.shown.map((s) => s.diagnostic));
  }
}

function codeValue(d: vscode.Diagnostic): string {
  return String(typeof d.code === 'object' ? d.code.value : d.code);
}
