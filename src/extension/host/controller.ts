/**
 * Owns the per-folder sessions and everything they share: diagnostics, ignored findings, the send
 * gate, the problem notifier and the status bar. Turns VS Code's events (saves, file changes,
 * settings, folders, trust) into session calls.
 */
import * as vscode from 'vscode';
import type { AnalyzeResult } from '../../core/engine/api';
import type { EngineEvent } from '../../core/engine/events';
import type { RunSnapshot } from '../../core/metrics/types';
import { SendGate } from '../consent/sendGate';
import { DiagnosticsPublisher } from '../diagnostics/publisher';
import { problemOf } from '../notify/problems';
import { reportRunError, reportRunResult } from '../notify/runOutcome';
import { ProblemNotifier } from '../notify/problemNotifier';
import { DEFAULT_SEVERITY } from '../settings/settings';
import type { Blocker } from '../status/blocker';
import { ChorusStatusBar } from '../status/statusBar';
import { FindingsStore } from './findingsStore';
import { FolderSession, type SessionHost } from './folderSession';
import { IgnoredFindings } from './ignoredFindings';
import { Dismissals } from '../diagnostics/dismissals';
import { noiseSettingsFor } from '../diagnostics/noiseSettings';
import { watchRepositoryRules } from '../diagnostics/repoRules';
import { withRepositoryNoise } from '../../core/rules';
import { loggerFor } from './logChannel';
import { confirmLargeBurst } from './largeBurst';

const PAUSED_KEY = 'chorus.paused';
const WARNING_MS = 60_000;

