/**
 * The signatures of what a changed file imports directly, for its CHANGE block: relative JS/TS
 * imports (`./x`, `../y/z`) and relative Python imports (`from .m import a`), resolved inside the
 * folder. The imported files go through the engine's prepare step (discovery rules, never-send,
 * redaction) like any file, so a signature of a secret file or a secret never leaves; only the first
 * line of each imported function is sent, capped per import and per file; each entry keeps the
 * function's name so the review sends only the ones its excerpts use (excerpts.ts).
 */
import { access } from 'node:fs/promises';
import { join as joinPath, posix } from 'node:path';
import type { ChorusConfig } from '../config/types';
import type { OutlineEntry } from '../contract';
import { prepareFiles } from '../engine/prepare';
import { splitLines } from '../findings';
import type { Logger } from '../logger';
import { analyzeFile } from '../score/analyzeFile';
import type { RawImport } from '../score/types';
import type { Lane } from '../types';

export const MAX_ENTRIES_PER_IMPORT = 6;
export const MAX_IMPORT_ENTRIES = 18;

/** An imported file's signatures, each with the name the importing code would use. */
export interface ImportedSignatures {
  path: string;
  entries: (OutlineEntry & { name: string })[];
}

const JS_EXTENSIONS = ['', '.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '/index.ts', '/index.tsx', '/index.js'];

interface Wanted {
  /** Candidate workspace paths, the first that exists wins. */
  candidates: string[];
  /** Names the file imports from it; empty = whatever it exports (a default or namespace import). */
  names: string[];
}

/** Workspace-relative path of `spec` from `from`, or undefined when it leaves the folder. */
function join(from: string, spec: string): string | undefined {
  const joined = posix.normalize(posix.join(posix.dirname(from), spec));
  return joined.startsWith('../') || joined === '..' || posix.isAbsolute(joined) ? undefined : joined;
}

/** `import { a, b as c } from './x'` → ['a', 'b'] for spec './x'; [] for a default or namespace import. */
function jsNames(text: string, spec: string): string[] {
  const quoted = spec.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`import\\s+(?:type\\s+)?(?:[\\w$]+\\s*,\\s*)?\\{([^}]*)\\}\\s*from\\s*['"]${quoted}['"]`).exec(text);
  if (!m) return [];
  return m[1]!.split(',').map((s) => s.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]!.trim()).filter((s) => /^[\w$]+$/.test(s));
}

function wanted(path: string, text: string, raw: readonly RawImport[]): Wanted[] {
  const out: Wanted[] = [];
  for (const r of raw) {
    if (r.kind === 'js' && (r.spec.startsWith('./') || r.spec.startsWith('../'))) {
      const base = join(path, r.spec);
      if (base) out.push({ candidates: JS_EXTENSIONS.map((e) => base.replace(/\.js$/, '') + e).concat(base), names: jsNames(text, r.spec) });
    } else if (r.kind === 'python' && r.spec.startsWith('.')) {
      const dots = /^\.+/.exec(r.spec)![0].length;
      const rel = '../'.repeat(dots - 1) + r.spec.slice(dots).replace(/\./g, '/');
      const base = join(path, rel === '' ? '__init__' : rel);
      if (base) out.push({ candidates: [`${base}.py`, `${base}/__init__.py`], names: r.names ?? [] });
    }
  }
  return out;
}

/** First lines of the imported functions, by imported file; what cannot be read or sent is left out. */
export async function importOutline(
  root: string,
  file: { path: string; text: string },
  raw: readonly RawImport[],
  context: { config: ChorusConfig; logger: Logger; lane: Lane; contents?: ReadonlyMap<string, string>; signal?: AbortSignal },
): Promise<ImportedSignatures[]> {
  const want = wanted(file.path, file.text, raw).slice(0, 12);
  if (want.length === 0) return [];
  const candidates = [...new Set(want.flatMap((w) => w.candidates))].filter((p) => p !== file.path);
  // Only files that exist are asked for: prepare's skip reasons for the others are not outcomes of this run.
  const present: string[] = [];
  for (const c of candidates) {
    if (context.contents?.has(c) || (await access(joinPath(root, c)).then(() => true, () => false))) present.push(c);
  }
  if (present.length === 0) return [];
  const prepared = await prepareFiles({ root, paths: present, lane: context.lane, ...(context.contents ? { contents: context.contents } : {}), ...(context.signal ? { signal: context.signal } : {}) }, context.config, context.logger);
  const sources = new Map(prepared.sources.map((s) => [s.path, s]));
  const out: ImportedSignatures[] = [];
  let total = 0;
  for (const w of want) {
    const source = w.candidates.map((c) => sources.get(c)).find(Boolean);
    if (!source || total >= MAX_IMPORT_ENTRIES) continue;
    const analysis = await analyzeFile(source.path, source.text, source.bytes).catch(() => undefined);
    if (!analysis) continue;
    const lines = splitLines(source.text);
    const picked = analysis.functions
      .filter((f) => f.endLine > f.startLine)
      .filter((f) => (w.names.length > 0 ? w.names.includes(f.name) : /^\s*export\b/.test(lines[f.startLine - 1] ?? '')))
      .slice(0, Math.min(MAX_ENTRIES_PER_IMPORT, MAX_IMPORT_ENTRIES - total))
      .map((f) => ({ line: f.startLine, text: (lines[f.startLine - 1] ?? '').trim(), name: f.name }));
    if (picked.length === 0) continue;
    total += picked.length;
    out.push({ path: source.path, entries: picked });
  }
  return out;
}
