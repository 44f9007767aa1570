/**
 * Redact: secrets out, line numbers kept. Each secret is replaced by a placeholder such as
 * `«redacted:aws-access-key-id»` on the line where it started; line breaks inside a secret (a PEM
 * block pasted into source) are kept, so every later line keeps its number and findings stay true
 * to the original file.
 */
import { detectExtraSecrets, type SecretRange } from './extraDetectors';
import { detectWithGitleaksRules } from './gitleaksRules';
import { detectSecretAssignments } from './secretAssignments';
import { detectWithSecretlint } from './secretlint';

export { neverSendReason } from './sensitiveFiles';
export type { SecretRange } from './extraDetectors';

export interface Redaction {
  text: string;
  /** Number of secrets replaced. */
  redactions: number;
  /** Kinds found, e.g. `aws-access-key-id`, `credential` (for logs: never the values). */
  kinds: string[];
}

/** Overlapping detections collapse into one range (the first detector's kind wins). */
function mergeRanges(ranges: SecretRange[]): SecretRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: SecretRange[] = [];
  for (const range of sorted) {
    const last = out[out.length - 1];
    if (last && range.start < last.end) last.end = Math.max(last.end, range.end);
    else out.push({ ...range });
  }
  return out;
}

export function placeholder(kind: string): string {
  return `«redacted:${kind}»`;
}

/** Replaces ranges, keeping every line break that was inside a secret. */
export function applyRedactions(text: string, ranges: SecretRange[]): string {
  let out = '';
  let cursor = 0;
  for (const range of mergeRanges(ranges)) {
    const secret = text.slice(range.start, range.end);
    const breaks = secret.match(/\r\n|\r|\n/g) ?? [];
    out += text.slice(cursor, range.start) + placeholder(range.kind) + breaks.join('');
    cursor = range.end;
  }
  return out + text.slice(cursor);
}

/**
 * Every detector runs on the whole text and the union of their ranges is redacted: secretlint's
 * preset, gitleaks' rules (provider token formats, as data), secret-named assignments in code and
 * configuration, and the extra shapes. None of them honours comments in the file.
 */
/** How long redaction may hold the thread before it lets timers and I/O run (see yieldNowAndThen). */
const SLICE_MS = 10;
let sliceStarted = performance.now();

/**
 * secretlint's scan is promise-based but never waits on I/O: files redacted one after the other
 * (a workspace run prepares thousands) ran as one macrotask, stalling the extension host's event
 * loop for over a second at 5,000 files (bench:host). A pause every SLICE_MS lets the host breathe.
 */
async function yieldNowAndThen(): Promise<void> {
  if (performance.now() - sliceStarted < SLICE_MS) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  sliceStarted = performance.now();
}

export async function redactSecrets(path: string, text: string): Promise<Redaction> {
  await yieldNowAndThen();
  const ranges = [
    ...(await detectWithSecretlint(path, text)),
    ...detectWithGitleaksRules(path, text),
    ...detectSecretAssignments(path, text),
    ...detectExtraSecrets(text),
  ].filter((r) => r.end > r.start);
  const merged = mergeRanges(ranges);
  return {
    text: merged.length > 0 ? applyRedactions(text, merged) : text,
    redactions: merged.length,
    kinds: [...new Set(merged.map((r) => r.kind))],
  };
}
