/** Every "Chorus: …" command, registered in one place. */
import * as vscode from 'vscode';
import type { Controller } from '../host/controller';
import { analyzeWorkspace } from './analyzeWorkspace';
import { FIXED_COMMAND } from '../codeActions';
import { findingsFixed, ignoreFinding, ignoreSimilar, type DismissHost } from './dismiss';
import { showIgnoredFindings } from './ignored';
import { detectQuotas } from './detectQuotas';
import { registerDashboardSerializer } from '../dashboard/serializer';
import { dashboardSourceOf, showDashboard } from './showDashboard';
import { testConnection } from './testConnection';
import { stopOffline, tryOffline } from './offline';
import { reviewChanges } from './reviewChanges';

export function registerCommands(context: vscode.ExtensionContext, controller: () => Promise<Controller>, log: vscode.LogOutputChannel): void {
  const on = (id: string, run: (c: Controller, ...args: unknown[]) => unknown) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        await run(await controller(), ...args);
      } catch (err) {
        log.error(`${id} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        void vscode.window.showErrorMessage(`Chorus: ${err instanceof Error ? err.message : String(err)}`, 'Open Log').then((c) => c && log.show(true));
      }
    });

  context.subscriptions.push(
    vscode.commands.registerCommand('chorus.showLog', () => log.show(true)),
    // A dashboard open before a window reload comes back with its series (dashboard/serializer.ts).
    registerDashboardSerializer(context, async () => {
      const c = await controller();
      return { source: await dashboardSourceOf(c), options: { logger: c.logger } };
    }, log),
    on('chorus.analyzeWorkspace', (c) => analyzeWorkspace(c)),
    on('chorus.analyzeFile', (c) => analyzeCurrentFile(c)),
    on('chorus.reviewChanges', (c) => reviewChanges(c, 'head')),
    on('chorus.reviewChangesAgainst', (c) => reviewChanges(c, 'pick')),
    on('chorus.showDashboard', (c) => showDashboard(context, c)),
    on('chorus.testConnection', (c) => testConnection(c)),
    on('chorus.detectQuotas', (c) => detectQuotas(c)),
    on('chorus.clearFindings', async (c) => {
      await c.clearFindings();
      log.info('Findings cleared');
    }),
    on('chorus.clearCache', async (c) => {
      await Promise.all(c.allSessions.filter((s) => s.config).map(async (s) => (await s.getEngine()).clearCache()));
      log.info('Result cache cleared: the next run sends every file again');
      void vscode.window.showInformationMessage('Chorus: cache cleared. The next analysis sends every file again.');
    }),
    on('chorus.pause', (c) => c.setPaused(true)),
    on('chorus.resume', (c) => c.setPaused(false)),
    on('chorus.resetConsent', async (c) => {
      await c.gate.forget();
      void vscode.window.showInformationMessage('Chorus will ask again before sending code from this workspace.');
    }),
    on('chorus.forgetIgnoredFindings', async (c) => {
      const n = c.ignored.size + (await c.dismissals.restoreAll());
      await c.ignored.clear();
      await c.publisher.rerender();
      void vscode.window.showInformationMessage(`Chorus: ${n} ignored finding(s) will show again (removed from the baseline file; git has the old one).`);
    }),
    on('chorus.ignoreFinding', (c, uri, fingerprint) => ignoreFinding(dismissHost(c), uri, fingerprint)),
    on('chorus.ignoreSimilar', (c, uri, ruleId) => ignoreSimilar(dismissHost(c), uri, ruleId)),
    on(FIXED_COMMAND, (c, uri, fingerprints) => findingsFixed(dismissHost(c), uri, fingerprints)),
    on('chorus.showIgnoredFindings', (c) => showIgnoredFindings(c.dismissals)),
    on('chorus.reanalyzeWithModel', (c, uri, currentModel) => reanalyzeWithModel(c, uri, currentModel)),
    on('chorus.tryOffline', async () => {
      const url = await tryOffline(context.globalState, log);
      const choice = await vscode.window.showInformationMessage(
        `Chorus: the bundled emulator runs on ${url} — canned rules, not a model; nothing leaves this machine. Open a file and save it (or run Analyze Current File) to see findings.`,
        'Analyze Current File', 'Stop',
      );
      if (choice === 'Stop') await vscode.commands.executeCommand('chorus.stopOffline');
      else if (choice) await vscode.commands.executeCommand('chorus.analyzeFile');
    }),
    on('chorus.stopOffline', async () => {
      const stopped = await stopOffline(context.globalState, log);
      void vscode.window.showInformationMessage(stopped ? 'Chorus: the offline emulator stopped; chorus.endpoint is back to what it was.' : 'Chorus: the offline emulator is not running.');
    }),
  );
}

async function analyzeCurrentFile(c: Controller): Promise<void> {
  const doc = vscode.window.activeTextEditor?.document;
  const session = doc && c.sessionFor(doc.uri);
  const path = doc && session?.relativePath(doc.uri);
  if (!doc || !session || !path) {
    void vscode.window.showWarningMessage('Chorus: open a file of a workspace folder to analyze it.');
    return;
  }
  await session.run({ paths: [path], contents: new Map([[path, doc.getText()]]), lane: 'interactive', explicit: true });
}

async function reanalyzeWithModel(c: Controller, uriArg: unknown, currentModel: unknown): Promise<void> {
  const uri = uriArg instanceof vscode.Uri ? uriArg : vscode.window.activeTextEditor?.document.uri;
  const session = uri && c.sessionFor(uri);
  const path = uri && session?.relativePath(uri);
  if (!uri || !session?.config || !path) return;
  const items = session.config.models
    .filter((m) => m.id !== currentModel)
    .map((m) => ({ label: m.label ?? m.id, description: m.id, id: m.id }));
  const pick = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { placeHolder: 'Re-analyze this file with…' });
  if (!pick) return;
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  await session.run({
    paths: [path],
    ...(doc ? { contents: new Map([[path, doc.getText()]]) } : {}),
    lane: 'interactive',
    explicit: true,
    forceModel: pick.id,
  });
}

function dismissHost(c: Controller): DismissHost {
  return { publisher: c.publisher, dismissals: c.dismissals, relativePath: (uri) => c.sessionFor(uri)?.relativePath(uri) };
}
