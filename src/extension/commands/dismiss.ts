/**
 * The commands behind the quick fixes: ignore a finding, ignore a rule in a file, and drop findings
 * whose suggestions were applied. Arguments come from our own code actions, but a command can be
 * run by anything (a keybinding, another extension): each one is checked, never trusted.
 */
import * as vscode from 'vscode';
import type { DiagnosticsPublisher } from '../diagnostics/publisher';
import type { Dismissals } from '../diagnostics/dismissals';

export interface DismissHost {
  publisher: DiagnosticsPublisher;
  dismissals: Dismissals;
  /** Workspace-relative path of a file, when it is in a folder. */
  relativePath(uri: vscode.Uri): string | undefined;
}

function folderOf(uri: unknown): vscode.WorkspaceFolder | undefined {
  return uri instanceof vscode.Uri ? vscode.workspace.getWorkspaceFolder(uri) : undefined;
}

export async function ignoreFinding(host: DismissHost, uri: unknown, fingerprint: unknown): Promise<void> {
  const folder = folderOf(uri);
  if (!folder || typeof fingerprint !== 'string') return;
  const finding = host.publisher.shownFindings(uri as vscode.Uri).find((f) => f.fingerprint === fingerprint);
  if (!finding) return;
  await host.dismissals.ignore(folder, [finding]);
}

export async function ignoreSimilar(host: DismissHost, uri: unknown, ruleId: unknown): Promise<void> {
  const folder = folderOf(uri);
  const file = uri instanceof vscode.Uri ? host.relativePath(uri) : undefined;
  if (!folder || !file || typeof ruleId !== 'string' || ruleId === '') return;
  await host.dismissals.ignoreSimilar(folder, { file, ruleId });
}

export async function findingsFixed(host: DismissHost, uri: unknown, fingerprints: unknown): Promise<void> {
  if (!(uri instanceof vscode.Uri) || !Array.isArray(fingerprints)) return;
  await host.publisher.fixed(uri, fingerprints.filter((f): f is string => typeof f === 'string'));
}
