/**
 * Finding categories, for turning whole kinds of findings off. Models invent rule ids freely and
 * the findings tool carries no category, so the category is read from the rule id by keywords: a
 * rule id the table does not know is `other` (it can be turned off too), never a guess.
 */
export const CATEGORIES = ['security', 'bug', 'error-handling', 'performance', 'maintainability', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

// First match wins: `sql-injection` is security before anything else; keywords match whole
// hyphen-separated words of the id (`no-eval`, `hardcoded-secret`, `cwe-79`).
const TABLE: readonly [Category, RegExp][] = [
  ['security', /(?:^|-)(?:cwe|eval|secret|secrets|password|credential|credentials|injection|xss|csrf|ssrf|crypto|insecure|unsafe|token|auth|sanitize|traversal|deserialization|hardcoded|tls|cert)(?:-|$)/],
  ['error-handling', /(?:^|-)(?:catch|except|error|errors|exception|exceptions|throw|reject|rejection|promise|unhandled|swallowed)(?:-|$)/],
  ['performance', /(?:^|-)(?:performance|perf|slow|quadratic|leak|allocation|n-plus-one|blocking|sync)(?:-|$)/],
  ['maintainability', /(?:^|-)(?:long|complex|complexity|duplicate|duplicated|todo|fixme|comment|dead|unused|magic|naming|function|nesting|deprecated)(?:-|$)/],
  ['bug', /(?:^|-)(?:bug|eqeqeq|equality|null|undefined|off-by-one|race|overflow|logic|type|typo|shadow|unreachable|infinite|loop|mutation|async|await|nan)(?:-|$)/],
];

export function categoryOf(ruleId: string): Category {
  for (const [category, pattern] of TABLE) if (pattern.test(ruleId)) return category;
  return 'other';
}

export function isCategory(value: unknown): value is Category {
  return typeof value === 'string' && (CATEGORIES as readonly string[]).includes(value);
}
