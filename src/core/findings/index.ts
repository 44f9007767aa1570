/** Findings: from a model response to validated, clamped, fingerprinted findings; and the baseline. */
import type { Finding } from '../types';
import { extractFindingsInput } from './extract';
import { normalizeFindings, type BatchFileText } from './normalize';
import { validateFindingsInput } from './validate';

export { extractFindingsInput } from './extract';
export { validateFindingsInput } from './validate';
export { normalizeFindings, splitLines, type BatchFileText } from './normalize';
export { fingerprintAll, fingerprintOf, normalizeLine } from './fingerprint';
export { readBaseline, writeBaseline, BaselineError, type BaselineFile } from './baseline';

export type ParsedBatch =
  | { ok: true; byFile: Map<string, Finding[]>; rejected: number }
  | { ok: false; reason: string };

/** The whole path from a response to findings per file of the batch. */
export function parseBatchFindings(
  response: { toolInput?: unknown; text?: string },
  files: readonly BatchFileText[],
  model: string,
): ParsedBatch {
  const extracted = extractFindingsInput(response);
  if (!extracted.ok) return extracted;
  const validated = validateFindingsInput(extracted.value);
  if (!validated.ok) return validated;
  const normalized = normalizeFindings(validated.findings, files, model);
  return { ok: true, byFile: normalized.byFile, rejected: validated.rejected.length + normalized.dropped.length };
}
