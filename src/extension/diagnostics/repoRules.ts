/**
 * The folder's repository rules in the editor: read only from a trusted workspace (an untrusted
 * one sends nothing anyway, and its files should not even shape a prompt), and watched so an edit
 * to AGENTS.md or .chorus/rules.json applies to the next run and re-renders what is shown.
 */
import * as vscode from 'vscode';
import { INSTRUCTION_FILES, loadRepositoryRules, noRepositoryRules, RULES_FILE, type RepositoryRules } from '../../core/rules';

export async function loadFolderRules(folder: vscode.WorkspaceFolder): Promise<RepositoryRules> {
  if (!vscode.workspace.isTrusted || folder.uri.scheme !== 'file') return noRepositoryRules();
  return loadRepositoryRules(folder.uri.fsPath);
}

export function watchRepositoryRules(folder: vscode.WorkspaceFolder, onChange: () => void): vscode.Disposable {
  const names = [...INSTRUCTION_FILES, RULES_FILE].join(',');
  const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, `{${names}}`));
  let timer: NodeJS.Timeout | undefined;
  // One reload for an editor's write-rename-write burst.
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, 200);
  };
  watcher.onDidChange(later);
  watcher.onDidCreate(later);
  watcher.onDidDelete(later);
  return {
    dispose: () => {
      clearTimeout(timer);
      watcher.dispose();
    },
  };
}
