/**
 * What starts runs in one folder without a command: saves (interactive lane, newest text) and
 * changes on disk the editor did not make (checkout, pull, generators), coalesced into one
 * background run per burst. A file changed again while waiting is analyzed once, with the content
 * it has when the burst is flushed.
 */
import * as vscode from 'vscode';
import picomatch from 'picomatch';
import { systemClock } from '../../core/clock';
import type { ChorusConfig } from '../../core/config/types';
import type { TriggerSettings } from '../settings/settings';
import { BurstCoalescer } from '../triggers/burstCoalescer';
import type { FolderSession, SessionHost } from './folderSession';

/** The editor's own save also reaches the file watcher; within this window it is not a new change. */
const SAVE_ECHO_MS = 3000;

export class FolderTriggers implements vscode.Disposable {
  private coalescer: BurstCoalescer | undefined;
  private watcher: vscode.FileSystemWatcher | undefined;
  private settings: TriggerSettings | undefined;
  private accepts: (path: string) => boolean = () => true;
  private readonly recentSaves = new Map<string, number>();

  constructor(
    private readonly session: FolderSession,
    private readonly host: SessionHost,
  ) {}

  get waiting(): number {
    return this.coalescer?.size ?? 0;
  }

  /** New settings apply to the next change (the burst under way keeps its deadline). */
  configure(settings: TriggerSettings, config: ChorusConfig | undefined): void {
    this.settings = settings;
    if (config) {
      // The engine applies .gitignore too; this cheap pre-filter keeps node_modules churn out of bursts.
      const include = config.include.length ? picomatch(config.include, { dot: true }) : () => true;
      const exclude = config.exclude.length ? picomatch(config.exclude, { dot: true }) : () => false;
      this.accepts = (path) => include(path) && !exclude(path);
    }
    const { quietMs, maxWaitMs } = settings;
    if (this.coalescer) this.coalescer.reconfigure(quietMs, maxWaitMs);
    else this.coalescer = new BurstCoalescer({ quietMs, maxWaitMs, clock: systemClock, onFlush: (paths) => void this.onBurst(paths) });
  }

  /** Created/changed files join a burst (unless paused); deleted ones lose their diagnostics. */
  watch(paused: () => boolean): void {
    this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(this.session.folder, '**/*'));
    this.watcher.onDidCreate((uri) => paused() || void this.onCreated(uri));
    this.watcher.onDidChange((uri) => paused() || this.onOutsideChange(uri));
    this.watcher.onDidDelete((uri) => this.onDeleted(uri));
  }

  onSaved(document: vscode.TextDocument): void {
    const path = this.session.relativePath(document.uri);
    if (!path || !this.settings?.analyzeOnSave) return;
    this.recentSaves.set(path, Date.now());
    this.coalescer?.remove(path); // the save analyzes it now, with the newest text
    void this.session.run({ paths: [path], contents: new Map([[path, document.getText()]]), lane: 'interactive', explicit: false });
  }

  /**
   * A folder created from outside (a generator, a checkout) joins the burst with the files in it:
   * files written into a brand-new folder before the file watcher watches it are never reported
   * one by one (inotify), so they are taken from disk once its creation is seen. The folder itself
   * is not a file to analyze.
   */
  async onCreated(uri: vscode.Uri): Promise<void> {
    let type: vscode.FileType;
    try {
      type = (await vscode.workspace.fs.stat(uri)).type;
    } catch {
      return; // gone again already
    }
    if (!(type & vscode.FileType.Directory)) {
      this.onOutsideChange(uri);
      return;
    }
    if (!this.settings?.watchEnabled) return;
    const files = await vscode.workspace.findFiles(new vscode.RelativePattern(uri, '**/*'));
    for (const file of files) this.onOutsideChange(file);
  }

  onOutsideChange(uri: vscode.Uri): void {
    const path = this.session.relativePath(uri);
    if (!path || !this.settings?.watchEnabled || !this.accepts(path)) return;
    const savedAt = this.recentSaves.get(path);
    if (savedAt !== undefined && Date.now() - savedAt < SAVE_ECHO_MS) return;
    this.coalescer?.add(path);
    this.host.changed();
  }

  onDeleted(uri: vscode.Uri): void {
    this.host.publisher.deleteUnder(uri);
    const path = this.session.relativePath(uri);
    if (!path) return;
    this.coalescer?.remove(path);
    this.session.ledger.supersede(path);
    this.host.changed();
  }

  dispose(): void {
    this.watcher?.dispose();
    this.coalescer?.dispose();
  }

  private async onBurst(paths: string[]): Promise<void> {
    const threshold = this.settings?.burstThreshold ?? Infinity;
    if (paths.length > threshold && !(await this.host.confirmLargeBurst(this.session, paths))) return;
    this.host.log.info(`${this.session.folder.name}: ${paths.length} file(s) changed outside the editor; analyzing them in the background`);
    await this.session.run({ paths, lane: 'background', explicit: false });
  }
}
