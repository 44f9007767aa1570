/** Findings: from a model response to validated, clamped, fingerprinted findings; and the baseline. */
import { FINDINGS_LIMITS } from '../contract';
import type { Finding } from '../types';
import { extractFindingsInput, type ExtractableResponse } from './extract';
import { canonicalPath, normalizeFindings, type BatchFileText } from './normalize';
import { validateFindingsInput } from './validate';

export { describeParseError, extractFindingsInput, type ExtractableResponse } from './extract';
export { validateFindingsInput } from './validate';
export { capPerFile, normalizeFindings, splitLines, type BatchFileText } from './normalize';
export { fingerprintAll, fingerprintOf, normalizeLine } from './fingerprint';
export {
  addDismissals,
  Baseline,
  BaselineError,
  baselineSuppresses,
  parseBaseline,
  readBaseline,
  readBaselineFile,
  removeDismissals,
  serializeBaseline,
  writeBaseline,
  type BaselineEntry,
  type BaselineFile,
  type SimilarEntry,
} from './baseline';
export { CATEGORIES, categoryOf, isCategory, type Category } from './category';
export { addHidden, applyNoise, applyNoiseToFiles, describeHidden, parseNoiseOptions, emptyHidden, isSeverity, type Hidden, type NoiseOptions, type PathOverride } from './noise';

export type ParsedBatch =
  | {
      ok: true;
      byFile: Map<string, Finding[]>;
      rejected: number;
      /** Per file: what was cut or dropped from its findings, in words. A file without notes got all of them. */
      notes: Map<string, string[]>;
    }
  | { ok: false; reason: string };

function note(notes: Map<string, string[]>, file: string, text: string): void {
  notes.set(file, [...(notes.get(file) ?? []), text]);
}

/** The whole path from a response to findings per file of the batch. */
export function parseBatchFindings(response: ExtractableResponse, files: readonly BatchFileText[], model: string): ParsedBatch {
  const extracted = extractFindingsInput(response);
  if (!extracted.ok) return extracted;
  const validated = validateFindingsInput(extracted.value);
  if (!validated.ok) return validated;
  const normalized = normalizeFindings(validated.findings, files, model);
  const notes = new Map(normalized.cuts);
  const paths = new Set(files.map((f) => f.path));
  const invalid = new Map<string, number>();
  for (const r of validated.rejected) {
    const file = r.file === undefined ? undefined : canonicalPath(r.file);
    if (file !== undefined && paths.has(file)) invalid.set(file, (invalid.get(file) ?? 0) + 1);
  }
  for (const [file, n] of invalid) note(notes, file, `${n} finding(s) not matching the schema were dropped`);
  // Past the batch cap we did not look at the items, so no file can be told apart: all are said.
  if (validated.overBatchCap > 0) {
    for (const file of paths) note(notes, file, `${validated.overBatchCap} finding(s) past the cap of ${FINDINGS_LIMITS.perBatch} per answer were not read`);
  }
  return { ok: true, byFile: normalized.byFile, rejected: validated.rejected.length + normalized.dropped.length, notes };
}
