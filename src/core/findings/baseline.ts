/**
 * The baseline (`.chorus/baseline.json` by default): findings a team has accepted or dismissed,
 * written by `chorus baseline` and by the editor's "Ignore this finding" / "Ignore similar", read by
 * the CLI and the extension to suppress them. Plain JSON meant to be committed: entries sorted, one
 * per line and `createdAt` kept on update, so two branches that each dismiss findings merge cleanly.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Finding } from '../types';

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  fingerprint: string;
  /** Human context for reviewers; only fingerprints are used for matching. */
  file: string;
  ruleId: string;
  startLine: number;
  message: string;
}

/** "Ignore similar": every finding of this rule in this file. */
export interface SimilarEntry {
  file: string;
  ruleId: string;
}

export interface BaselineFile {
  version: number;
  createdAt: string;
  findings: BaselineEntry[];
  ignoredRules?: SimilarEntry[];
}

export class BaselineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BaselineError';
  }
}

/**
 * The fingerprints of a baseline (a Set, as the engine has always used it) and its "ignore similar"
 * entries, which match by file and rule instead.
 */
export class Baseline extends Set<string> {
  readonly #similar = new Set<string>();

  constructor(fingerprints: Iterable<string> = [], similar: Iterable<SimilarEntry> = []) {
    super(fingerprints);
    for (const s of similar) this.#similar.add(similarKey(s));
  }

  suppresses(finding: Pick<Finding, 'fingerprint' | 'file' | 'ruleId'>): boolean {
    return this.has(finding.fingerprint) || this.#similar.has(similarKey(finding));
  }
}

/** For callers holding a plain Set of fingerprints or a Baseline. */
export function baselineSuppresses(baseline: ReadonlySet<string>, finding: Pick<Finding, 'fingerprint' | 'file' | 'ruleId'>): boolean {
  return baseline instanceof Baseline ? baseline.suppresses(finding) : baseline.has(finding.fingerprint);
}

function similarKey(s: SimilarEntry): string {
  return `${s.file}\0${s.ruleId}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** The file's entries, those without the fields they need dropped (a hand edit gone wrong). */
export function parseBaseline(text: string, path: string): BaselineFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new BaselineError(`Baseline ${path} is not valid JSON.`);
  }
  if (!isRecord(parsed) || !Array.isArray(parsed.findings)) throw new BaselineError(`Baseline ${path} has no "findings" array.`);
  const findings = parsed.findings.filter(isRecord).flatMap((f): BaselineEntry[] =>
    typeof f.fingerprint === 'string'
      ? [{ fingerprint: f.fingerprint, file: str(f.file), ruleId: str(f.ruleId), startLine: Number.isInteger(f.startLine) ? (f.startLine as number) : 0, message: str(f.message) }]
      : [],
  );
  const ignoredRules = (Array.isArray(parsed.ignoredRules) ? parsed.ignoredRules : [])
    .filter(isRecord)
    .flatMap((s): SimilarEntry[] => (typeof s.file === 'string' && typeof s.ruleId === 'string' ? [{ file: s.file, ruleId: s.ruleId }] : []));
  return {
    version: BASELINE_VERSION,
    createdAt: typeof parsed.createdAt === 'string' ? parsed.createdAt : new Date(0).toISOString(),
    findings,
    ...(ignoredRules.length > 0 ? { ignoredRules } : {}),
  };
}

export async function readBaselineFile(path: string): Promise<BaselineFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new BaselineError(`Cannot read baseline ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}. Create it with \`chorus baseline --output ${path}\`.`);
  }
  return parseBaseline(text, path);
}

export async function readBaseline(path: string): Promise<Baseline> {
  const file = await readBaselineFile(path);
  return new Baseline(
    file.findings.map((f) => f.fingerprint),
    file.ignoredRules ?? [],
  );
}

const byEntry = (a: BaselineEntry, b: BaselineEntry) =>
  cmp(a.file, b.file) || a.startLine - b.startLine || cmp(a.ruleId, b.ruleId) || cmp(a.fingerprint, b.fingerprint);
