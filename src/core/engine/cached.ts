/**
 * Cache lookups and stores for one run. A hit turns a file's cached raw findings back into published
 * ones with today's path (the content may have moved) and fresh fingerprints. The cache directory is
 * as untrusted as a model's answer (anyone who can write it can plant a verdict, a disk can corrupt
 * it): an entry is validated against the findings schema like an answer, and one that fails is
 * forgotten and the file analyzed again.
 */
import type { ResultCache } from '../cache';
import type { RawFinding } from '../contract';
import { normalizeFindings, validateFindingsInput } from '../findings';
import type { Finding, SourceFile } from '../types';

export interface CacheHit {
  model: string;
  findings: Finding[];
}

/**
 * The model keys a file's answer can be cached under: each model alone, then every set of two or
 * more (a large file whose chunks went to several models is cached under the sorted set, so it is
 * served whole whatever mix analyzed it). A handful of models gives a handful of keys.
 */
function modelKeys(models: readonly string[]): string[] {
  const sorted = [...new Set(models)].sort();
  const sets: string[][] = [[]];
  for (const model of sorted) for (const set of [...sets]) sets.push([...set, model]);
  return sets.filter((s) => s.length > 0).sort((a, b) => a.length - b.length).map((s) => s.join(', '));
}

/** The key of a file analyzed by `models` (one, or several for its chunks), as modelKeys spells it. */
export function modelKeyOf(models: readonly string[]): string {
  return [...new Set(models)].sort().join(', ');
}

export async function lookup(cache: ResultCache, file: SourceFile, models: readonly string[]): Promise<CacheHit | undefined> {
  for (const model of modelKeys(models)) {
    const entry = await cache.get(file.hash, model);
    if (!entry) continue;
    const checked = validateFindingsInput({ findings: entry.findings });
    if (!checked.ok || checked.rejected.length > 0) {
      await cache.forget(file.hash, model);
      continue;
    }
    const raw = checked.findings.map((f) => ({ ...f, file: file.path }));
    return { model, findings: normalizeFindings(raw, [file], model).byFile.get(file.path) ?? [] };
  }
  return undefined;
}

export function toRaw(findings: readonly Finding[]): RawFinding[] {
  return findings.map((f) => {
    const raw: RawFinding = { file: f.file, startLine: f.startLine, endLine: f.endLine, severity: f.severity, ruleId: f.ruleId, message: f.message };
    if (f.suggestion !== undefined) raw.suggestion = f.suggestion;
    // The code the model quoted: a cache hit places the finding on the same exact range as the answer did.
    if (f.snippet !== undefined) raw.snippet = f.snippet;
    return raw;
  });
}
