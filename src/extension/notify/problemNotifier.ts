/** One actionable notification per problem (see problems.ts): settings, log, or a connection test. */
import * as vscode from 'vscode';
import { describe, ProblemGate, type ProblemKind } from './problems';

export class ProblemNotifier {
  private readonly gate = new ProblemGate();

  constructor(private readonly log: vscode.LogOutputChannel) {}

  report(kind: ProblemKind, detail: string): void {
    this.log.error(`${kind}: ${detail}`);
    if (!this.gate.admit(kind)) return;
    void this.show(describe(kind, detail), kind);
  }

  /** After a successful run or a settings change the same problem may be raised again. */
  reset(): void {
    this.gate.reset();
  }

  private async show(message: string, kind: ProblemKind): Promise<void> {
    const actions = kind === 'config' ? ['Open Settings', 'Open Log'] : ['Open Settings', 'Open Log', 'Test Connection'];
    const choice = await vscode.window.showErrorMessage(message, ...actions);
    if (choice === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'chorus.');
    else if (choice === 'Open Log') await vscode.commands.executeCommand('chorus.showLog');
    else if (choice === 'Test Connection') await vscode.commands.executeCommand('chorus.testConnection');
  }
}
