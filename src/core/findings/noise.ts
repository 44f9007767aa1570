/**
 * Noise control, in one function for every host: the repository's per-path overrides (rule
 * severities, categories off), then the user's categories off, minimum severity and at most N
 * findings per file (the most severe kept). It filters what is shown, never what is cached: a
 * changed setting re-renders the same findings without another call. What it hides is counted by
 * reason, so a host can say "3 hidden" instead of leaving the user to wonder.
 */
import picomatch from 'picomatch';
import { SEVERITIES, type Severity } from '../contract';
import type { Finding } from '../types';
import { CATEGORIES, categoryOf, isCategory, type Category } from './category';

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** One entry of `.chorus/rules.json` as noise control sees it (globs are workspace-relative). */
export interface PathOverride {
  files: readonly string[];
  /** Rule id → the severity it is shown with, or `off`. */
  severity?: Readonly<Record<string, Severity | 'off'>>;
  categoriesOff?: readonly Category[];
}

export interface NoiseOptions {
  /** Findings below this severity are hidden. */
  minSeverity?: Severity;
  /** At most this many findings per file, the most severe first (0 or absent: no cap). */
  maxPerFile?: number;
  categoriesOff?: readonly Category[];
  overrides?: readonly PathOverride[];
}

export interface Hidden {
  rule: number;
  category: number;
  severity: number;
  cap: number;
}

export interface NoiseResult {
  shown: Finding[];
  hidden: Hidden;
}

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}

const matchers = new WeakMap<PathOverride, (path: string) => boolean>();

function matches(override: PathOverride, path: string): boolean {
  let match = matchers.get(override);
  if (!match) {
    match = override.files.length > 0 ? picomatch([...override.files], { dot: true }) : () => false;
    matchers.set(override, match);
  }
  return match(path);
}

export function emptyHidden(): Hidden {
  return { rule: 0, category: 0, severity: 0, cap: 0 };
}

/** The findings of one file, as shown under these options. */
export function applyNoise(path: string, findings: readonly Finding[], options: NoiseOptions): NoiseResult {
  const hidden = emptyHidden();
  const applicable = (options.overrides ?? []).filter((o) => matches(o, path));
  const off = new Set<Category>([...(options.categoriesOff ?? []), ...applicable.flatMap((o) => o.categoriesOff ?? [])]);
  const kept: Finding[] = [];
  for (const finding of findings) {
    // The last override that names the rule wins (like later entries of a config overriding earlier).
    let severity: Severity | 'off' = finding.severity;
    for (const o of applicable) {
      const s = o.severity && Object.hasOwn(o.severity, finding.ruleId) ? o.severity[finding.ruleId] : undefined;
      if (s !== undefined) severity = s;
    }
    if (severity === 'off') hidden.rule++;
    else if (off.has(categoryOf(finding.ruleId))) hidden.category++;
    else if (options.minSeverity && RANK[severity] < RANK[options.minSeverity]) hidden.severity++;
    else kept.push(severity === finding.severity ? finding : { ...finding, severity });
  }
  const cap = options.maxPerFile && options.maxPerFile > 0 ? Math.floor(options.maxPerFile) : Infinity;
  if (kept.length <= cap) return { shown: kept, hidden };
  hidden.cap = kept.length - cap;
  const order = new Map(kept.map((f, i) => [f, i]));
  const shown = [...kept]
    .sort((a, b) => RANK[b.severity] - RANK[a.severity] || a.startLine - b.startLine)
    .slice(0, cap)
    .sort((a, b) => order.get(a)! - order.get(b)!);
  return { shown, hidden };
}

/** "2 below warning, 1 over the cap of 5 per file" — empty when nothing was hidden. */
export function describeHidden(hidden: Hidden, options: NoiseOptions): string {
  const parts: string[] = [];
  if (hidden.rule) parts.push(`${hidden.rule} turned off by the repository's rules`);
  if (hidden.category) parts.push(`${hidden.category} in categories turned off`);
  if (hidden.severity) parts.push(`${hidden.severity} below ${options.minSeverity ?? 'the minimum severity'}`);
  if (hidden.cap) parts.push(`${hidden.cap} over the cap of ${options.maxPerFile} per file`);
  return parts.join(', ');
}

export function addHidden(into: Hidden, more: Hidden): Hidden {
  into.rule += more.rule;
  into.category += more.category;
  into.severity += more.severity;
  into.cap += more.cap;
  return into;
}

/** Every file's findings as shown (files keep their outcome; only findings are filtered). */
export function applyNoiseToFiles<T extends { path: string; findings: Finding[] }>(files: readonly T[], options: NoiseOptions): { files: T[]; hidden: Hidden } {
  const hidden = emptyHidden();
  const out = files.map((file) => {
    if (file.findings.length === 0) return file;
    const r = applyNoise(file.path, file.findings, options);
    addHidden(hidden, r.hidden);
    return { ...file, findings: r.shown };
  });
  return { files: out, hidden };
}

/**
 * Noise options from text (CLI flags, settings): each bad value is an error naming its source, so
 * `--max-findings-per-file ten` is a usage error and not a silent "no cap".
 */
export function parseNoiseOptions(raw: { minSeverity?: unknown; maxPerFile?: unknown; categoriesOff?: unknown }, names = { minSeverity: '--min-severity', maxPerFile: '--max-findings-per-file', categoriesOff: '--hide-category' }): { options: NoiseOptions; errors: string[] } {
  const options: NoiseOptions = {};
  const errors: string[] = [];
  if (raw.minSeverity !== undefined && raw.minSeverity !== '') {
    if (isSeverity(raw.minSeverity)) options.minSeverity = raw.minSeverity;
    else errors.push(`${names.minSeverity}: expected ${SEVERITIES.join(', ')}`);
  }
  if (raw.maxPerFile !== undefined && raw.maxPerFile !== '' && raw.maxPerFile !== 0) {
    const n = typeof raw.maxPerFile === 'number' ? raw.maxPerFile : Number(raw.maxPerFile);
    if (Number.isInteger(n) && n > 0) options.maxPerFile = n;
    else errors.push(`${names.maxPerFile}: expected a whole number above 0`);
  }
  if (raw.categoriesOff !== undefined) {
    const list = typeof raw.categoriesOff === 'string' ? raw.categoriesOff.split(',') : Array.isArray(raw.categoriesOff) ? (raw.categoriesOff as unknown[]).flatMap((c) => (typeof c === 'string' ? c.split(',') : [c])) : [raw.categoriesOff];
    const off: Category[] = [];
    for (const c of list) {
      const name = typeof c === 'string' ? c.trim() : c;
      if (name === '') continue;
      if (isCategory(name)) off.push(name);
      else errors.push(`${names.categoriesOff}: expected categories among ${CATEGORIES.join(', ')}`);
    }
    if (off.length > 0) options.categoriesOff = off;
  }
  return { options, errors: [...new Set(errors)] };
}
