/**
 * "Chorus: Test Connection": one small call per model — reachable, authorized, quota — per destination.
 * Engines whose models left after a failure are renewed first, so new credentials or an endpoint
 * that came up are picked up without a reload; a clean result clears the status bar's problem.
 */
import * as vscode from 'vscode';
import type { Controller } from '../host/controller';
import { sessionsPerDestination } from './destinations';
import { summarizeConnection, type ConnectionSummary, type LabelledReport } from './connectionSummary';

let last: ConnectionSummary | undefined;

/** The line the last Test Connection showed (for the in-host tests, through the extension's API). */
export function lastConnectionSummary(): ConnectionSummary | undefined {
  return last;
}

export async function testConnection(controller: Controller): Promise<void> {
  const results: LabelledReport[] = [];
  const errors: string[] = [];
  let tested = 0;
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Chorus: testing the connection…', cancellable: true }, async (_p, token) => {
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    for (const session of sessionsPerDestination(controller.allSessions)) {
      tested++;
      session.renewEngine();
      try {
        for (const report of await (await session.getEngine()).testConnection(abort.signal)) {
          const label = controller.modelLabel(report.model);
          results.push({ label, report });
          const line = `Test connection: ${label}: ${report.ok ? 'OK' : 'FAILED'} — ${report.detail}`;
          if (report.ok) controller.log.info(line);
          else controller.log.error(line);
        }
      } catch (err) {
        errors.push(`${session.folder.name}: ${err instanceof Error ? err.message : String(err)}`);
        controller.log.error(`Test connection: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  });
  if (tested === 0) {
    void vscode.window.showWarningMessage('Chorus: nothing to test — open a folder (and check the settings).');
    return;
  }
  const summary = summarizeConnection(results, errors);
  last = summary;
  if (summary.ok) {
    controller.notifier.reset();
    void vscode.window.showInformationMessage(summary.message);
    return;
  }
  const choice = await vscode.window.showErrorMessage(summary.message, 'Open Settings', 'Open Log');
  if (choice === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'chorus.');
  if (choice === 'Open Log') controller.log.show(true);
}
