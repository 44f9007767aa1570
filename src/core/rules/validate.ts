/**
 * `.chorus/rules.json`: validated by hand so every error names the file and the field
 * (`.chorus/rules.json: paths[2].severity.no-eval: expected error, warning, info or off`). The file
 * is repository content: nothing in it may choose a destination or switch redaction off, and
 * nothing in it is trusted to be well formed.
 *
 *   {
 *     "instructions": "Applies to every file.",
 *     "categoriesOff": ["maintainability"],
 *     "paths": [
 *       { "files": ["test/**"], "instructions": "Fixtures may use eval.", "severity": { "no-eval": "info" }, "categoriesOff": ["performance"] }
 *     ]
 *   }
 */
import { CATEGORIES, isCategory, type Category } from '../findings/category';
import { isSeverity, type PathOverride } from '../findings/noise';
import type { Severity } from '../contract';

export interface PathRule extends PathOverride {
  instructions?: string;
}

export interface RulesFile {
  instructions?: string;
  categoriesOff: Category[];
  paths: PathRule[];
}

export type ParsedRules = { ok: true; rules: RulesFile } | { ok: false; errors: string[] };

const TOP_KEYS = ['$schema', 'version', 'instructions', 'categoriesOff', 'paths'];
const PATH_KEYS = ['files', 'instructions', 'severity', 'categoriesOff'];
const MAX_PATHS = 200;
const MAX_GLOBS = 50;
const RULE_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** A name from the file, quoted for an error message: short, one line, no control characters. */
function shown(name: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const clean = name.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
  return JSON.stringify(clean.length > 40 ? `${clean.slice(0, 39)}…` : clean);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

export function parseRulesJson(text: string, file: string): ParsedRules {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    // V8's message quotes the text; the position is enough.
    const at = err instanceof Error ? /position (\d+)/.exec(err.message)?.[1] : undefined;
    return { ok: false, errors: [`${file}: not valid JSON${at ? ` (at character ${at})` : ''}`] };
  }
  if (!isRecord(value)) return { ok: false, errors: [`${file}: expected an object at the top level`] };
  const errors: string[] = [];
  const err = (field: string, message: string) => errors.push(`${file}: ${field}: ${message}`);
  for (const key of Object.keys(value)) if (!TOP_KEYS.includes(key)) err(shown(key), `unknown field (expected one of ${TOP_KEYS.slice(1).join(', ')})`);
  if (value.version !== undefined && value.version !== 1) err('version', 'expected 1');
  const rules: RulesFile = { categoriesOff: [], paths: [] };
  if (value.instructions !== undefined) {
    if (typeof value.instructions === 'string') rules.instructions = value.instructions;
    else err('instructions', 'expected a string');
  }
  rules.categoriesOff = categories(value.categoriesOff, 'categoriesOff', err);
  if (value.paths !== undefined) {
    if (!Array.isArray(value.paths)) err('paths', 'expected an array');
    else if (value.paths.length > MAX_PATHS) err('paths', `at most ${MAX_PATHS} entries, got ${value.paths.length}`);
    else value.paths.forEach((entry, i) => {
      const rule = pathRule(entry, `paths[${i}]`, err);
      if (rule) rules.paths.push(rule);
    });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, rules };
}

type Report = (field: string, message: string) => void;

function categories(value: unknown, field: string, err: Report): Category[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    err(field, `expected an array of categories (${CATEGORIES.join(', ')})`);
    return [];
  }
  const out: Category[] = [];
  value.forEach((c, i) => {
    if (isCategory(c)) out.push(c);
    else err(`${field}[${i}]`, `${typeof c === 'string' ? shown(c) : typeof c} is not a category (${CATEGORIES.join(', ')})`);
  });
  return out;
}

function pathRule(entry: unknown, field: string, err: Report): PathRule | undefined {
  if (!isRecord(entry)) {
    err(field, 'expected an object with "files"');
    return undefined;
  }
  for (const key of Object.keys(entry)) if (!PATH_KEYS.includes(key)) err(`${field}.${shown(key)}`, `unknown field (expected one of ${PATH_KEYS.join(', ')})`);
  const files = typeof entry.files === 'string' ? [entry.files] : entry.files;
  const globs: string[] = [];
  if (!Array.isArray(files) || files.length === 0) err(`${field}.files`, 'expected a glob or a non-empty array of globs');
  else if (files.length > MAX_GLOBS) err(`${field}.files`, `at most ${MAX_GLOBS} globs, got ${files.length}`);
  else files.forEach((g, i) => {
    if (typeof g !== 'string' || g.trim() === '' || g.length > 500) err(`${field}.files[${i}]`, 'expected a non-empty glob of at most 500 characters');
    else if (g.startsWith('/') || g.split('/').includes('..')) err(`${field}.files[${i}]`, `${shown(g)} must be relative to the workspace (no leading / or ..)`);
    else globs.push(g);
  });
  const rule: PathRule = { files: globs };
  if (entry.instructions !== undefined) {
    if (typeof entry.instructions === 'string') rule.instructions = entry.instructions;
    else err(`${field}.instructions`, 'expected a string');
  }
  if (entry.severity !== undefined) {
    if (!isRecord(entry.severity)) err(`${field}.severity`, 'expected an object of rule id → error, warning, info or off');
    else {
      const severity: Record<string, Severity | 'off'> = {};
      for (const [ruleId, s] of Object.entries(entry.severity)) {
        if (!RULE_ID.test(ruleId)) err(`${field}.severity.${shown(ruleId)}`, 'not a rule id (lower-case letters, digits and -)');
        else if (s !== 'off' && !isSeverity(s)) err(`${field}.severity.${ruleId}`, 'expected error, warning, info or off');
        else severity[ruleId] = s;
      }
      rule.severity = severity;
    }
  }
  const off = categories(entry.categoriesOff, `${field}.categoriesOff`, err);
  if (off.length > 0) rule.categoriesOff = off;
  return rule;
}
