/**
 * One actionable notification per problem (see problems.ts): settings, log, or a connection test.
 * It also remembers the problem that stands (for the status bar) until a run succeeds or the
 * settings change; messages say VS Code settings, not CLI flags (wording.ts).
 */
import * as vscode from 'vscode';
import { blockerOf, type Blocker } from '../status/blocker';
import { describe, ProblemGate, type ProblemKind } from './problems';
import { forVsCodeUser } from './wording';

export class ProblemNotifier {
  private readonly gate = new ProblemGate();
  private standing: Blocker | undefined;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly onChange: () => void = () => {},
  ) {}

  /** The problem reported last and not cleared since: what the status bar shows. */
  get current(): Blocker | undefined {
    return this.standing;
  }

  report(kind: ProblemKind, detail: string): void {
    this.log.error(`${kind}: ${detail}`);
    this.standing = blockerOf(kind, detail);
    this.onChange();
    if (!this.gate.admit(kind)) return;
    void this.show(forVsCodeUser(describe(kind, detail)), kind);
  }

  /** After a successful run or a settings change the same problem may be raised again. */
  reset(): void {
    this.gate.reset();
    if (this.standing) {
      this.standing = undefined;
      this.onChange();
    }
  }

  private async show(message: string, kind: ProblemKind): Promise<void> {
    const actions = kind === 'config' ? ['Open Settings', 'Open Log'] : ['Open Settings', 'Open Log', 'Test Connection'];
    const choice = await vscode.window.showErrorMessage(message, ...actions);
    if (choice === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'chorus.');
    else if (choice === 'Open Log') await vscode.commands.executeCommand('chorus.showLog');
    else if (choice === 'Test Connection') await vscode.commands.executeCommand('chorus.testConnection');
  }
}
