/**
 * The baseline: fingerprints of findings a team has accepted, written by `chorus baseline` and read
 * by the CLI and the extension to suppress them. Plain JSON so it can be reviewed and committed.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Finding } from '../types';

export const BASELINE_VERSION = 1;

export interface BaselineFile {
  version: number;
  createdAt: string;
  /** Human context for reviewers; only fingerprints are used for matching. */
  findings: { fingerprint: string; file: string; ruleId: string; startLine: number; message: string }[];
}

export class BaselineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BaselineError';
  }
}

export async function readBaseline(path: string): Promise<Set<string>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new BaselineError(`Cannot read baseline ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}. Create it with \`chorus baseline --output ${path}\`.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new BaselineError(`Baseline ${path} is not valid JSON.`);
  }
  const findings = (parsed as Partial<BaselineFile> | null)?.findings;
  if (!Array.isArray(findings)) throw new BaselineError(`Baseline ${path} has no "findings" array.`);
  const fingerprints = findings
    .map((f: unknown) => (f && typeof f === 'object' ? (f as { fingerprint?: unknown }).fingerprint : undefined))
    .filter((fp): fp is string => typeof fp === 'string');
  return new Set(fingerprints);
}

export async function writeBaseline(path: string, findings: readonly Finding[], now = new Date()): Promise<BaselineFile> {
  const file: BaselineFile = {
    version: BASELINE_VERSION,
    createdAt: now.toISOString(),
    findings: [...findings]
      .sort((a, b) => a.file.localeCompare(b.file) || a.startLine - b.startLine || a.ruleId.localeCompare(b.ruleId))
      .map((f) => ({ fingerprint: f.fingerprint, file: f.file, ruleId: f.ruleId, startLine: f.startLine, message: f.message })),
  };
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify(file, null, 2) + '\n');
  return file;
}
