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

export async function lookup(cache: ResultCache, file: SourceFile, models: readonly string[]): Promise<CacheHit | undefined> {
  for (const model of models) {
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
    return raw;
  });
}
