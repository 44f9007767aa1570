/**
 * Rules in the repository: `AGENTS.md`, `.chorus/instructions.md` and `.chorus/rules.json`, read from
 * the workspace root. They are repository content, so: only regular files whose real path stays
 * inside the root (a symlinked AGENTS.md → ~/.aws/credentials is refused), through secret redaction
 * like any file sent, control characters removed, and at most MAX_REPOSITORY_INSTRUCTION_BYTES of
 * instructions in all (cut at a line, with a warning). They may add guidance and quiet findings;
 * they never choose where code goes or switch redaction off — no field of theirs reaches those.
 */
import { lstat, readFile, realpath } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { neverSendReason, redactSecrets } from '../redact';
import { parseRulesJson, type PathRule } from './validate';
import type { Category } from '../findings/category';

export const MAX_REPOSITORY_INSTRUCTION_BYTES = 8 * 1024;
/** Larger files are not read at all (the cap would cut them anyway). */
const MAX_READ_BYTES = 1024 * 1024;

export const INSTRUCTION_FILES = ['.chorus/instructions.md', 'AGENTS.md'] as const;
export const RULES_FILE = '.chorus/rules.json';
const UNSUPPORTED = ['.chorus/rules.yaml', '.chorus/rules.yml'];

export interface RepositoryRules {
  /** Repository guidance for the prompt (redacted, capped), or undefined when there is none. */
  instructions?: string;
  categoriesOff: Category[];
  paths: PathRule[];
  /** Workspace-relative files that contributed. */
  sources: string[];
  /** Said to the user; never quote the files' content. */
  warnings: string[];
  /** A rules file that does not validate (path + field); its rules are not applied. */
  errors: string[];
}

export function noRepositoryRules(): RepositoryRules {
  return { categoriesOff: [], paths: [], sources: [], warnings: [], errors: [] };
}

/** Text of `rel` under `root`, or undefined when absent; a reason when it may not be used. */
async function readInside(root: string, rel: string): Promise<{ text?: string; refused?: string }> {
  const path = join(root, rel);
  const info = await lstat(path).catch(() => undefined);
  if (!info) return {};
  if (info.isSymbolicLink()) {
    const [real, realRoot] = await Promise.all([realpath(path).catch(() => undefined), realpath(root).catch(() => root)]);
    const inside = real !== undefined && !relative(realRoot, real).startsWith('..') && !relative(realRoot, real).startsWith(sep);
    if (!inside) return { refused: `${rel} is a link to outside the workspace; not used` };
  } else if (!info.isFile()) return { refused: `${rel} is not a regular file; not used` };
  const size = (await lstat(await realpath(path)).catch(() => info)).size;
  if (size > MAX_READ_BYTES) return { refused: `${rel} is ${Math.round(size / 1024)} KB, over ${MAX_READ_BYTES / 1024} KB; not used` };
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return { refused: `${rel} cannot be read; not used` };
  const never = neverSendReason(rel, text);
  if (never) return { refused: `${rel} looks like a ${never}; not used` };
  return { text };
}

/** Tabs and line breaks stay; other control, bidi-override and zero-width format characters go. */
export function stripControl(text: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '');
}

async function clean(rel: string, text: string, warnings: string[]): Promise<string> {
  const redacted = await redactSecrets(rel, stripControl(text));
  if (redacted.redactions > 0) warnings.push(`${rel}: ${redacted.redactions} secret(s) redacted before sending`);
  return redacted.text.trim();
}

/** Cut to `bytes` of UTF-8 at a line end (or a code point when one line is longer). */
function cutTo(text: string, bytes: number): string {
  if (Buffer.byteLength(text) <= bytes) return text;
  let out = Buffer.from(text).subarray(0, bytes).toString('utf8').replace(/\uFFFD$/, '');
  const lastBreak = out.lastIndexOf('\n');
  if (lastBreak > bytes / 2) out = out.slice(0, lastBreak);
  return out;
}

