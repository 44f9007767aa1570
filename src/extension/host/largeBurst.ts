/**
 * A burst larger than chorus.watch.burstThreshold (a branch switch, a formatter over the tree) can
 * cost real money: ask with an estimate, analyze within the budget, or skip — per the setting.
 */
import * as vscode from 'vscode';
import type { FolderSession } from './folderSession';

export async function confirmLargeBurst(session: FolderSession, paths: string[], log: vscode.LogOutputChannel): Promise<boolean> {
  const policy = session.settings?.triggers.largeBurst ?? 'ask';
  const name = session.folder.name;
  if (policy === 'skip') {
    log.info(`${name}: ${paths.length} files changed at once; not analyzed (chorus.watch.largeBurst is "skip")`);
    return false;
  }
  if (policy === 'analyze') {
    log.info(`${name}: ${paths.length} files changed at once; analyzing within the budget settings`);
    return true;
  }
  let estimate = '';
  try {
    const engine = await session.getEngine();
    const e = await engine.estimate({ root: session.folder.uri.fsPath, paths, lane: 'background' });
    estimate = ` About ${e.inputTokens.toLocaleString('en-US')} input tokens (~$${e.costUsd.toFixed(2)}); ${e.cachedFiles} already cached.`;
  } catch (err) {
    log.warn(`${name}: could not estimate the burst: ${String(err)}`);
  }
  const choice = await vscode.window.showWarningMessage(
    `${paths.length} files changed outside the editor in "${name}".${estimate} Analyze them?`,
    'Analyze',
    'Skip',
  );
  return choice === 'Analyze';
}
