/**
 * The function-level cache of a change review: each sent region's answer stored under its own key
 * (excerpts.ts: its text, outline and marks, never its place), and read back with its lines moved to
 * where the region is now. Plus the complexity scores that route the excerpts.
 */
import type { ResultCache } from '../cache';
import type { ChorusConfig } from '../config/types';
import type { RawFinding } from '../contract';
import { modelKeyOf, toRaw } from '../engine/cached';
import { normalizeFindings, validateFindingsInput } from '../findings';
import type { Finding, SourceFile } from '../types';
import type { PendingExcerpt } from './batches';
import type { ChangeReviewDeps, FileState } from './reviewTypes';

/** Complexity scores by path (routing only); a broken scorer routes everything as simple. */
export async function scoresOf(deps: ChangeReviewDeps, toSend: readonly PendingExcerpt[], states: ReadonlyMap<string, FileState>, signal: AbortSignal | undefined): Promise<Map<string, number>> {
  const scores = new Map<string, number>();
  const paths = [...new Set(toSend.map((e) => e.path))];
  if (paths.length === 0) return scores;
  try {
    const inputs = paths.map((p) => states.get(p)!.file.source).map((s) => ({ path: s.path, text: s.text, bytes: s.bytes, hash: s.hash }));
    for (const g of (await deps.scorer.score(inputs, signal)).groups) for (const p of g.files) scores.set(p, g.score);
  } catch (err) {
    if (signal?.aborted) throw err;
    deps.logger.warn(`scoring failed (${err instanceof Error ? err.message : String(err)}); routing by the least demanding model`);
  }
  return scores;
}

/**
 * A region's cached answer, its lines moved to where the region is now. Entries are as untrusted as
 * an answer (engine/cached.ts): validated, and forgotten when they fail.
 */
export async function cachedRegion(cache: ResultCache | undefined, config: ChorusConfig, forceModel: string | undefined, key: string, startLine: number, source: SourceFile): Promise<{ model: string; findings: Finding[] } | undefined> {
  if (!cache) return undefined;
  for (const model of forceModel ? [forceModel] : config.models.map((m) => m.id)) {
    const entry = await cache.get(key, modelKeyOf([model]));
    if (!entry) continue;
    const checked = validateFindingsInput({ findings: entry.findings });
    if (!checked.ok || checked.rejected.length > 0) {
      await cache.forget(key, modelKeyOf([model]));
      continue;
    }
    const shift = startLine - 1;
    const raw: RawFinding[] = checked.findings.map((f) => ({ ...f, file: source.path, startLine: f.startLine + shift, endLine: f.endLine + shift }));
    return { model, findings: normalizeFindings(raw, [source], model).byFile.get(source.path) ?? [] };
  }
  return undefined;
}

/** Stores each sent region's findings under its own key, lines relative to the region's first line. */
export async function cacheRegions(deps: ChangeReviewDeps, state: FileState, files: readonly { path: string; region?: number }[], path: string, model: string, findings: readonly Finding[], cut: ReadonlySet<string>): Promise<void> {
  if (!deps.cache) return;
  const regions = new Set(files.filter((f) => f.path === path).map((f) => (f as { region?: number }).region ?? -1));
  for (const index of regions) {
    const e = state.file.excerpts[index];
    if (!e || cut.has(`${path}#${index}`)) continue;
    const own = findings.filter((f) => f.startLine >= e.startLine && f.startLine <= e.endLine);
    const rel = toRaw(own).map((f) => ({ ...f, startLine: f.startLine - e.startLine + 1, endLine: Math.max(f.startLine, f.endLine) - e.startLine + 1 }));
    await deps.cache.set(e.key, modelKeyOf([model]), rel).catch((err: unknown) => deps.logger.warn(`cache write failed: ${String(err)}`));
  }
}
