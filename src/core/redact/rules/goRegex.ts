/**
 * Go (RE2) regex syntax → JavaScript RegExp, for the gitleaks rules. JavaScript before Node 23 has no
 * inline flag groups, so flags are widened to the whole pattern: `(?i)` anywhere or `(?i:…)` makes it
 * case-insensitive, `(?-i:…)` becomes a plain group. Every widening matches more, never less — for
 * redaction a false positive costs one placeholder, a false negative leaks a secret.
 */

const POSIX_CLASSES: Record<string, string> = {
  alnum: 'A-Za-z0-9',
  alpha: 'A-Za-z',
  digit: '0-9',
  lower: 'a-z',
  upper: 'A-Z',
  space: '\\t\\n\\v\\f\\r ',
  xdigit: '0-9A-Fa-f',
  punct: '!-\\/:-@\\[-`{-~',
  word: '\\w',
};

export interface JsPattern {
  source: string;
  flags: string;
}

export function goRegexToJs(go: string): JsPattern {
  let flags = '';
  let source = go;
  if (/\(\?i\)|\(\?i:/.test(source)) flags += 'i';
  source = source
    .replace(/\(\?i\)/g, '')
    .replace(/\(\?-?i:/g, '(?:')
    // `(?s:.)` is "any character, newline included"; other `(?s` forms set the flag.
    .replace(/\(\?s:\.\)/g, '[\\s\\S]')
    .replace(/\(\?P</g, '(?<')
    .replace(/\\z/g, '$')
    .replace(/\\A/g, '^')
    .replace(/\[:(\w+):\]/g, (all, name: string) => POSIX_CLASSES[name] ?? all);
  if (/\(\?s\)|\(\?s:/.test(source)) {
    flags += 's';
    source = source.replace(/\(\?s\)/g, '').replace(/\(\?s:/g, '(?:');
  }
  return { source, flags };
}

/** Compiles a Go pattern; `extra` adds flags such as `g` and `d`. Throws on what it cannot convert. */
export function compileGoRegex(go: string, extra = ''): RegExp {
  const { source, flags } = goRegexToJs(go);
  return new RegExp(source, flags + extra);
}
