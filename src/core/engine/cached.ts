/**
 * Cache lookups and stores for one run. A hit turns a file's cached raw findings back into published
 * ones with today's path (the content may have moved) and fresh fingerprints.
 */
import type { ResultCache } from '../cache';
import type { RawFinding } from '../contract';
import { normalizeFindings } from '../findings';
import type { Finding, SourceFile } from '../types';

export interface CacheHit {
  model: string;
  findings: Finding[];
}

export async function lookup(cache: ResultCache, file: SourceFile, models: readonly string[]): Promise<CacheHit | undefined> {
  for (const model of models) {
    const entry = await cache.get(file.hash, model);
    if (!entry) continue;
    const raw = entry.findings.map((f) => ({ ...f, file: file.path }));
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
