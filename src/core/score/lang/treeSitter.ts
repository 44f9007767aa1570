/**
 * web-tree-sitter set-up: one init per thread, one Parser and one compiled Query per language,
 * loaded on first use (a grammar costs tens of milliseconds to compile; most runs need two or three).
 */
import { readFile } from 'node:fs/promises';
import { Language, Parser, Query } from 'web-tree-sitter';
import { GRAMMAR_FILE, type LanguageId } from './languages';
import { queryFor } from './queries';
import { wasmPath } from './grammarFiles';

export interface LoadedLanguage {
  id: LanguageId;
  language: Language;
  parser: Parser;
  /** The one query whose captures give functions, decisions, nesting, imports and comments. */
  query: Query;
}

let initialized: Promise<void> | undefined;
const loaded = new Map<LanguageId, Promise<LoadedLanguage>>();

function init(): Promise<void> {
  initialized ??= Parser.init({ locateFile: () => wasmPath('web-tree-sitter.wasm') });
  return initialized;
}

export function loadLanguage(id: LanguageId): Promise<LoadedLanguage> {
  let entry = loaded.get(id);
  if (!entry) {
    entry = (async () => {
      await init();
      const language = await Language.load(await readFile(wasmPath(GRAMMAR_FILE[id])));
      const parser = new Parser();
      parser.setLanguage(language);
      return { id, language, parser, query: new Query(language, queryFor(id)) };
    })();
    // A failed load must not poison later attempts with the same rejected promise.
    entry.catch(() => loaded.delete(id));
    loaded.set(id, entry);
  }
  return entry;
}

/** Whether a language is already loaded (so the next file will not pay for compiling it). */
export function isLoaded(id: LanguageId): boolean {
  return loaded.has(id);
}
