/**
 * Analyze-on-save as a change review: once a file has been analyzed, the engine remembers that
 * version (its redacted text and findings, in a bounded in-memory map), and the next save of it is
 * diffed against it. Only the functions the edit touched are sent (review.ts); every other finding
 * follows its code to its new line. A first save, a file that changed in more than half its lines, or
 * one the diff cannot place, is analyzed whole as before (the caller's run), and remembered.
 */
import { prepareFiles } from '../engine/prepare';
import type { Finding, Lane, SourceFile } from '../types';
import { lineDiff, type LineDiff } from './lineDiff';
import { reviewChanges } from './review';
import type { ChangeReviewDeps, ChangeReviewResult } from './reviewTypes';

/** A version of a file as it was last analyzed: the findings are on the lines of `text`. */
export interface AnalyzedVersion {
  text: string;
  findings: readonly Finding[];
}

/** Files remembered by default: a working set of edited files, not a workspace. */
export const DEFAULT_REMEMBERED_FILES = 200;
/** Longest file remembered (characters): a larger one is analyzed whole on every save. */
export const MAX_REMEMBERED_CHARS = 1_000_000;

/** The last analyzed version of recently saved files, least recently used first out. */
export class SaveMemory {
  private readonly versions = new Map<string, AnalyzedVersion>();

  constructor(private readonly capacity = DEFAULT_REMEMBERED_FILES) {}

  get(path: string): AnalyzedVersion | undefined {
    const v = this.versions.get(path);
    if (v) {
      this.versions.delete(path);
      this.versions.set(path, v);
    }
    return v;
  }

  remember(path: string, text: string, findings: readonly Finding[]): void {
    this.versions.delete(path);
    if (text.length > MAX_REMEMBERED_CHARS) return;
    this.versions.set(path, { text, findings: [...findings] });
    while (this.versions.size > this.capacity) this.versions.delete(this.versions.keys().next().value!);
  }

  forget(path: string): void {
    this.versions.delete(path);
  }

  get size(): number {
    return this.versions.size;
  }
}

/** What a save becomes: a change review of this diff carrying these old findings, or whole-file analysis and why. */
export type SavePlan = { kind: 'change'; edit: LineDiff; carried: Finding[] } | { kind: 'whole'; reason: string };

/**
 * Whether a save of `source` can be reviewed as a change of `previous`: at most half its lines
 * changed. The old findings on lines the edit left alone are carried to their new lines; the ones
 * on a removed or rewritten line are dropped (the review answers for that code afresh).
 */
export function planSave(source: SourceFile, previous: AnalyzedVersion | undefined, maxShare = 0.5): SavePlan {
  if (!previous) return { kind: 'whole', reason: 'not analyzed before in this session' };
  if (previous.text === source.text) return { kind: 'whole', reason: 'unchanged since it was analyzed (the file cache answers)' };
  const lineCount = Math.max(1, source.text.split('\n').length);
  const edit = lineDiff(source.path, previous.text, source.text, Math.floor(lineCount * maxShare) + 1);
  if (!edit || edit.edits > lineCount * maxShare) return { kind: 'whole', reason: 'more than half of its lines changed' };
  if (edit.diff.hunks.length === 0) return { kind: 'whole', reason: 'only line endings changed' };
  const carried: Finding[] = [];
  for (const f of previous.findings) {
    const start = edit.moved.get(f.startLine);
    const end = edit.moved.get(f.endLine);
    // Every line of the finding must have survived, in one piece (nothing inserted inside it).
    if (start === undefined || end === undefined || end - start !== f.endLine - f.startLine) continue;
    carried.push({ ...f, file: source.path, startLine: start, endLine: end });
  }
  return { kind: 'change', edit, carried };
}

/** A save to analyze: one file, its newest contents when the editor has them. */
export interface SaveRequest {
  root: string;
  path: string;
  lane: Lane;
  contents?: ReadonlyMap<string, string>;
  noCache?: boolean;
  forceModel?: string;
  signal?: AbortSignal;
}

/**
 * A save as a change review of its edit, or undefined when it is to be analyzed whole (first save,
 * too large a change, a file prepare would skip — the whole run says why). The result's outcome holds
 * every finding of the file: the carried ones and the review's (scope `all`: the save shows the whole
 * file's findings, as whole-file analysis does). The version is remembered when it was fully analyzed.
 */
export async function reviewSave(deps: ChangeReviewDeps, runId: string, request: SaveRequest, memory: SaveMemory): Promise<ChangeReviewResult | undefined> {
  const { root, path, lane, contents, signal } = request;
  const previous = memory.get(path);
  if (!previous) return undefined;
  const prepared = await prepareFiles({ root, paths: [path], lane, ...(contents ? { contents } : {}), ...(signal ? { signal } : {}) }, deps.config, deps.logger);
  const source = prepared.sources[0];
  if (!source) return undefined;
  const plan = planSave(source, previous);
  if (plan.kind === 'whole') {
    deps.logger.debug(`${path}: analyzed whole (${plan.reason})`);
    return undefined;
  }
  const result = await reviewChanges(deps, runId, {
    root,
    lane,
    changes: [plan.edit.diff],
    scope: 'all',
    carried: new Map([[path, plan.carried]]),
    ...(contents ? { contents } : {}),
    ...(request.noCache ? { noCache: true } : {}),
    ...(request.forceModel ? { forceModel: request.forceModel } : {}),
    ...(signal ? { signal } : {}),
  });
  const outcome = result.files.find((f) => f.path === path);
  if (outcome?.status === 'analyzed' && !outcome.partial) memory.remember(path, source.text, outcome.findings);
  else memory.forget(path);
  return result;
}
