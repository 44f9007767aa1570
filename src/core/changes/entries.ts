/** Which entries of a diff a change review can take, and the outcome of the ones it cannot. */
import { isRetryable, type OutcomeCode } from '../outcome';
import type { FileOutcome } from '../types';
import type { DiffFile } from './diff';

/** A path a diff may name: inside the folder, no `..`, not absolute. */
export function safePath(path: string | undefined): path is string {
  return typeof path === 'string' && path !== '' && !path.includes('\0') && !path.startsWith('/') && !/^[A-Za-z]:/.test(path) && !path.split(/[\\/]/).includes('..');
}

/** Why a diff entry has nothing to send (and its outcome code, where one fits), or undefined when it does. */
export function nothingToReview(d: DiffFile): { reason: string; code?: OutcomeCode } | undefined {
  if (d.status === 'deleted') return { reason: 'deleted by the change: nothing left to review', code: 'not-found' };
  if (d.status === 'binary') return { reason: 'a binary change: not reviewed', code: 'binary' };
  if (d.hunks.length === 0 && d.status !== 'added') return { reason: `${d.status === 'renamed' ? 'renamed' : 'changed'} without a change to its text: nothing to review` };
  return undefined;
}

/** A skipped or failed outcome with its code, and whether trying again may help, when it has one. */
export function notAnalyzed(path: string, status: 'failed' | 'skipped', reason: string, code?: OutcomeCode): FileOutcome {
  return { path, status, reason, ...(code ? { code, retryable: isRetryable(code) } : {}), findings: [] };
}

/** The diff's entries by path that have something to review, and the outcomes of the ones that do not. */
export function reviewable(changes: readonly DiffFile[]): { diffs: Map<string, DiffFile>; early: FileOutcome[] } {
  const diffs = new Map<string, DiffFile>();
  const early: FileOutcome[] = [];
  for (const d of changes) {
    const path = d.newPath ?? d.oldPath;
    if (!safePath(path)) {
      early.push(notAnalyzed(String(path ?? '(no path)'), 'skipped', 'the diff names a path outside the folder: not reviewed', 'outside-workspace'));
      continue;
    }
    const none = nothingToReview(d);
    if (none) early.push(notAnalyzed(path, 'skipped', none.reason, none.code));
    else if (!diffs.has(path)) diffs.set(path, d);
  }
  return { diffs, early };
}
