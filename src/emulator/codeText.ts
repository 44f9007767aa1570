/**
 * The code of a file's lines as a reader of code sees it: string literals, comments and (in JS-like
 * files) regular-expression literals blanked to spaces, so a `{` in `/\{/`, in `"{"` or in a comment
 * does not count as a brace and an `eval(` in a comment is not a call. Lengths are kept, so columns
 * still match the original line. One pass over the whole run of lines: block comments and template
 * literals may span lines; a quoted string ends at the end of its line.
 */

type Mode = 'code' | 'block-comment' | 'template';

/** After one of these (or at the start) a `/` starts a regex in JS; after a value it divides. */
const BEFORE_REGEX = /[(,=:[!&|?{};+\-*%<>~^]$/;
const KEYWORD_BEFORE_REGEX = /(?:^|[^\w$])(?:return|typeof|case|do|else|in|of|void|yield|await|delete|throw|new)$/;

function regexEnd(line: string, start: number): number {
  let inClass = false;
  for (let i = start + 1; i < line.length; i++) {
    const c = line[i];
    if (c === '\\') i++;
    else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) return i;
  }
  return -1;
}

export function codeLines(lines: readonly string[], jsLike: boolean): string[] {
  let mode: Mode = 'code';
  return lines.map((line) => {
    let out = '';
    let i = 0;
    const blank = (to: number) => {
      out += ' '.repeat(Math.max(0, to - i));
      i = to;
    };
    while (i < line.length) {
      const c = line[i]!;
      if (mode === 'block-comment') {
        const end = line.indexOf('*/', i);
        if (end < 0) blank(line.length);
        else {
          blank(end + 2);
          mode = 'code';
        }
        continue;
      }
      if (mode === 'template') {
        let j = i;
        while (j < line.length && line[j] !== '`') j += line[j] === '\\' ? 2 : 1;
        if (j >= line.length) blank(line.length);
        else {
          blank(j);
          out += '`';
          i = j + 1;
          mode = 'code';
        }
        continue;
      }
      if (c === '/' && line[i + 1] === '/') return out; // a line comment: the rest is not code
      if (c === '/' && line[i + 1] === '*') {
        mode = 'block-comment';
        blank(i + 2);
        continue;
      }
      if (c === '"' || c === "'") {
        let j = i + 1;
        while (j < line.length && line[j] !== c) j += line[j] === '\\' ? 2 : 1;
        // No closing quote on the line: not a string (a Rust lifetime `'a`, an apostrophe in prose).
        if (j < line.length) {
          out += c;
          i++;
          blank(j);
          out += c;
          i++;
          continue;
        }
      }
      if (c === '`' && jsLike) {
        out += c;
        i++;
        mode = 'template';
        continue;
      }
      if (c === '/' && jsLike) {
        const before = out.replace(/\s+$/, '');
        if (before === '' || BEFORE_REGEX.test(before) || KEYWORD_BEFORE_REGEX.test(before)) {
          const end = regexEnd(line, i);
          if (end > 0) {
            out += '/';
            i++;
            blank(end);
            out += '/';
            i = end + 1;
            continue;
          }
        }
      }
      out += c;
      i++;
    }
    return out;
  });
}
