/**
 * Discover: which files of a workspace folder enter a run, and their text. Every file that enters
 * leaves with text or a reason (binary, too large, undecodable, unreadable); files hidden by
 * .gitignore or the include/exclude globs never enter a whole-folder run.
 */
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, normalize, relative, sep } from 'node:path';
import type { OutcomeCode } from '../outcome';
import { changedSince } from './changedSince';
import { decodeText, hasBinaryExtension } from './decode';
import { createPathFilter, gitignoreFor, listFiles } from './listFiles';

export { GitError } from './changedSince';
export { decodeText } from './decode';

export interface DiscoverOptions {
  /** Absolute path of the workspace folder. */
  root: string;
  include: readonly string[];
  exclude: readonly string[];
  maxFileKb: number;
  /** Explicit workspace-relative paths (a save, a burst); omitted = the whole folder. */
  paths?: readonly string[];
  /** Newest contents by path (unsaved editors): used instead of the disk. */
  contents?: ReadonlyMap<string, string>;
  /** Limit to files changed since this git ref. */
  changedSince?: string;
  signal?: AbortSignal;
}

export interface DiscoveredFile {
  path: string;
  /** Decoded, not yet redacted. */
  text: string;
  /** Size of the original file in bytes. */
  bytes: number;
  encoding: string;
}

export interface SkippedFile {
  path: string;
  reason: string;
  /** The reason as data (src/core/outcome.ts). */
  code: OutcomeCode;
}

export interface Discovery {
  files: DiscoveredFile[];
  skipped: SkippedFile[];
}

/** Workspace-relative, forward slashes; undefined when the path leaves the folder. */
export function toWorkspacePath(root: string, path: string): string | undefined {
  const rel = isAbsolute(path) ? relative(root, path) : normalize(path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

async function candidates(options: DiscoverOptions, skipped: SkippedFile[]): Promise<string[]> {
  const filter = createPathFilter(options.include, options.exclude);
  if (!options.paths) return listFiles(options.root, filter, options.signal);
  const out: string[] = [];
  for (const requested of options.paths) {
    const path = toWorkspacePath(options.root, requested);
    if (!path) {
      skipped.push({ path: requested, reason: 'outside the workspace folder', code: 'outside-workspace' });
    } else if (!filter.accepts(path, await gitignoreFor(options.root, path))) {
      skipped.push({ path, reason: 'excluded by .gitignore or the include/exclude settings', code: 'excluded' });
    } else if (!out.includes(path)) {
      out.push(path);
    }
  }
  return out;
}

/**
 * Control characters and line breaks (C0, DEL, C1, U+2028/2029) in a file's name. Legal on Linux and
 * macOS, but a name is repository content sent in the prompt's FILE header: a line break in it could
 * close the header and forge markers of its own (`a\n<<<CHORUS END FILE>>>\n…`), so such a file is
 * never sent.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_NAME = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

async function load(options: DiscoverOptions, path: string): Promise<DiscoveredFile | SkippedFile> {
  if (UNSAFE_NAME.test(path)) return { path, reason: 'its name holds a control character or line break (it could forge the prompt’s file markers): never sent', code: 'unsafe-name' };
  const unsaved = options.contents?.get(path);
  const limit = options.maxFileKb * 1024;
  if (unsaved !== undefined) {
    const bytes = Buffer.byteLength(unsaved, 'utf8');
    if (bytes > limit) return { path, reason: `larger than maxFileKb (${Math.ceil(bytes / 1024)} KB > ${options.maxFileKb} KB)`, code: 'too-large' };
    return { path, text: unsaved, bytes, encoding: 'utf-8' };
  }
  if (hasBinaryExtension(path)) return { path, reason: 'binary file', code: 'binary' };
  const abs = join(options.root, path);
  try {
    const info = await stat(abs);
    if (!info.isFile()) return { path, reason: 'not a regular file', code: 'not-a-file' };
    if (info.size > limit) {
      return { path, reason: `larger than maxFileKb (${Math.ceil(info.size / 1024)} KB > ${options.maxFileKb} KB)`, code: 'too-large' };
    }
    const raw = await readFile(abs);
    const decoded = decodeText(raw);
    if (!decoded.ok) return { path, reason: decoded.reason, code: decoded.binary ? 'binary' : 'undecodable' };
    return { path, text: decoded.text, bytes: raw.length, encoding: decoded.encoding };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? { path, reason: 'file not found', code: 'not-found' } : { path, reason: `unreadable (${code ?? String(err)})`, code: 'unreadable' };
  }
}

export async function discover(options: DiscoverOptions): Promise<Discovery> {
  const skipped: SkippedFile[] = [];
  let paths = await candidates(options, skipped);
  if (options.changedSince !== undefined) {
    const changed = await changedSince(options.root, options.changedSince);
    paths = paths.filter((p) => changed.has(p));
  }
  const files: DiscoveredFile[] = [];
  for (const path of paths) {
    options.signal?.throwIfAborted();
    const loaded = await load(options, path);
    if ('text' in loaded) files.push(loaded);
    else skipped.push(loaded);
  }
  return { files, skipped };
}
