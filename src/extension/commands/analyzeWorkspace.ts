/**
 * "Chorus: Analyze Workspace": a cost estimate first when many files would be sent, then a progress
 * notification with counts and per-model throughput, cancellable.
 */
import * as vscode from 'vscode';
import type { Estimate } from '../../core/engine/api';
import type { Controller } from '../host/controller';
import type { FolderSession } from '../host/folderSession';
import { tally, workspaceSummary } from '../notify/workspaceSummary';
import { formatThroughput } from '../status/formatStatus';

export async function analyzeWorkspace(controller: Controller): Promise<void> {
  const sessions = controller.allSessions.filter((s) => s.config);
  if (sessions.length === 0) {
    void vscode.window.showWarningMessage(
      controller.allSessions.length === 0 ? 'Chorus: open a folder to analyze it.' : 'Chorus: the settings are invalid; see the log.',
    );
    return;
  }
  const approved: FolderSession[] = [];
  for (const session of sessions) {
    if (!(await controller.mayRun(session.config!, true))) return;
    if (await confirmCost(session, controller.log)) approved.push(session);
  }
  if (approved.length === 0) return;

  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Chorus: analyzing workspace', cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort(new DOMException('Cancelled by the user', 'AbortError')));
      let done = 0;
      let total = 0;
      const outcomes = tally([]);
      let shown = 0;
      let throughput = '';
      const report = () => progress.report({ message: `${done}/${total} files${throughput ? ` · ${throughput}` : ''}` });
      for (const session of approved) {
        if (abort.signal.aborted) break;
        const result = await session.run({
          lane: 'background',
          explicit: true,
          signal: abort.signal,
          onEvent: (event) => {
            if (event.type === 'run-started') total += event.files;
            else if (event.type === 'file-done') done++;
            else if (event.type === 'metrics') throughput = formatThroughput(event.snapshot.models);
            else return;
            report();
          },
        });
        if (!result) continue;
        tally(result.files, outcomes);
        for (const file of result.files) {
          if (file.findings.length > 0) shown += controller.publisher.shownFindings(vscode.Uri.joinPath(session.folder.uri, file.path)).length;
        }
      }
      const summary = workspaceSummary(outcomes, abort.signal.aborted, shown);
      void (outcomes.failed > 0 ? vscode.window.showWarningMessage(summary) : vscode.window.showInformationMessage(summary));
    },
  );
}

/** True to go ahead. Asks only when the files that would be sent exceed the threshold. */
async function confirmCost(session: FolderSession, log: vscode.LogOutputChannel): Promise<boolean> {
  const threshold = session.settings?.triggers.confirmWorkspaceAboveFiles ?? 100;
  let estimate: Estimate;
  try {
    const engine = await session.getEngine();
    estimate = await engine.estimate({ root: session.folder.uri.fsPath, lane: 'background' });
  } catch (err) {
    log.warn(`${session.folder.name}: no estimate (${String(err)}); analyzing without one`);
    return true;
  }
  const toSend = estimate.files - estimate.cachedFiles;
  log.info(`${session.folder.name}: estimate ${estimate.files} files, ${estimate.cachedFiles} cached, ~${estimate.inputTokens} input tokens, ~$${estimate.costUsd.toFixed(4)}`);
  if (toSend <= threshold) return true;
  const go = 'Analyze';
  const choice = await vscode.window.showWarningMessage(
    `Analyze ${toSend} files in "${session.folder.name}"?`,
    {
      modal: true,
      detail:
        `About ${estimate.inputTokens.toLocaleString('en-US')} input tokens, roughly $${estimate.costUsd.toFixed(2)} ` +
        `(${estimate.cachedFiles} unchanged files come from the cache and cost nothing). The budget settings still apply.`,
    },
    go,
  );
  return choice === go;
}