const bySimilar = (a: SimilarEntry, b: SimilarEntry) => cmp(a.file, b.file) || cmp(a.ruleId, b.ruleId);

/** Locale-independent, so two machines sort the same file the same way. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One entry per line, sorted: a dismissal is a one-line diff. */
export function serializeBaseline(file: BaselineFile): string {
  const findings = [...new Map(file.findings.map((f) => [f.fingerprint, f])).values()].sort(byEntry);
  const similar = [...new Map((file.ignoredRules ?? []).map((s) => [similarKey(s), s])).values()].sort(bySimilar);
  const list = (items: readonly object[]) => (items.length === 0 ? '[]' : `[\n${items.map((i) => `    ${JSON.stringify(i)}`).join(',\n')}\n  ]`);
  const parts = [
    `  "version": ${BASELINE_VERSION}`,
    `  "createdAt": ${JSON.stringify(file.createdAt)}`,
    `  "findings": ${list(findings.map((f) => ({ fingerprint: f.fingerprint, file: f.file, ruleId: f.ruleId, startLine: f.startLine, message: f.message })))}`,
    ...(similar.length > 0 ? [`  "ignoredRules": ${list(similar.map((s) => ({ file: s.file, ruleId: s.ruleId })))}`] : []),
  ];
  return `{\n${parts.join(',\n')}\n}\n`;
}

/** Written beside and renamed over: a reader (another window, the CLI) never sees half a file. */
async function writeAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}

export function entryOf(f: Finding): BaselineEntry {
  return { fingerprint: f.fingerprint, file: f.file, ruleId: f.ruleId, startLine: f.startLine, message: f.message };
}

export async function writeBaseline(path: string, findings: readonly Finding[], now = new Date()): Promise<BaselineFile> {
  const file: BaselineFile = { version: BASELINE_VERSION, createdAt: now.toISOString(), findings: findings.map(entryOf) };
  await writeAtomically(path, serializeBaseline(file));
  return parseBaseline(serializeBaseline(file), path);
}

async function readOrEmpty(path: string, now: Date): Promise<BaselineFile> {
  try {
    return parseBaseline(await readFile(path, 'utf8'), path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: BASELINE_VERSION, createdAt: now.toISOString(), findings: [] };
    throw err instanceof BaselineError ? err : new BaselineError(`Cannot read baseline ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

export interface DismissalChange {
  findings?: readonly Finding[];
  similar?: readonly SimilarEntry[];
}

/** Adds dismissals to the baseline (created when missing); what was there stays, once per fingerprint. */
export async function addDismissals(path: string, change: DismissalChange, now = new Date()): Promise<BaselineFile> {
  const file = await readOrEmpty(path, now);
  const known = new Set(file.findings.map((f) => f.fingerprint));
  const added = (change.findings ?? []).filter((f) => !known.has(f.fingerprint) && known.add(f.fingerprint)).map(entryOf);
  const next: BaselineFile = {
    ...file,
    findings: [...file.findings, ...added],
    ignoredRules: [...(file.ignoredRules ?? []), ...(change.similar ?? [])],
  };
  await writeAtomically(path, serializeBaseline(next));
  return parseBaseline(serializeBaseline(next), path);
}

/** Removes dismissals (Show Ignored → restore); a missing file has nothing to remove. */
export async function removeDismissals(path: string, change: { fingerprints?: readonly string[]; similar?: readonly SimilarEntry[] }, now = new Date()): Promise<BaselineFile> {
  const file = await readOrEmpty(path, now);
  const fingerprints = new Set(change.fingerprints ?? []);
  const similar = new Set((change.similar ?? []).map(similarKey));
  const next: BaselineFile = {
    ...file,
    findings: file.findings.filter((f) => !fingerprints.has(f.fingerprint)),
    ignoredRules: (file.ignoredRules ?? []).filter((s) => !similar.has(similarKey(s))),
  };
  await writeAtomically(path, serializeBaseline(next));
  return parseBaseline(serializeBaseline(next), path);
}
