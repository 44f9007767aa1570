/**
 * "Chorus: Review Changes" (uncommitted work against HEAD) and "Chorus: Review Changes Against…"
 * (a branch or tag picked from the repository): a change review of each folder (engine
 * reviewChanges, src/core/changes) — the changed functions are sent, not the files, and the
 * Problems panel shows the findings on changed lines. Also in the Source Control view's title bar.
 * Unsaved edits are not part of the diff git sees: they are saved first, or the review says so.
 */
import * as vscode from 'vscode';
import { gitChanges, listRefs } from '../../core/changes/git';
import type { ChangeReviewResult } from '../../core/changes/review';
import type { Controller } from '../host/controller';
import type { FolderSession } from '../host/folderSession';

/** Picks a ref of the first folder's repository; undefined when the user cancels. */
async function pickRef(session: FolderSession): Promise<string | undefined> {
  let refs: string[] = [];
  try {
    refs = await listRefs(session.folder.uri.fsPath);
  } catch {
    /* not a git repository: the review below says so */
  }
  const picked = await vscode.window.showQuickPick(refs.length > 0 ? refs : ['HEAD'], {
    title: 'Chorus: Review Changes Against…',
    placeHolder: 'Branch, tag or commit to compare the working tree with',
  });
  return picked;
}

export async function reviewChanges(controller: Controller, mode: 'head' | 'pick'): Promise<void> {
  const sessions = controller.allSessions.filter((s) => s.config);
  if (sessions.length === 0) {
    void vscode.window.showWarningMessage(controller.allSessions.length === 0 ? 'Chorus: open a folder to review its changes.' : 'Chorus: the settings are invalid; see the log.');
    return;
  }
  const ref = mode === 'pick' ? await pickRef(sessions[0]!) : 'HEAD';
  if (!ref) return;
  if (vscode.workspace.textDocuments.some((d) => d.isDirty && d.uri.scheme === 'file')) await vscode.workspace.saveAll(false);
  const results: { session: FolderSession; result: ChangeReviewResult }[] = [];
  // What the Problems panel shows after dismissals and noise control: the toast counts these, so an
  // ignored finding is not announced as found.
  let shown = 0;
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Chorus: reviewing changes against ${ref}`, cancellable: true },
    async (_progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort(new DOMException('Cancelled by the user', 'AbortError')));
      for (const session of sessions) {
        if (abort.signal.aborted || !(await controller.mayRun(session.config!, true))) break;
        const root = session.folder.uri.fsPath;
        const changes = await gitChanges(root, ref);
        const engine = await session.getEngine();
        const result = await engine.reviewChanges({ root, changes, lane: 'interactive', signal: abort.signal });
        for (const outcome of result.files) {
          const uri = vscode.Uri.joinPath(session.folder.uri, outcome.path);
          if (outcome.status !== 'analyzed') continue;
          await controller.publisher.set(session.folder.uri, uri, outcome.findings);
          shown += controller.publisher.shownFindings(uri).length;
        }
        // Restored after a reload like a run's findings (the review published them outside a run).
        controller.schedulePersist(session);
        results.push({ session, result });
      }
    },
  );
  const findings = results.reduce((n, r) => n + r.result.files.reduce((m, f) => m + f.findings.length, 0), 0);
  const sent = results.reduce((n, r) => n + r.result.changes.regionsSent, 0);
  const cached = results.reduce((n, r) => n + r.result.changes.regionsCached, 0);
  const files = results.reduce((n, r) => n + r.result.changes.files, 0);
  const failed = results.reduce((n, r) => n + r.result.files.filter((f) => f.status === 'failed').length, 0);
  const hidden = findings > shown ? `, ${findings - shown} more ignored or hidden by the noise settings` : '';
  const text = `Chorus: ${shown} finding(s) on changed lines in ${files} changed file(s) against ${ref}${hidden} (${sent} function(s) sent, ${cached} from the cache)${failed ? `; ${failed} file(s) failed, see the log` : ''}.`;
  void (failed ? vscode.window.showWarningMessage(text) : vscode.window.showInformationMessage(text));
}
