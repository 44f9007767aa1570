/**
 * The extension host entry: builds the engine once for VS Code and wires triggers, diagnostics,
 * the status bar and the dashboard onto it. Kept thin; the work lives in src/core.
 */
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Chorus', { log: true });
  context.subscriptions.push(
    log,
    vscode.commands.registerCommand('chorus.showLog', () => log.show(true)),
  );
  log.info('Chorus activated');
}

export function deactivate(): void {
  // Everything is registered in context.subscriptions and disposed by VS Code.
}
