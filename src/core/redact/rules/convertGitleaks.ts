/**
 * Turns gitleaks' published rule file (config/gitleaks.toml, MIT) into gitleaks.json, the data the
 * redactor loads. Run it when updating the rules:
 *
 *   npx tsx src/core/redact/rules/convertGitleaks.ts path/to/gitleaks.toml <commit> > src/core/redact/rules/gitleaks.json
 *
 * It reads only the subset of TOML that file is generated in (tables, arrays of tables, literal and
 * basic strings, numbers, arrays of strings); anything else is an error rather than a silent guess.
 * Regexes stay in Go syntax here: goRegex.ts converts them when they are loaded.
 */
import { readFileSync } from 'node:fs';

export interface GitleaksAllowlist {
  condition?: 'AND' | 'OR';
  regexTarget?: 'secret' | 'match' | 'line';
  regexes?: string[];
  stopwords?: string[];
  paths?: string[];
}

export interface GitleaksRule {
  id: string;
  regex?: string;
  path?: string;
  secretGroup?: number;
  entropy?: number;
  keywords?: string[];
  allowlists?: GitleaksAllowlist[];
}

export interface GitleaksRuleFile {
  source: { repository: string; file: string; commit: string; license: string };
  allowlist: GitleaksAllowlist;
  rules: GitleaksRule[];
}

type Value = string | number | string[];
type Table = Record<string, Value>;

/** Reads one value starting at `text[i]`; returns it and the index after it. */
function readValue(text: string, i: number): [Value, number] {
  if (text.startsWith("'''", i)) {
    const end = text.indexOf("'''", i + 3);
    if (end < 0) throw new Error('unterminated literal string');
    return [text.slice(i + 3, end), end + 3];
  }
  if (text[i] === "'") {
    const end = text.indexOf("'", i + 1);
    return [text.slice(i + 1, end), end + 1];
  }
  if (text[i] === '"') {
    let out = '';
    let j = i + 1;
    for (; text[j] !== '"'; j++) {
      if (j >= text.length) throw new Error('unterminated string');
      if (text[j] === '\\') {
        j++;
        const esc: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };
        if (!(text[j]! in esc)) throw new Error(`unsupported escape \\${text[j]}`);
        out += esc[text[j]!];
      } else out += text[j];
    }
    return [out, j + 1];
  }
  if (text[i] === '[') {
    const items: string[] = [];
    let j = i + 1;
    for (;;) {
      while (/[\s,]/.test(text[j] ?? '')) j++;
      if (text[j] === '#') j = text.indexOf('\n', j);
      else if (text[j] === ']') return [items, j + 1];
      else {
        const [item, next] = readValue(text, j);
        if (typeof item !== 'string') throw new Error('only arrays of strings are supported');
        items.push(item);
        j = next;
      }
    }
  }
  const number = /^-?\d+(?:\.\d+)?/.exec(text.slice(i, i + 32));
  if (number) return [Number(number[0]), i + number[0].length];
  throw new Error(`unsupported value at offset ${i}: ${text.slice(i, i + 20)}`);
}

/** The tables of the file in order, each tagged with its header (`''` for the top level). */
export function parseTomlSubset(text: string): { header: string; table: Table }[] {
  const tables: { header: string; table: Table }[] = [{ header: '', table: {} }];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) i++;
    else if (ch === '#') i = text.indexOf('\n', i) < 0 ? text.length : text.indexOf('\n', i);
    else if (ch === '[') {
      const end = text.indexOf('\n', i);
      const header = text.slice(i, end < 0 ? text.length : end).trim();
      if (!/^\[\[?[\w.]+\]\]?$/.test(header)) throw new Error(`unsupported header ${header}`);
      tables.push({ header, table: {} });
      i = end < 0 ? text.length : end;
    } else {
      const key = /^([\w-]+)\s*=\s*/.exec(text.slice(i, i + 64));
      if (!key) throw new Error(`unsupported line at offset ${i}: ${text.slice(i, i + 20)}`);
      const [value, next] = readValue(text, i + key[0].length);
      tables[tables.length - 1]!.table[key[1]!] = value;
      i = next;
    }
  }
  return tables;
}

const str = (v: Value | undefined) => (typeof v === 'string' ? v : undefined);
const strs = (v: Value | undefined) => (Array.isArray(v) ? v : undefined);

function allowlistOf(t: Table): GitleaksAllowlist {
  const out: GitleaksAllowlist = {};
  if (t.condition === 'AND' || t.condition === 'OR') out.condition = t.condition;
  if (t.regexTarget === 'secret' || t.regexTarget === 'match' || t.regexTarget === 'line') out.regexTarget = t.regexTarget;
  if (strs(t.regexes)) out.regexes = strs(t.regexes);
  if (strs(t.stopwords)) out.stopwords = strs(t.stopwords);
  if (strs(t.paths)) out.paths = strs(t.paths);
  return out;
}

export function convertGitleaksToml(toml: string, commit: string, license: string): GitleaksRuleFile {
  const file: GitleaksRuleFile = {
    source: { repository: 'github.com/gitleaks/gitleaks', file: 'config/gitleaks.toml', commit, license },
    allowlist: {},
    rules: [],
  };
  for (const { header, table } of parseTomlSubset(toml)) {
    if (header === '[allowlist]') file.allowlist = allowlistOf(table);
    else if (header === '[[rules]]') {
      const id = str(table.id);
      if (!id) throw new Error('a rule without id');
      const rule: GitleaksRule = { id };
      if (str(table.regex)) rule.regex = str(table.regex);
      if (str(table.path)) rule.path = str(table.path);
      if (typeof table.secretGroup === 'number') rule.secretGroup = table.secretGroup;
      if (typeof table.entropy === 'number') rule.entropy = table.entropy;
      if (strs(table.keywords)) rule.keywords = strs(table.keywords);
      file.rules.push(rule);
    } else if (header === '[[rules.allowlists]]') {
      const rule = file.rules[file.rules.length - 1];
      if (!rule) throw new Error('an allowlist before any rule');
      (rule.allowlists ??= []).push(allowlistOf(table));
    }
  }
  return file;
}

if (process.argv[1]?.endsWith('convertGitleaks.ts') && process.argv[2] && process.argv[3]) {
  const license = process.argv[4] ? readFileSync(process.argv[4], 'utf8') : 'MIT License, Copyright (c) 2019 Zachary Rice';
  process.stdout.write(JSON.stringify(convertGitleaksToml(readFileSync(process.argv[2], 'utf8'), process.argv[3], license), null, 1) + '\n');
}
