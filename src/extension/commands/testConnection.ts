/** "Chorus: Test Connection": one small call per model — reachable, authorized, quota — per destination. */
import * as vscode from 'vscode';
import type { Controller } from '../host/controller';

export async function testConnection(controller: Controller): Promise<void> {
  const seen = new Set<string>();
  const lines: string[] = [];
  let failures = 0;
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Chorus: testing the connection…', cancellable: true }, async (_p, token) => {
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    for (const session of controller.allSessions) {
      const config = session.config;
      // Folders with the same destination and models would only repeat the same calls.
      const key = JSON.stringify([config?.endpoint, config?.region, config?.profile, config?.models.map((m) => m.id)]);
      if (!config || seen.has(key)) continue;
      seen.add(key);
      try {
        const reports = await (await session.getEngine()).testConnection(abort.signal);
        for (const r of reports) {
          const line = `${controller.modelLabel(r.model)}: ${r.ok ? 'OK' : 'FAILED'} — ${r.detail}${r.latencyMs !== undefined ? ` (${r.latencyMs} ms)` : ''}`;
          lines.push(line);
          if (r.ok) controller.log.info(`Test connection: ${line}`);
          else controller.log.error(`Test connection: ${line}`);
          if (!r.ok) failures++;
        }
      } catch (err) {
        failures++;
        const line = `${session.folder.name}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
        lines.push(line);
        controller.log.error(`Test connection: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  });
  if (lines.length === 0) {
    void vscode.window.showWarningMessage('Chorus: nothing to test — open a folder (and check the settings).');
  } else if (failures === 0) {
    void vscode.window.showInformationMessage(`Chorus: every model answered. ${lines.join(' · ')}`);
  } else {
    const choice = await vscode.window.showErrorMessage(`Chorus: ${failures} problem(s). ${lines.join(' · ')}`, 'Open Settings', 'Open Log');
    if (choice === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'chorus.');
    if (choice === 'Open Log') controller.log.show(true);
  }
}
