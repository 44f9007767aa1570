/**
 * "Chorus: Show Ignored Findings": every dismissal in the open folders' baseline files, in a
 * QuickPick; the ones picked are restored (removed from the baseline) and show again at once.
 * Labels carry the file's text as data: QuickPick renders plain text (no markdown, no codicons
 * parsing in `detail`), and `$(…)` in a label is escaped so a message cannot draw icons.
 */
import * as vscode from 'vscode';
import type { SimilarEntry } from '../../core/findings/baseline';
import type { Dismissals, IgnoredItem } from '../diagnostics/dismissals';

interface Pick extends vscode.QuickPickItem {
  item: IgnoredItem;
}

function plain(text: string, max = 200): string {
  // eslint-disable-next-line no-control-regex -- control characters out of a label
  const one = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').replace(/\$\(/g, '$\u200b(');
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

export function pickOf(item: IgnoredItem, multiFolder: boolean): Pick {
  const where = multiFolder ? `${item.folder.name}/` : '';
  if (item.kind === 'similar') {
    const s = item.entry;
    return { item, label: plain(`${s.ruleId} — every finding in ${where}${s.file}`), description: 'ignored similar' };
  }
  const f = item.entry;
  return { item, label: plain(`${f.ruleId} — ${where}${f.file}${f.startLine ? `:${f.startLine}` : ''}`), detail: plain(f.message) };
}

export async function showIgnoredFindings(dismissals: Dismissals): Promise<void> {
  const items = await dismissals.list();
  if (items.length === 0) {
    void vscode.window.showInformationMessage('Chorus: no findings are ignored in this workspace.');
    return;
  }
  const multi = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
  const picked = await pickMany(items.map((i) => pickOf(i, multi)), items.length);
  if (picked.length === 0) return;
  const byFolder = new Map<vscode.WorkspaceFolder, { fingerprints: string[]; similar: SimilarEntry[] }>();
  for (const { item } of picked) {
    const change = byFolder.get(item.folder) ?? { fingerprints: [], similar: [] };
    if (item.kind === 'finding') change.fingerprints.push(item.entry.fingerprint);
    else change.similar.push(item.entry);
    byFolder.set(item.folder, change);
  }
  for (const [folder, change] of byFolder) await dismissals.restore(folder, change);
  void vscode.window.showInformationMessage(`Chorus: ${picked.length} ignored finding(s) restored.`);
}

/**
 * The checked items on Enter; with none checked, the highlighted one (Enter on a single row restores
 * it, as a user expects). Escape restores nothing.
 */
function pickMany(picks: Pick[], count: number): Promise<readonly Pick[]> {
  const quickPick = vscode.window.createQuickPick<Pick>();
  quickPick.items = picks;
  quickPick.canSelectMany = true;
  quickPick.matchOnDetail = true;
  quickPick.title = `Chorus: ${count} ignored finding(s) — pick the ones to show again`;
  quickPick.placeholder = 'Ignored findings: Enter shows the checked ones again (or the highlighted one)';
  return new Promise((resolve) => {
    let result: readonly Pick[] = [];
    quickPick.onDidAccept(() => {
      result = quickPick.selectedItems.length > 0 ? quickPick.selectedItems : quickPick.activeItems;
      quickPick.hide();
    });
    quickPick.onDidHide(() => {
      quickPick.dispose();
      resolve(result);
    });
    quickPick.show();
    // With many-select, VS Code highlights nothing until the user moves: highlight the first row.
    if (picks[0]) quickPick.activeItems = [picks[0]];
  });
}
