/**
 * The dashboard comes back after a window reload: VS Code keeps the panel's place and the page's saved
 * state (the page's setState: its series, latest frame, filters) and, once this serializer is
 * registered (package.json activates Chorus on `onWebviewPanel:chorus.dashboard`), hands the panel
 * back to be filled. The page then restores its series and asks the host only for newer samples.
 */
import * as vscode from 'vscode';
import type { DashboardSource } from './feed';
import { DashboardPanel, type DashboardPanelOptions } from './panel';

export interface RevivedFeed {
  source: DashboardSource;
  options?: DashboardPanelOptions;
}

/** Used when the engines cannot be loaded (a broken config): the page still shows what it saved. */
export const NO_ENGINE: DashboardSource = {
  snapshot: () => ({ at: 0, filesTotal: 0, filesDone: 0, models: [], utilization: 0, recentBatches: [] }),
  onEvent: () => () => {},
};

export function registerDashboardSerializer(
  context: vscode.ExtensionContext,
  feed: () => Promise<RevivedFeed>,
  log?: Pick<vscode.LogOutputChannel, 'warn'>,
): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(DashboardPanel.viewType, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
      // The saved state is the page's to read (getState), as untrusted input: nothing here uses it.
      let revived: RevivedFeed;
      try {
        revived = await feed();
      } catch (err) {
        log?.warn(`Dashboard: restored without live data (${err instanceof Error ? err.message : String(err)})`);
        revived = { source: NO_ENGINE };
      }
      DashboardPanel.revive(panel, context, revived.source, revived.options);
    },
  });
}
