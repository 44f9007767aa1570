/**
 * Quick fixes on Chorus diagnostics: apply the model's suggested replacement (when it gave one),
 * re-analyze the file with another model, or ignore this finding (remembered by fingerprint).
 */
import * as vscode from 'vscode';
import type { DiagnosticsPublisher } from './diagnostics/publisher';
import { suggestionEdit } from './diagnostics/suggestion';
import { DIAGNOSTIC_SOURCE } from './diagnostics/mapFinding';

export class ChorusCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(
    private readonly publisher: DiagnosticsPublisher,
    private readonly modelLabel: (id: string) => string,
  ) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      const finding = this.publisher.findingFor(document.uri, diagnostic);
      if (!finding) continue;
      const edit = suggestionEdit(finding, { lineCount: document.lineCount, lineLength: (i) => document.lineAt(i).text.length });
      if (edit) {
        const fix = new vscode.CodeAction(`Apply suggestion from ${this.modelLabel(finding.model)} (${finding.ruleId})`, vscode.CodeActionKind.QuickFix);
        fix.edit = new vscode.WorkspaceEdit();
        const r = edit.range;
        fix.edit.replace(document.uri, new vscode.Range(r.startLine, r.startCharacter, r.endLine, r.endCharacter), edit.text);
        fix.diagnostics = [diagnostic];
        fix.isPreferred = true;
        actions.push(fix);
      }
      const again = new vscode.CodeAction('Re-analyze this file with another model…', vscode.CodeActionKind.QuickFix);
      again.command = { command: 'chorus.reanalyzeWithModel', title: again.title, arguments: [document.uri, finding.model] };
      again.diagnostics = [diagnostic];
      actions.push(again);
      const ignore = new vscode.CodeAction(`Ignore this finding (${finding.ruleId})`, vscode.CodeActionKind.QuickFix);
      ignore.command = { command: 'chorus.ignoreFinding', title: ignore.title, arguments: [finding.fingerprint] };
      ignore.diagnostics = [diagnostic];
      actions.push(ignore);
    }
    return actions;
  }
}