export class Controller implements vscode.Disposable, SessionHost {
  readonly logger;
  readonly storageDir: vscode.Uri;
  readonly publisher: DiagnosticsPublisher;
  /** Ignores from before dismissals lived in the baseline file: still honoured, never added to. */
  readonly ignored: IgnoredFindings;
  readonly dismissals: Dismissals;
  readonly gate: SendGate;
  readonly notifier: ProblemNotifier;
  private readonly sessions = new Map<string, FolderSession>();
  private readonly store: FindingsStore;
  private readonly statusBar: ChorusStatusBar;
  private readonly disposables: vscode.Disposable[] = [];
  private warning: { text: string; at: number } | undefined;
  private readonly eventListeners = new Set<(event: EngineEvent) => void>();
  private readonly persistTimers = new Map<FolderSession, NodeJS.Timeout>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly log: vscode.LogOutputChannel,
  ) {
    this.logger = loggerFor(log);
    this.storageDir = context.storageUri ?? context.globalStorageUri;
    this.store = new FindingsStore(this.storageDir);
    this.ignored = new IgnoredFindings(context.workspaceState);
    this.gate = new SendGate(context.workspaceState, log, () => this.changed());
    this.notifier = new ProblemNotifier(log, () => this.changed());
    this.dismissals = new Dismissals({
      pathFor: (folder) => this.sessions.get(folder.uri.toString())?.baselineFile(),
      legacy: this.ignored,
      onChange: () => void this.publisher.rerender(),
      onError: (message) => this.log.warn(message),
    });
    this.publisher = new DiagnosticsPublisher({
      isIgnored: (uri, finding) => this.dismissals.isIgnored(uri, finding),
      beforeRender: (uri) => this.dismissals.ready(uri),
      noiseFor: (uri) => withRepositoryNoise(noiseSettingsFor(uri).options, this.sessionFor(uri)?.rules),
      modelLabel: (id) => this.modelLabel(id),
      severityFor: (uri) => this.sessionFor(uri)?.settings?.severity ?? DEFAULT_SEVERITY,
    });
    this.statusBar = new ChorusStatusBar(() => ({
      trusted: vscode.workspace.isTrusted,
      paused: this.paused,
      waiting: this.allSessions.reduce((n, s) => n + s.triggers.waiting, 0),
      activeRuns: this.allSessions.reduce((n, s) => n + s.activeRuns, 0),
      snapshots: this.snapshots,
      ...(this.warning && Date.now() - this.warning.at < WARNING_MS ? { warning: this.warning.text } : {}),
      ...this.blocked(),
    }));
    void vscode.commands.executeCommand('setContext', 'chorus.paused', this.paused);
    this.listen();
  }

  /** Adds sessions for the open folders and restores their last findings (no tokens spent). */
  async start(): Promise<void> {
    await Promise.all((vscode.workspace.workspaceFolders ?? []).map((f) => this.addFolder(f)));
  }

  get allSessions(): FolderSession[] {
    return [...this.sessions.values()];
  }

  get paused(): boolean {
    return this.context.workspaceState.get<boolean>(PAUSED_KEY, false);
  }

  async setPaused(paused: boolean): Promise<void> {
    await this.context.workspaceState.update(PAUSED_KEY, paused);
    await vscode.commands.executeCommand('setContext', 'chorus.paused', paused);
    this.log.info(paused ? 'Automatic analysis paused' : 'Automatic analysis resumed');
    this.changed();
  }

  sessionFor(uri: vscode.Uri): FolderSession | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return folder ? this.sessions.get(folder.uri.toString()) : undefined;
  }

  /** Snapshots of the engines loaded so far (a folder that never ran has none; none is loaded to look). */
  get snapshots(): RunSnapshot[] {
    return this.allSessions.flatMap((s) => (s.loadedEngine ? [s.loadedEngine.snapshot()] : []));
  }

  modelLabel(id: string): string {
    for (const s of this.sessions.values()) {
      const m = s.config?.models.find((x) => x.id === id);
      if (m) return m.label ?? id;
    }
    return id;
  }

  // SessionHost ----------------------------------------------------------------------------------

  mayRun(config: Parameters<SendGate['mayRun']>[0], explicit: boolean): Promise<boolean> {
    return this.gate.mayRun(config, explicit);
  }

  /** Every engine's events, engines replaced on a settings change included (for the dashboard). */
  onAnyEngineEvent(listener: (event: EngineEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onEngineEvent(_session: FolderSession, event: EngineEvent): void {
    for (const listener of this.eventListeners) listener(event);
    if (event.type === 'throttled') this.warn(`${this.modelLabel(event.model)} was throttled (over its quota); work moved or waited.`);
    if (event.type === 'model-disabled') {
      this.warn(`${this.modelLabel(event.model)} left the run: ${event.reason}`);
      const kind = problemOf(event.code);
      if (kind) this.notifier.report(kind, event.reason);
    }
    // A batch cancelled (superseded, Cancel pressed, settings changed) is not the model failing.
    if (event.type === 'batch-finished' && !event.ok && event.error && event.code !== 'cancelled') this.warn(`${this.modelLabel(event.model)} failed a batch: ${event.error}`);
    this.changed();
  }

  onRunFinished(session: FolderSession, result: AnalyzeResult | undefined, error: unknown): void {
    this.renewLater(session);
    if (error !== undefined) return reportRunError(error, this.notifier);
    if (!result) return;
    for (const f of result.files) if (f.status === 'failed') this.log.warn(`${session.folder.name}/${f.path}: failed (${f.reason ?? 'no reason given'})`);
    reportRunResult(result, this.notifier);
    const count = (status: string) => result.files.filter((f) => f.status === status).length;
    this.log.info(
      `${session.folder.name}: run ${result.runId} ${result.cancelled ? 'cancelled' : 'finished'} in ${Math.round(result.elapsedMs)} ms: ` +
        `${count('analyzed')} analyzed, ${count('failed')} failed, ${count('skipped')} skipped`,
    );
    this.schedulePersist(session);
  }

  /** After the run's bookkeeping: models that left it are asked again by a fresh engine next time. */
  private renewLater(session: FolderSession): void {
    setTimeout(() => session.renewEngine(), 0);
  }

  onConfigError(_session: FolderSession, message: string): void {
    this.notifier.report('config', message);
  }

  confirmLargeBurst(session: FolderSession, paths: string[]): Promise<boolean> {
    return confirmLargeBurst(session, paths, this.log);
  }

  changed(): void {
    this.statusBar.refresh();
  }

  /** What the status bar shows now (read by the in-host tests through the extension's API). */
  get statusView(): ChorusStatusBar['lastView'] {
    return this.statusBar.lastView;
  }

  /** What keeps Chorus from analyzing: the standing problem, else a "Don't Allow" for a folder's destination. */
  private blocked(): { blocked?: Blocker } {
    if (this.notifier.current) return { blocked: this.notifier.current };
    for (const s of this.allSessions) {
      const declined = s.config && this.gate.declinedDestination(s.config);
      if (declined) return { blocked: { kind: 'declined', detail: declined } };
    }
    return {};
  }

  // ----------------------------------------------------------------------------------------------

  dispose(): void {
    for (const t of this.persistTimers.values()) clearTimeout(t);
    for (const s of this.sessions.values()) s.dispose();
    this.sessions.clear();
    for (const d of this.disposables) d.dispose();
    this.statusBar.dispose();
    this.dismissals.dispose();
    this.publisher.dispose();
  }

  async clearFindings(): Promise<void> {
    this.publisher.clear();
    await Promise.all(this.allSessions.map((s) => this.store.clear(s.folder)));
  }

  private async addFolder(folder: vscode.WorkspaceFolder): Promise<void> {
    const session = new FolderSession(folder, this);
    this.sessions.set(folder.uri.toString(), session);
    await session.reload();
    session.triggers.watch(() => this.paused);
    this.disposables.push(watchRepositoryRules(folder, () => void session.reload().then(() => this.publisher.rerender())));
    const restored = await this.store.load(folder);
    for (const [uri, findings] of restored) await this.publisher.set(folder.uri, uri, findings);
    if (restored.size > 0) this.log.info(`${folder.name}: restored findings of ${restored.size} file(s) from the last session`);
  }

  private listen(): void {
    this.disposables.push(
      vscode.workspace.onDidSaveTextDocument((doc) => {
        if (!this.paused) this.sessionFor(doc.uri)?.triggers.onSaved(doc);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('chorus')) return;
        this.notifier.reset();
        void Promise.all(this.allSessions.filter((s) => e.affectsConfiguration('chorus', s.folder.uri)).map((s) => s.reload())).then(() =>
          this.publisher.rerender(),
        );
      }),
      vscode.workspace.onDidChangeWorkspaceFolders((e) => {
        for (const f of e.removed) {
          const key = f.uri.toString();
          this.sessions.get(key)?.dispose();
          this.sessions.delete(key);
          this.publisher.deleteUnder(f.uri);
        }
        for (const f of e.added) void this.addFolder(f);
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed()),
    );
  }

  private warn(text: string): void {
    this.warning = { text, at: Date.now() };
    this.log.warn(text);
  }

  /** Saves the folder's findings for the next window (debounced): after a run, and after a change review. */
  schedulePersist(session: FolderSession): void {
    clearTimeout(this.persistTimers.get(session));
    this.persistTimers.set(session, setTimeout(() => {
      this.persistTimers.delete(session);
      void this.store.save(session.folder, this.publisher.findingsUnder(session.folder.uri)).catch((err: unknown) => this.log.warn(`Could not save findings: ${String(err)}`));
    }, 1000));
  }
}
