/** Plain DiagnosticSpecs → vscode.Diagnostic; the only place that knows VS Code's classes for it. */
import * as vscode from 'vscode';
import type { DiagnosticLevel } from '../settings/settings';
import type { DiagnosticSpec, LineInfo } from './mapFinding';

const SEVERITY: Record<Exclude<DiagnosticLevel, 'off'>, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export function toDiagnostic(spec: DiagnosticSpec, root: vscode.Uri): vscode.Diagnostic {
  const r = spec.range;
  const diagnostic = new vscode.Diagnostic(
    new vscode.Range(r.startLine, r.startCharacter, r.endLine, r.endCharacter),
    spec.message,
    SEVERITY[spec.level],
  );
  diagnostic.source = spec.source;
  diagnostic.code = spec.code.target ? { value: spec.code.value, target: vscode.Uri.parse(spec.code.target) } : spec.code.value;
  if (spec.related.length > 0) {
    diagnostic.relatedInformation = spec.related.map(
      (rel) => new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.joinPath(root, rel.file), new vscode.Position(rel.line, 0)), rel.message),
    );
  }
  return diagnostic;
}

/** Lines of the open document, or of the file on disk; unreadable → one very long line per finding. */
export async function lineInfoFor(uri: vscode.Uri): Promise<LineInfo> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return { lineCount: open.lineCount, lineLength: (i) => open.lineAt(i).text.length, lineText: (i) => open.lineAt(i).text };
  try {
    const lines = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)).split(/\r?\n/);
    return { lineCount: lines.length, lineLength: (i) => lines[i]?.length ?? 0, lineText: (i) => lines[i] ?? '' };
  } catch {
    return { lineCount: Number.MAX_SAFE_INTEGER, lineLength: () => Number.MAX_SAFE_INTEGER };
  }
}
