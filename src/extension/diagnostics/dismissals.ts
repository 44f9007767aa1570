/**
 * Dismissed findings, per workspace folder, kept in its baseline file (`chorus.baselinePath`,
 * `.chorus/baseline.json` by default): "Ignore this finding" by fingerprint, "Ignore similar" by
 * file and rule. The file is committable, so a dismissal holds across runs, windows, reloads and
 * machines, and never needs a comment in the code. It is watched: a `git pull` that brings a
 * teammate's dismissals re-renders at once. Ignores from before (workspaceState) still apply.
 */
import * as vscode from 'vscode';
import { dirname, basename } from 'node:path';
import { addDismissals, Baseline, readBaselineFile, removeDismissals, type BaselineEntry, type BaselineFile, type SimilarEntry } from '../../core/findings/baseline';
import type { Finding } from '../../core/types';

interface Tracked {
  path: string;
  file: BaselineFile;
  baseline: Baseline;
  watcher?: vscode.Disposable;
}

export interface DismissalsOptions {
  /** Absolute path of a folder's baseline file (from its settings), or undefined when unknown yet. */
  pathFor(folder: vscode.WorkspaceFolder): string | undefined;
  /** Fingerprints ignored before dismissals lived in the baseline (workspaceState). */
  legacy?: { has(fingerprint: string): boolean };
  /** The baseline changed (our write, a pull, a hand edit): re-render. */
  onChange(): void;
  onError(message: string): void;
}

export type IgnoredItem =
  | { folder: vscode.WorkspaceFolder; kind: 'finding'; entry: BaselineEntry }
  | { folder: vscode.WorkspaceFolder; kind: 'similar'; entry: SimilarEntry };

const EMPTY: BaselineFile = { version: 1, createdAt: '', findings: [] };

export class Dismissals implements vscode.Disposable {
  private readonly tracked = new Map<string, Tracked>();
  private readonly loading = new Map<string, Promise<Tracked>>();

  constructor(private readonly options: DismissalsOptions) {}

  /** Loads (or reloads, when its path changed) the folder's baseline; renders wait for this. */
  ready(uri: vscode.Uri): Promise<unknown> {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return folder ? this.load(folder) : Promise.resolve();
  }

  isIgnored(uri: vscode.Uri, finding: Finding): boolean {
    if (this.options.legacy?.has(finding.fingerprint)) return true;
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return !!folder && !!this.tracked.get(folder.uri.toString())?.baseline.suppresses(finding);
  }

  async ignore(folder: vscode.WorkspaceFolder, findings: readonly Finding[]): Promise<void> {
    await this.change(folder, (path) => addDismissals(path, { findings }));
  }

  async ignoreSimilar(folder: vscode.WorkspaceFolder, similar: SimilarEntry): Promise<void> {
    await this.change(folder, (path) => addDismissals(path, { similar: [similar] }));
  }

  async restore(folder: vscode.WorkspaceFolder, items: { fingerprints?: string[]; similar?: SimilarEntry[] }): Promise<void> {
    await this.change(folder, (path) => removeDismissals(path, items));
  }

  /** "Forget Ignored Findings": every dismissal of every open folder shows again; returns how many. */
  async restoreAll(): Promise<number> {
    let n = 0;
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const t = await this.load(folder);
      const count = t.file.findings.length + (t.file.ignoredRules?.length ?? 0);
      if (count === 0 || !t.path) continue;
      n += count;
      await this.restore(folder, { fingerprints: t.file.findings.map((f) => f.fingerprint), similar: t.file.ignoredRules ?? [] });
    }
    return n;
  }

  /** Everything dismissed in the open folders, for "Show Ignored Findings". */
  async list(): Promise<IgnoredItem[]> {
    const out: IgnoredItem[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const t = await this.load(folder);
      for (const entry of t.file.findings) out.push({ folder, kind: 'finding', entry });
      for (const entry of t.file.ignoredRules ?? []) out.push({ folder, kind: 'similar', entry });
    }
    return out;
  }

  dispose(): void {
    for (const t of this.tracked.values()) t.watcher?.dispose();
    this.tracked.clear();
  }

  private async change(folder: vscode.WorkspaceFolder, write: (path: string) => Promise<BaselineFile>): Promise<void> {
    const t = await this.load(folder);
    if (!t.path) throw new Error(`${folder.name}: no baseline file is configured (chorus.baselinePath)`);
    const file = await write(t.path);
    this.set(folder, t, file);
  }

  private set(folder: vscode.WorkspaceFolder, t: Tracked, file: BaselineFile): void {
    t.file = file;
    t.baseline = new Baseline(file.findings.map((f) => f.fingerprint), file.ignoredRules ?? []);
    this.tracked.set(folder.uri.toString(), t);
    this.options.onChange();
  }

  private load(folder: vscode.WorkspaceFolder): Promise<Tracked> {
    const key = folder.uri.toString();
    const path = this.options.pathFor(folder) ?? '';
    const known = this.tracked.get(key);
    if (known && known.path === path) return Promise.resolve(known);
    const pending = this.loading.get(key);
    if (pending) return pending;
    known?.watcher?.dispose();
    const next = this.read(path).then((file) => {
      const t: Tracked = { path, file, baseline: new Baseline(file.findings.map((f) => f.fingerprint), file.ignoredRules ?? []) };
      if (path) t.watcher = this.watch(folder, t);
      this.tracked.set(key, t);
      return t;
    });
    this.loading.set(key, next);
    return next.finally(() => this.loading.delete(key));
  }

  private async read(path: string): Promise<BaselineFile> {
    if (!path) return EMPTY;
    try {
      return await readBaselineFile(path);
    } catch (err) {
      // Missing is the normal start; broken is said (and nothing is suppressed rather than guessed).
      if (!/ENOENT/.test(String((err as Error).message))) this.options.onError((err as Error).message);
      return EMPTY;
    }
  }

  private watch(folder: vscode.WorkspaceFolder, t: Tracked): vscode.Disposable {
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dirname(t.path)), basename(t.path)));
    const reload = () => {
      void this.read(t.path).then((file) => {
        if (this.tracked.get(folder.uri.toString()) === t) this.set(folder, t, file);
      });
    };
    watcher.onDidChange(reload);
    watcher.onDidCreate(reload);
    watcher.onDidDelete(reload);
    return watcher;
  }
}
