/**
 * One workspace folder: its settings and config, its engine (created on first use, recreated when
 * the config changes), its triggers (folderTriggers.ts) and its version ledger. Every run goes through `run()`,
 * which checks trust and consent, takes a ticket, and shows only results that are still current.
 */
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { userCacheDir } from '../../core/cache/userDir';
import type { ChorusConfig } from '../../core/config/types';
import type { AnalyzeResult, Engine } from '../../core/engine/api';
import type { EngineEvent } from '../../core/engine/events';
import type { Logger } from '../../core/logger';
import type { FileOutcome, Lane } from '../../core/types';
import { composeInstructions, type RepositoryRules } from '../../core/rules';
import { relatedLocations } from '../diagnostics/mapFinding';
import { loadFolderRules } from '../diagnostics/repoRules';
import type { DiagnosticsPublisher } from '../diagnostics/publisher';
import type { ExtensionSettings } from '../settings/settings';
import { VersionLedger, type Ticket } from '../triggers/versionLedger';
import { offlineProviderOption } from '../commands/offline';
import { loadEngine } from './engineLoader';
import { readFolderConfig } from './folderSettings';
import { FolderTriggers } from './folderTriggers';

export interface SessionHost {
  log: vscode.LogOutputChannel;
  logger: Logger;
  storageDir: vscode.Uri;
  publisher: DiagnosticsPublisher;
  /** Trust and consent; false = nothing may be sent. */
  mayRun(config: ChorusConfig, explicit: boolean): Promise<boolean>;
  onEngineEvent(session: FolderSession, event: EngineEvent): void;
  onRunFinished(session: FolderSession, result: AnalyzeResult | undefined, error: unknown): void;
  onConfigError(session: FolderSession, message: string): void;
  /** A burst larger than the threshold: ask, analyze or skip (per chorus.watch.largeBurst). */
  confirmLargeBurst(session: FolderSession, paths: string[]): Promise<boolean>;
  changed(): void;
}

export interface RunRequest {
  paths?: string[];
  contents?: ReadonlyMap<string, string>;
  lane: Lane;
  /** Asked for by the user (a command), not by a save or the watcher. */
  explicit: boolean;
  forceModel?: string;
  signal?: AbortSignal;
  onEvent?: (event: EngineEvent) => void;
}

export class FolderSession implements vscode.Disposable {
  settings: ExtensionSettings | undefined;
  config: ChorusConfig | undefined;
  /** AGENTS.md, .chorus/instructions.md, .chorus/rules.json (trusted workspaces only). */
  rules: RepositoryRules | undefined;
  activeRuns = 0;
  readonly ledger: VersionLedger;
  readonly triggers: FolderTriggers;
  private engine: Promise<Engine> | undefined;
  private engineKey = '';
  private reloading: Promise<void> = Promise.resolve();
  /** The engine once created, for snapshots; never created just to be looked at. */
  loadedEngine: Engine | undefined;

  constructor(
    readonly folder: vscode.WorkspaceFolder,
    private readonly host: SessionHost,
  ) {
    this.ledger = new VersionLedger((path) => this.openDocument(path)?.version);
    this.triggers = new FolderTriggers(this, host);
  }

  /** (Re)reads settings; a changed config replaces the engine on next use. Runs wait for it. */
  reload(): Promise<void> {
    const next = this.reloading.then(() => this.readSettings());
    this.reloading = next.catch(() => undefined);
    return next;
  }

