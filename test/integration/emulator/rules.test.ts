import assert from 'node:assert/strict';
import { renderBatchPrompt, type PromptFile } from '../../../src/core/contract';
import { readPrompt } from '../../../src/emulator/promptReader';
import { LONG_FUNCTION_LINES, findFindings } from '../../../src/emulator/rules';

/** Findings as `line:ruleId` for one file, going through the real prompt layout. */
function findings(path: string, lines: string[], firstLine?: number): string[] {
  const file: PromptFile = { path, text: lines.join('\n'), ...(firstLine ? { firstLine } : {}) };
  return findFindings(readPrompt(renderBatchPrompt([file])).files).map((f) => `${f.startLine}:${f.ruleId}`);
}

describe('emulator: the rules behind its findings', () => {
  it('flags loose equality in JS/TS only, not === or inside strings and comments', () => {
    assert.deepEqual(findings('a.ts', ['if (a == b) {}', 'if (a === b) {}', 'if (a != b) {}', 'if (a !== b) {}', 'log("a == b"); // x == y', 'x <= y; x >= y;']), ['1:eqeqeq', '3:eqeqeq']);
    assert.deepEqual(findings('a.py', ['if a == b:', '    pass']), []);
  });

  it('proposes a fix for loose equality', () => {
    const [finding] = findFindings(readPrompt(renderBatchPrompt([{ path: 'a.js', text: 'if (a == b && c != d) go();' }])).files);
    assert.equal(finding?.suggestion, 'if (a === b && c !== d) go();');
  });

  it('flags eval calls but not names that merely contain eval', () => {
    assert.deepEqual(findings('a.js', ['eval(code);', 'retrieval(x);', 'obj.evaluate(x);', 'const s = "eval(x)";']), ['1:no-eval']);
    assert.deepEqual(findings('a.py', ['x = eval(s)  # eval(', '# eval(y)']), ['1:no-eval']);
  });

  it('flags empty catch blocks, on one line or across blank lines, and except/pass in Python', () => {
    assert.deepEqual(findings('a.ts', ['try {', '  a();', '} catch (e) {', '', '}', 'try { b(); } catch {}', 'try {', '} catch (e) {', '  log(e);', '}']), [
      '3:empty-catch',
      '6:empty-catch',
    ]);
    assert.deepEqual(findings('a.py', ['try:', '    a()', 'except ValueError:', '    pass', 'except Exception as e:', '    log(e)']), ['3:empty-catch']);
  });

  it('reports the whole span of an empty catch', () => {
    const [finding] = findFindings(readPrompt(renderBatchPrompt([{ path: 'a.ts', text: 'try {\n} catch (e) {\n\n\n}' }])).files);
    assert.deepEqual([finding?.startLine, finding?.endLine], [2, 5]);
  });

  it('flags TODO/FIXME in comments, not in identifiers', () => {
    assert.deepEqual(findings('a.ts', ['// TODO: fix', 'const TODOS = 1;', '/* FIXME */', ' * TODO later']), ['1:todo-comment', '3:todo-comment', '4:todo-comment']);
    assert.deepEqual(findings('a.py', ['# FIXME later']), ['1:todo-comment']);
  });

  it('flags bare except in Python', () => {
    assert.deepEqual(findings('a.py', ['try:', '    a()', 'except:', '    raise']), ['3:bare-except']);
  });

  it('flags hard-coded credentials', () => {
    assert.deepEqual(findings('a.ts', ['const password = "hunter22";', 'const apiKey: string = \'abcd1234\';', 'const password = process.env.PW;']), ['1:hardcoded-secret', '2:hardcoded-secret']);
  });

  it('flags functions longer than the limit, in brace languages and in Python', () => {
    const body = (n: number, indent: string) => Array.from({ length: n }, (_, i) => `${indent}x${i} = ${i};`);
    const long = ['function big() {', ...body(LONG_FUNCTION_LINES, '  '), '}'];
    const short = ['function small() {', ...body(3, '  '), '}'];
    assert.deepEqual(findings('a.js', [...short, ...long]), [`${short.length + 1}:long-function`]);
    const py = ['def big():', ...body(LONG_FUNCTION_LINES, '    '), 'def small():', '    return 1'];
    assert.deepEqual(findings('a.py', py), ['1:long-function']);
  });

  it('reads braces as code: one in a regex literal, a string, a comment or a template does not open a block', () => {
    const body = (n: number) => Array.from({ length: n }, (_, i) => `  x${i} = ${i};`);
    // Each of these short functions has a brace that is not code; counted, its end is never found
    // and the long one after it is taken for its body (the short one reported, at the wrong line).
    const tricks = [
      'const re = /\\{+/g;',
      'const open = s.split(/[{]/);',
      "const brace = '{';",
      '/* a { in a comment',
      '   spanning lines { */',
      'const t = `${a} {`;',
      'if (/\\}$/.test(s)) return;',
    ];
    const short = ['function small(s) {', ...tricks.map((t) => `  ${t}`), '}'];
    const long = ['function big() {', ...body(LONG_FUNCTION_LINES), '}'];
    assert.deepEqual(findings('a.js', [...short, ...long]), [`${short.length + 1}:long-function`]);
    // Division is not a regex: `a / b / c` keeps the braces after it counted.
    const division = ['function ratio(a, b, c) {', '  const r = a / b / c; if (r) { go(); }', ...body(LONG_FUNCTION_LINES), '}'];
    assert.deepEqual(findings('a.js', division), ['1:long-function']);
  });

  it('numbers lines from firstLine for a chunk of a larger file', () => {
    assert.deepEqual(findings('a.ts', ['ok();', 'eval(x);'], 101), ['102:no-eval']);
  });

  it('finds nothing in clean code and in files it does not understand', () => {
    assert.deepEqual(findings('a.ts', ['export const add = (a: number, b: number): number => a + b;']), []);
    assert.deepEqual(findings('README.md', ['a == b', 'try { } catch {}']), []);
  });

  it('keeps files in prompt order and findings in line order', () => {
    const files = [
      { path: 'z.ts', text: '// TODO\neval(x);' },
      { path: 'a.ts', text: 'eval(y);' },
    ];
    const got = findFindings(readPrompt(renderBatchPrompt(files)).files).map((f) => `${f.file}:${f.startLine}`);
    assert.deepEqual(got, ['z.ts:1', 'z.ts:2', 'a.ts:1']);
  });
});
