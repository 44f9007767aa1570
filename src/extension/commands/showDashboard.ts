/**
 * "Chorus: Show Throughput Dashboard" (also the status bar's click). The dashboard panel is built in
 * src/extension/dashboard; until it lands this opens the log with the current numbers.
 */
import type * as vscode from 'vscode';
import type { Controller } from '../host/controller';
import { formatThroughput, mergeModels } from '../status/formatStatus';

export function showDashboard(_context: vscode.ExtensionContext, controller: Controller): void {
  const models = mergeModels(controller.snapshots);
  controller.log.info(`Dashboard not available in this build yet. Throughput now: ${formatThroughput(models) || 'idle'}`);
  controller.log.show(true);
}