  private async readSettings(): Promise<void> {
    const { settings, config: own, error, warnings } = await readFolderConfig(this.folder);
    for (const w of warnings) this.host.log.warn(`${this.folder.name}: ${w}`);
    const rules = await loadFolderRules(this.folder);
    for (const w of rules.warnings) this.host.log.warn(`${this.folder.name}: ${w}`);
    if (rules.errors.length > 0) this.host.onConfigError(this, `${this.folder.name}: ${rules.errors.join('; ')} — the file's rules are not applied`);
    const instructions = own && composeInstructions(own.instructions, rules);
    // Repository guidance goes into the prompt through the config, so a change to it renews the engine.
    const config = own && instructions ? { ...own, instructions } : own;
    this.settings = settings;
    this.config = config;
    this.rules = rules;
    if (error) this.host.onConfigError(this, error);
    const key = JSON.stringify([config, settings.baselinePath, settings.sharedQuotaUrl ?? '']);
    if (key !== this.engineKey) {
      this.engineKey = key;
      this.disposeEngine();
    }
    this.triggers.configure(settings.triggers, config);
    this.host.changed();
  }

  relativePath(uri: vscode.Uri): string | undefined {
    const root = this.folder.uri.path.replace(/\/?$/, '/');
    return uri.scheme === this.folder.uri.scheme && uri.path.startsWith(root) ? uri.path.slice(root.length) : undefined;
  }

  uriOf(path: string): vscode.Uri {
    return vscode.Uri.joinPath(this.folder.uri, path);
  }

  async getEngine(): Promise<Engine> {
    const config = this.config;
    if (!config) throw new Error(`${this.folder.name}: the Chorus settings are invalid; see the log.`);
    this.engine ??= loadEngine({
      config,
      logger: this.host.logger,
      cacheDir: vscode.Uri.joinPath(this.host.storageDir, `cache-${this.folder.index}`).fsPath,
      // "Try it offline": the bundled emulator's own key pair, never in settings or the environment.
      ...offlineProviderOption(config),
      // One quota per destination across this window's folders, other windows and CLI runs on this machine.
      ledgerDir: join(userCacheDir(), 'ledger'),
      // Saves and Analyze Current File go ahead of a workspace run: keep them a little room.
      interactive: true,
      // Machines of the account (teammates, CI) share it through Redis, when the user set one.
      ...(this.settings?.sharedQuotaUrl ? { sharedQuotaUrl: this.settings.sharedQuotaUrl } : {}),
      ...this.baselineOption(),
    }).then(
      (engine) => {
        engine.onEvent((event) => this.host.onEngineEvent(this, event));
        this.loadedEngine = engine;
        return engine;
      },
      (err: unknown) => {
        this.engine = undefined; // let the next run try again (after the settings are fixed)
        throw err;
      },
    );
    return this.engine;
  }

  async run(request: RunRequest): Promise<AnalyzeResult | undefined> {
    await this.reloading; // a settings change made just before this run applies to it
    const config = this.config;
    if (!config || !(await this.host.mayRun(config, request.explicit))) return undefined;
    const versions = new Map<string, number>();
    for (const doc of vscode.workspace.textDocuments) {
      const path = this.relativePath(doc.uri);
      if (path && (!request.paths || request.paths.includes(path))) versions.set(path, doc.version);
    }
    const ticket = this.ledger.begin(request.paths, versions);
    const published = new Set<string>();
    // This run's own events, through its handle: a run started later never takes them.
    const onRunEvent = (event: EngineEvent) => {
      if (event.type === 'file-done' && (!ticket.paths || ticket.paths.has(event.outcome.path))) {
        published.add(event.outcome.path);
        void this.publish(ticket, event.outcome);
      }
      request.onEvent?.(event);
    };
    let unsubscribe: (() => void) | undefined;
    this.activeRuns++;
    this.host.changed();
    let result: AnalyzeResult | undefined;
    try {
      const engine = await this.getEngine();
      const signals = [ticket.controller.signal, ...(request.signal ? [request.signal] : [])];
      const run = engine.start({
        root: this.folder.uri.fsPath,
        lane: request.lane,
        ...(request.paths ? { paths: request.paths } : {}),
        ...(request.contents ? { contents: request.contents } : {}),
        ...(request.forceModel ? { forceModel: request.forceModel } : {}),
        ...(request.lane === 'interactive' && !request.explicit && request.paths?.length === 1 ? { incremental: true } : {}),
        signal: AbortSignal.any(signals),
      });
      unsubscribe = run.events.subscribe(onRunEvent);
      result = await run.result;
      if (ticket.controller.signal.aborted) this.host.log.debug(`${this.folder.name}: a run for ${request.paths?.join(', ') ?? 'the folder'} was superseded by newer versions`);
      await this.publishFinal(ticket, result, published);
      this.host.onRunFinished(this, result, undefined);
      return result;
    } catch (err) {
      if (!ticket.controller.signal.aborted && !request.signal?.aborted) {
        // Nothing stale lingers: the files this run was for lose their old findings.
        for (const path of request.paths ?? []) if (this.ledger.isCurrent(ticket, path)) this.host.publisher.delete(this.uriOf(path));
        if (!request.paths) this.host.publisher.deleteUnder(this.folder.uri);
        this.host.onRunFinished(this, undefined, err);
      }
      return undefined;
    } finally {
      unsubscribe?.();
      this.ledger.end(ticket);
      this.activeRuns--;
      this.host.changed();
    }
  }

