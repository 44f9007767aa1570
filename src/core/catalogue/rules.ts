/**
 * The rules catalogue: what a rule id means, for people — a title, a description and a help page —
 * used by diagnostics (`code: { value, target }`), SARIF `rules[]` (`helpUri`, descriptions) and the
 * HTML report. Models invent rule ids freely, so only ids whose meaning is certain get an entry: the
 * emulator's canned rules, ids the system prompt's categories cover by name, and CWE ids (`cwe-79`,
 * linked to MITRE). An unknown id gets its category's title and no link: never a guessed page.
 */
import { categoryOf, type Category } from '../findings/category';

export interface RuleEntry {
  id: string;
  title: string;
  description: string;
  /** A page that documents the rule; absent when no page says unambiguously what it means. */
  helpUri?: string;
  /** The CWE the rule is an instance of, when there is one. */
  cwe?: number;
  /** True for the rules the bundled emulator reports (canned, not a model's judgement). */
  emulator?: boolean;
}

export const MITRE_CWE = (n: number): string => `https://cwe.mitre.org/data/definitions/${n}.html`;

const KNOWN: readonly RuleEntry[] = [
  { id: 'no-eval', title: 'Use of eval', description: '`eval` runs arbitrary code built from data; an attacker who controls the string controls the program.', helpUri: MITRE_CWE(95), cwe: 95, emulator: true },
  { id: 'eqeqeq', title: 'Loose equality', description: '`==` and `!=` coerce their operands, so values of different types compare equal; use `===` and `!==`.', helpUri: 'https://eslint.org/docs/latest/rules/eqeqeq', emulator: true },
  { id: 'todo-comment', title: 'Unfinished work (TODO/FIXME)', description: 'A TODO or FIXME comment marks work that was left for later.', helpUri: 'https://eslint.org/docs/latest/rules/no-warning-comments', emulator: true },
  { id: 'bare-except', title: 'Bare except', description: 'A bare `except:` also catches KeyboardInterrupt and SystemExit; name the exceptions to handle.', helpUri: 'https://pylint.readthedocs.io/en/stable/user_guide/messages/warning/bare-except.html', cwe: 396, emulator: true },
  { id: 'hardcoded-secret', title: 'Hard-coded credential', description: 'A password, key or token is written in the source, where everyone with the code can read it.', helpUri: MITRE_CWE(798), cwe: 798, emulator: true },
  { id: 'empty-catch', title: 'Swallowed error', description: 'An error is caught and ignored: failures go unnoticed and the program goes on in a bad state.', helpUri: MITRE_CWE(390), cwe: 390, emulator: true },
  { id: 'long-function', title: 'Long function', description: 'A function long enough to be hard to read, test and change; split it.', helpUri: 'https://eslint.org/docs/latest/rules/max-lines-per-function', emulator: true },
  { id: 'emulator-fault', title: 'Emulator fault injection', description: 'A finding the emulator injected on purpose (fault testing); not about the code.', emulator: true },
];

const CATEGORY_TEXT: Readonly<Record<Category, { title: string; description: string }>> = {
  security: { title: 'Security problem', description: 'A weakness an attacker could use: injection, exposed secrets, unsafe crypto or deserialization, missing checks.' },
  bug: { title: 'Likely bug', description: 'Code that probably does not do what was meant: wrong comparisons, null or undefined use, off-by-one, races.' },
  'error-handling': { title: 'Error handling', description: 'Errors that are swallowed, lost or handled too broadly.' },
  performance: { title: 'Performance', description: 'Work that is slower or heavier than it needs to be: blocking calls, leaks, quadratic loops.' },
  maintainability: { title: 'Maintainability', description: 'Code that is hard to read or change: long or complex functions, duplication, dead code.' },
  other: { title: 'Other finding', description: 'A finding a model reported under a rule id Chorus does not know.' },
};

const BY_ID = new Map(KNOWN.map((r) => [r.id, r]));

/** The catalogue entry of a rule id: a known rule, a CWE id, else its category's title without a link. */
export function ruleEntry(ruleId: string): RuleEntry {
  const known = BY_ID.get(ruleId);
  if (known) return known;
  const cwe = /^cwe-(\d{1,5})$/.exec(ruleId);
  if (cwe) {
    const n = Number(cwe[1]);
    return { id: ruleId, title: `CWE-${n}`, description: `An instance of CWE-${n} (MITRE's Common Weakness Enumeration).`, helpUri: MITRE_CWE(n), cwe: n };
  }
  const { title, description } = CATEGORY_TEXT[categoryOf(ruleId)];
  return { id: ruleId, title, description };
}

/** The help page of a rule id, if it has one (diagnostics' `code.target`). */
export function ruleHelpUri(ruleId: string): string | undefined {
  return ruleEntry(ruleId).helpUri;
}

/** Every rule the catalogue knows by id (for docs and tests). */
export function knownRules(): readonly RuleEntry[] {
  return KNOWN;
}
