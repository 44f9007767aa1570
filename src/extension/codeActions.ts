/**
 * Quick fixes on Chorus diagnostics: apply the model's suggested replacement (when it gave one; the
 * diagnostic goes at once), fix every finding of that rule in the file in one edit, re-analyze the
 * file with another model, ignore this finding or every finding of its rule in this file (kept in
 * the folder's baseline file — never a comment in the code).
 */
import * as vscode from 'vscode';
import type { Finding } from '../core/types';
import { fixableTogether } from './diagnostics/afterFix';
import type { DiagnosticsPublisher } from './diagnostics/publisher';
import { suggestionEdit } from './diagnostics/suggestion';
import { DIAGNOSTIC_SOURCE } from './diagnostics/mapFinding';

/** Run after a suggestion's edit is applied: the fixed findings leave the Problems panel. */
export const FIXED_COMMAND = 'chorus.findingsFixed';

export class ChorusCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(
    private readonly publisher: DiagnosticsPublisher,
    private readonly modelLabel: (id: string) => string,
  ) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    const offeredFixAll = new Set<string>();
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      const finding = this.publisher.findingFor(document.uri, diagnostic);
      if (!finding) continue;
      const fix = this.applyAction(document, [finding], `Apply suggestion from ${this.modelLabel(finding.model)} (${finding.ruleId})`);
      if (fix) {
        fix.diagnostics = [diagnostic];
        fix.isPreferred = true;
        actions.push(fix);
      }
      if (!offeredFixAll.has(finding.ruleId)) {
        offeredFixAll.add(finding.ruleId);
        const together = fixableTogether(this.publisher.shownFindings(document.uri), finding.ruleId);
        const all = together.length > 1 ? this.applyAction(document, together, `Fix all ${together.length} Chorus findings of ${finding.ruleId} in this file`) : undefined;
        if (all) actions.push(all);
      }
      const again = new vscode.CodeAction('Re-analyze this file with another model…', vscode.CodeActionKind.QuickFix);
      again.command = { command: 'chorus.reanalyzeWithModel', title: again.title, arguments: [document.uri, finding.model] };
      again.diagnostics = [diagnostic];
      actions.push(again);
      const ignore = new vscode.CodeAction(`Ignore this finding (${finding.ruleId})`, vscode.CodeActionKind.QuickFix);
      ignore.command = { command: 'chorus.ignoreFinding', title: ignore.title, arguments: [document.uri, finding.fingerprint] };
      ignore.diagnostics = [diagnostic];
      actions.push(ignore);
      const similar = new vscode.CodeAction(`Ignore all ${finding.ruleId} findings in this file`, vscode.CodeActionKind.QuickFix);
      similar.command = { command: 'chorus.ignoreSimilar', title: similar.title, arguments: [document.uri, finding.ruleId] };
      similar.diagnostics = [diagnostic];
      actions.push(similar);
    }
    return actions;
  }

  /** One edit replacing each finding's lines with its suggestion, then FIXED_COMMAND for them. */
  private applyAction(document: vscode.TextDocument, findings: readonly Finding[], title: string): vscode.CodeAction | undefined {
    const edit = new vscode.WorkspaceEdit();
    const applied: string[] = [];
    for (const finding of findings) {
      const e = suggestionEdit(finding, { lineCount: document.lineCount, lineLength: (i) => document.lineAt(i).text.length });
      if (!e) continue;
      const r = e.range;
      edit.replace(document.uri, new vscode.Range(r.startLine, r.startCharacter, r.endLine, r.endCharacter), e.text);
      applied.push(finding.fingerprint);
    }
    if (applied.length === 0) return undefined;
    const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
    action.edit = edit;
    // VS Code applies the edit, then runs the command.
    action.command = { command: FIXED_COMMAND, title, arguments: [document.uri, applied] };
    return action;
  }
}