  dispose(): void {
    this.triggers.dispose();
    this.disposeEngine();
  }

  /**
   * A fresh engine on next use, when no run is in flight: an engine's models that left (credentials,
   * nothing answered) stay gone for its life, so new credentials or an endpoint that came up need one.
   */
  renewEngine(): void {
    if (this.activeRuns === 0 && this.loadedEngine?.snapshot().models.some((m) => m.disabledReason)) this.disposeEngine();
  }

  private async publishFinal(ticket: Ticket, result: AnalyzeResult, published: Set<string>): Promise<void> {
    const related = relatedLocations(result.files.flatMap((f) => f.findings));
    await Promise.all(
      result.files
        .filter((f) => !published.has(f.path) || f.findings.some((x) => related.has(x)))
        .map((f) => this.publish(ticket, f, related)),
    );
  }

  private async publish(ticket: Ticket, outcome: FileOutcome, related?: Parameters<DiagnosticsPublisher['set']>[3]): Promise<void> {
    if (!this.ledger.isCurrent(ticket, outcome.path)) return;
    // Not analyzed for a reason that says nothing about the file (cancelled, out of budget): what is
    // shown stays. Excluded, too large, failed: its old findings go.
    if (outcome.status === 'skipped' && (outcome.code === 'cancelled' || outcome.code === 'budget')) return;
    const uri = this.uriOf(outcome.path);
    if (outcome.status === 'analyzed') await this.host.publisher.set(this.folder.uri, uri, outcome.findings, related);
    else this.host.publisher.delete(uri);
  }

  /** The baseline file, when there is one: the default path is optional, an explicit one must exist. */
  private baselineOption(): { baselinePath?: string } {
    if (!this.settings) return {};
    const { baselineExplicit } = this.settings;
    const path = this.baselineFile()!;
    // The publisher hides what the baseline holds (diagnostics/dismissals.ts), so a restored finding
    // shows at once; the engine filtering it too would need another run to bring it back.
    if (existsSync(path)) return {};
    if (baselineExplicit) this.host.onConfigError(this, `chorus.baselinePath: ${path} does not exist (create it with \`chorus baseline\`)`);
    return {};
  }

  /** Absolute path of this folder's baseline file (dismissals are written there). */
  baselineFile(): string | undefined {
    if (!this.settings) return undefined;
    const { baselinePath } = this.settings;
    return isAbsolute(baselinePath) ? baselinePath : vscode.Uri.joinPath(this.folder.uri, baselinePath).fsPath;
  }

  private openDocument(path: string): vscode.TextDocument | undefined {
    const uri = this.uriOf(path).toString();
    return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
  }

  private disposeEngine(): void {
    const engine = this.engine;
    this.engine = undefined;
    this.loadedEngine = undefined;
    void engine?.then((e) => e.dispose(), () => undefined);
  }
}