export async function loadRepositoryRules(root: string): Promise<RepositoryRules> {
  const rules = noRepositoryRules();
  const sections: { source: string; text: string }[] = [];
  for (const rel of INSTRUCTION_FILES) {
    const { text, refused } = await readInside(root, rel);
    if (refused) rules.warnings.push(refused);
    if (text === undefined) continue;
    const cleaned = await clean(rel, text, rules.warnings);
    if (cleaned) {
      sections.push({ source: rel, text: cleaned });
      rules.sources.push(rel);
    }
  }
  for (const rel of UNSUPPORTED) {
    if (await lstat(join(root, rel)).then(() => true, () => false)) rules.warnings.push(`${rel} is not read (no YAML parser is bundled); write the same rules as ${RULES_FILE}`);
  }
  const { text, refused } = await readInside(root, RULES_FILE);
  if (refused) rules.warnings.push(refused);
  if (text !== undefined) {
    const parsed = parseRulesJson(text, RULES_FILE);
    if (!parsed.ok) rules.errors.push(...parsed.errors);
    else {
      rules.sources.push(RULES_FILE);
      rules.categoriesOff = parsed.rules.categoriesOff;
      const general = parsed.rules.instructions ? await clean(RULES_FILE, parsed.rules.instructions, rules.warnings) : '';
      if (general) sections.push({ source: RULES_FILE, text: general });
      for (const p of parsed.rules.paths) {
        const own = p.instructions ? await clean(RULES_FILE, p.instructions, rules.warnings) : '';
        rules.paths.push({ ...p, ...(own ? { instructions: own } : {}) });
        // The globs are JSON-quoted: a glob is data, and it cannot end the line it is on.
        if (own) sections.push({ source: RULES_FILE, text: `For files matching ${p.files.map((g) => JSON.stringify(stripControl(g))).join(', ')}: ${own}` });
      }
    }
  }
  if (sections.length > 0) rules.instructions = capped(sections, rules.warnings);
  return rules;
}

/** Sections in order until the cap; the one that crosses it is cut, later ones are left out (said). */
function capped(sections: readonly { source: string; text: string }[], warnings: string[]): string {
  const out: string[] = [];
  let used = 0;
  const left: string[] = [];
  for (const s of sections) {
    const bytes = Buffer.byteLength(s.text) + 2;
    if (used + bytes <= MAX_REPOSITORY_INSTRUCTION_BYTES) {
      out.push(s.text);
      used += bytes;
      continue;
    }
    const room = MAX_REPOSITORY_INSTRUCTION_BYTES - used - 2;
    if (room > 200) {
      out.push(cutTo(s.text, room));
      used = MAX_REPOSITORY_INSTRUCTION_BYTES;
    }
    if (!left.includes(s.source)) left.push(s.source);
  }
  if (left.length > 0) {
    warnings.push(`repository instructions are capped at ${MAX_REPOSITORY_INSTRUCTION_BYTES / 1024} KB: ${left.join(', ')} cut or left out; shorten them to send all of it`);
  }
  return out.join('\n\n');
}

/** Where the editor keeps dismissals (`chorus.baselinePath`'s default), relative to the root. */
export const BASELINE_FILE = '.chorus/baseline.json';

/**
 * The folder's committed baseline, when it has one (a regular file or a link inside the root):
 * dismissals made in the editor then hold for `chorus analyze` in CI too.
 */
export async function committedBaseline(root: string): Promise<string | undefined> {
  const path = join(root, BASELINE_FILE);
  const info = await lstat(path).catch(() => undefined);
  if (!info) return undefined;
  if (info.isSymbolicLink()) {
    const [real, realRoot] = await Promise.all([realpath(path).catch(() => undefined), realpath(root).catch(() => root)]);
    return real !== undefined && !relative(realRoot, real).startsWith('..') ? path : undefined;
  }
  return info.isFile() ? path : undefined;
}
