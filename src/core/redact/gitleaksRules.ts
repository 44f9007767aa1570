/**
 * Token formats of the major providers from gitleaks' maintained rule set, used as data
 * (rules/gitleaks.json, converted from gitleaks' config/gitleaks.toml; see rules/convertGitleaks.ts).
 * The matching follows gitleaks: keywords pre-filter a file, the secret is the rule's secret group
 * (or the first non-empty group), a rule with an entropy floor drops values at or under it, and the
 * rule's and the global allowlists drop known non-secrets.
 *
 * One deliberate difference: allowlists by *path* are ignored. A path is chosen by the repository,
 * and nothing from the repository may switch redaction off.
 */
import data from './rules/gitleaks.json';
import type { GitleaksAllowlist, GitleaksRule } from './rules/convertGitleaks';
import { compileGoRegex } from './rules/goRegex';
import { shannonEntropy } from './entropy';
import type { SecretRange } from './extraDetectors';

interface Allowlist {
  and: boolean;
  target: 'secret' | 'match' | 'line';
  regexes: RegExp[];
  stopwords: string[];
  /** An AND allowlist that also needs a path can never be met here (paths are ignored). */
  hasPaths: boolean;
}

interface CompiledRule {
  id: string;
  regex: RegExp;
  secretGroup: number;
  entropy: number;
  keywords: string[];
  path?: RegExp;
  allowlists: Allowlist[];
}

function compileAllowlist(list: GitleaksAllowlist): Allowlist {
  return {
    and: list.condition === 'AND',
    target: list.regexTarget ?? 'secret',
    regexes: (list.regexes ?? []).map((r) => compileGoRegex(r)),
    stopwords: (list.stopwords ?? []).map((w) => w.toLowerCase()),
    hasPaths: (list.paths ?? []).length > 0,
  };
}

function compileRule(rule: GitleaksRule): CompiledRule | undefined {
  // Path-only rules (a file type) are covered by the never-sent files (sensitiveFiles.ts).
  if (!rule.regex) return undefined;
  return {
    id: rule.id,
    regex: compileGoRegex(rule.regex, 'gd'),
    secretGroup: rule.secretGroup ?? 0,
    entropy: rule.entropy ?? 0,
    keywords: (rule.keywords ?? []).map((k) => k.toLowerCase()),
    path: rule.path ? compileGoRegex(rule.path) : undefined,
    allowlists: (rule.allowlists ?? []).map(compileAllowlist),
  };
}

let compiled: { rules: CompiledRule[]; global: Allowlist } | undefined;

/** Compiled once, on first use (≈ 220 patterns). */
function ruleSet(): { rules: CompiledRule[]; global: Allowlist } {
  compiled ??= {
    rules: (data.rules as GitleaksRule[]).map(compileRule).filter((r): r is CompiledRule => r !== undefined),
    global: compileAllowlist(data.allowlist),
  };
  return compiled;
}

export function gitleaksRuleCount(): number {
  return ruleSet().rules.length;
}

interface Candidate {
  secret: string;
  match: string;
  line: string;
}

function allowed(list: Allowlist, c: Candidate): boolean {
  const target = list.target === 'match' ? c.match : list.target === 'line' ? c.line : c.secret;
  const checks: boolean[] = [];
  if (list.regexes.length > 0) checks.push(list.regexes.some((r) => r.test(target)));
  if (list.stopwords.length > 0) {
    const lower = c.secret.toLowerCase();
    checks.push(list.stopwords.some((w) => lower.includes(w)));
  }
  if (list.hasPaths) checks.push(false);
  if (checks.length === 0) return false;
  return list.and ? checks.every(Boolean) : checks.some(Boolean);
}

function lineAround(text: string, start: number, end: number): string {
  const from = text.lastIndexOf('\n', start - 1) + 1;
  const to = text.indexOf('\n', end);
  return text.slice(from, to < 0 ? text.length : to);
}

/** The range of the secret inside one match, following gitleaks' choice of capture group. */
function secretSpan(rule: CompiledRule, match: RegExpExecArray): [number, number] | undefined {
  const indices = match.indices;
  if (!indices) return undefined;
  if (rule.secretGroup > 0) return indices[rule.secretGroup];
  for (let g = 1; g < match.length; g++) if (match[g]) return indices[g];
  return indices[0];
}

export function detectWithGitleaksRules(path: string, text: string): SecretRange[] {
  const { rules, global } = ruleSet();
  const lower = text.toLowerCase();
  const out: SecretRange[] = [];
  for (const rule of rules) {
    if (rule.keywords.length > 0 && !rule.keywords.some((k) => lower.includes(k))) continue;
    if (rule.path && !rule.path.test(path)) continue;
    for (const match of text.matchAll(rule.regex)) {
      const span = secretSpan(rule, match);
      if (!span || span[1] <= span[0]) continue;
      const secret = text.slice(span[0], span[1]);
      if (rule.entropy > 0 && shannonEntropy(secret) <= rule.entropy) continue;
      const candidate = { secret, match: match[0], line: lineAround(text, match.index, match.index + match[0].length) };
      if (allowed(global, candidate) || rule.allowlists.some((list) => allowed(list, candidate))) continue;
      out.push({ start: span[0], end: span[1], kind: rule.id });
    }
  }
  return out;
}
