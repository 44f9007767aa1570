/**
 * "Chorus: Show Throughput Dashboard": one webview panel per window (showing it again reveals it).
 * The page is dist/webview/dashboard.{js,css}; this side only wires a DashboardFeed to the webview
 * and owns the lifecycle: a timer that flushes at most once a second, the listeners, disposal.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { Logger } from '../../core/logger';
import { DashboardFeed, type DashboardSource } from './feed';
import { dashboardHtml } from './html';

export interface DashboardPanelOptions {
  /** Where protocol problems are reported (the Chorus log channel fits). */
  logger?: Pick<Logger, 'warn'>;
}

const FLUSH_EVERY_MS = 1000;

/** Scripts on (the page's one, by nonce), no command links, local resources only from the page's folder and media. */
function webviewOptions(context: vscode.ExtensionContext): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  const root = context.extensionUri;
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(root, 'dist', 'webview'), vscode.Uri.joinPath(root, 'media')],
  };
}

export class DashboardPanel implements vscode.Disposable {
  static readonly viewType = 'chorus.dashboard';
  private static current: DashboardPanel | undefined;

  private feed: DashboardFeed;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  /** Opens the dashboard, or reveals it (fed from `source` from now on) if it is already open. */
  static show(context: vscode.ExtensionContext, source: DashboardSource, options: DashboardPanelOptions = {}): DashboardPanel {
    const open = DashboardPanel.current;
    if (open) {
      open.panel.reveal();
      open.useSource(source, options);
      return open;
    }
    const panel = vscode.window.createWebviewPanel(DashboardPanel.viewType, 'Chorus Throughput', vscode.ViewColumn.Active, webviewOptions(context));
    DashboardPanel.current = new DashboardPanel(panel, context, source, options);
    return DashboardPanel.current;
  }

  /**
   * A panel VS Code brought back after a reload (serializer.ts): it gets the same document and a
   * feed; the page restores its series from the state it saved (getState) and asks for what is newer.
   */
  static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, source: DashboardSource, options: DashboardPanelOptions = {}): DashboardPanel {
    // One dashboard per window: a second restored one (two were open before the reload) replaces the first.
    DashboardPanel.current?.dispose();
    panel.webview.options = webviewOptions(context);
    DashboardPanel.current = new DashboardPanel(panel, context, source, options);
    return DashboardPanel.current;
  }

  /** The open panel, if any (for tests and the extension's own bookkeeping). */
  static get instance(): DashboardPanel | undefined {
    return DashboardPanel.current;
  }

  private constructor(readonly panel: vscode.WebviewPanel, context: vscode.ExtensionContext, private source: DashboardSource, options: DashboardPanelOptions) {
    const webview = panel.webview;
    const asset = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview', file)).toString();
    this.feed = this.createFeed(source, options);
    this.disposables.push(
      webview.onDidReceiveMessage((message: unknown) => this.feed.receive(message)),
      // A hidden webview's document is discarded; the new one says `ready` again when shown.
      panel.onDidChangeViewState(() => panel.visible || this.feed.pageGone()),
      panel.onDidDispose(() => this.dispose()),
    );
    this.timer = setInterval(() => this.feed.flush(), FLUSH_EVERY_MS);
    context.subscriptions.push(this);
    webview.html = dashboardHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(18).toString('base64'),
      scriptUri: asset('dashboard.js'),
      styleUri: asset('dashboard.css'),
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (DashboardPanel.current === this) DashboardPanel.current = undefined;
    clearInterval(this.timer);
    this.feed.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }

  private useSource(source: DashboardSource, options: DashboardPanelOptions): void {
    if (source === this.source) return;
    const pageWasReady = this.feed.isReady;
    this.feed.dispose();
    this.source = source;
    this.feed = this.createFeed(source, options);
    // A page that already said `ready` will not say it again: hand the new feed its handshake.
    if (pageWasReady) this.feed.receive({ type: 'ready', since: null });
  }

  private createFeed(source: DashboardSource, options: DashboardPanelOptions): DashboardFeed {
    return new DashboardFeed(source, (message) => void this.panel.webview.postMessage(message), { logger: options.logger });
  }
}
