/**
 * Which files Chorus can parse, and with which tree-sitter grammar.
 * Everything else is scored by size only, and says so (`note`).
 */

export type LanguageId =
  | 'typescript' | 'tsx' | 'javascript' | 'python' | 'go' | 'java'
  | 'rust' | 'c' | 'cpp' | 'csharp';

/** Grammar wasm file name for each language (see grammarFiles.ts for where they live). */
export const GRAMMAR_FILE: Record<LanguageId, string> = {
  typescript: 'tree-sitter-typescript.wasm',
  tsx: 'tree-sitter-tsx.wasm',
  javascript: 'tree-sitter-javascript.wasm',
  python: 'tree-sitter-python.wasm',
  go: 'tree-sitter-go.wasm',
  java: 'tree-sitter-java.wasm',
  rust: 'tree-sitter-rust.wasm',
  c: 'tree-sitter-c.wasm',
  cpp: 'tree-sitter-cpp.wasm',
  csharp: 'tree-sitter-c-sharp.wasm',
};

const BY_EXTENSION: Record<string, LanguageId> = {
  ts: 'typescript', mts: 'typescript', cts: 'typescript',
  tsx: 'tsx',
  // The JavaScript grammar parses JSX too.
  js: 'javascript', mjs: 'javascript', cjs: 'javascript', jsx: 'javascript',
  py: 'python', pyi: 'python',
  go: 'go',
  java: 'java',
  rs: 'rust',
  // A `.h` may be C or C++; the C grammar is the safer choice (C++ parses most C, not the reverse
  // for K&R-isms), and C++-only headers conventionally use .hpp/.hh.
  c: 'c', h: 'c',
  cc: 'cpp', cpp: 'cpp', cxx: 'cpp', 'c++': 'cpp', hpp: 'cpp', hh: 'cpp', hxx: 'cpp', ipp: 'cpp',
  cs: 'csharp',
};

/** The extension of a path, lower-cased, without the dot ('' when there is none). */
export function extensionOf(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1).toLowerCase();
}

export function languageForPath(path: string): LanguageId | undefined {
  // `foo.d.ts` declares types only; it still parses as TypeScript and simply has no functions.
  return BY_EXTENSION[extensionOf(path)];
}

export const ALL_LANGUAGES = Object.keys(GRAMMAR_FILE) as LanguageId[];
