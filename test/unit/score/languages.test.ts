/** Per-language metrics on small programs whose complexity is counted by hand in the comments. */
import { strict as assert } from 'node:assert';
import { analyzeFile } from '../../../src/core/score/analyzeFile';
import type { FunctionMetrics } from '../../../src/core/score/types';

function brief(functions: FunctionMetrics[]) {
  return functions.map(({ name, cyclomatic, maxNesting, startLine, endLine }) => ({ name, cyclomatic, maxNesting, startLine, endLine }));
}

const cases: { path: string; language: string; text: string; expected: ReturnType<typeof brief>; imports?: string[] }[] = [
  {
    path: 'm.py', language: 'python',
    text: [
      'import os.path, pkg.mod as m',
      'from . import sibling',
      'def f(xs):',
      '    # if, for, elif, and, comprehension for + if: 1 + 6',
      '    if xs:',
      '        for x in xs:',
      '            if x > 1 and x < 5:',
      '                return [y for y in xs if y]',
      '    elif not xs:',
      '        return None',
      'g = lambda a: a or 0',
    ].join('\n'),
    expected: [
      { name: 'f', cyclomatic: 8, maxNesting: 3, startLine: 3, endLine: 10 },
      { name: '<anonymous>', cyclomatic: 2, maxNesting: 0, startLine: 11, endLine: 11 },
    ],
    imports: ['python:os.path', 'python:pkg.mod', 'python:.[sibling]'],
  },
  {
    path: 'm.go', language: 'go',
    text: [
      'package m',
      'import "example.com/m/util"',
      'func F(a int) int {',
      '\tif a > 0 && a < 9 {', // if, &&
      '\t\treturn 1',
      '\t} else if a < 0 {', // if (else if: same depth)
      '\t\tfor i := 0; i < a; i++ {}', // for
      '\t}',
      '\tswitch a { case 1: return 2; default: return 3 }', // one non-default case
      '}',
    ].join('\n'),
    expected: [{ name: 'F', cyclomatic: 6, maxNesting: 2, startLine: 3, endLine: 10 }],
    imports: ['go:example.com/m/util'],
  },
  {
    path: 'M.java', language: 'java',
    text: [
      'import a.b.C;',
      'class M {',
      '  int f(int x) {',
      '    try { if (x > 0 || x < -5) return 1; } catch (Exception e) { return 2; }', // if, ||, catch
      '    return x > 2 ? 3 : 4;', // ternary
      '  }',
      '  M() { Runnable r = () -> { while (true) {} }; }',
      '}',
    ].join('\n'),
    expected: [
      { name: 'f', cyclomatic: 5, maxNesting: 2, startLine: 3, endLine: 6 },
      { name: 'M', cyclomatic: 1, maxNesting: 0, startLine: 7, endLine: 7 },
      { name: 'r', cyclomatic: 2, maxNesting: 1, startLine: 7, endLine: 7 },
    ],
    imports: ['java:a.b.C'],
  },
  {
    path: 'lib.rs', language: 'rust',
    text: [
      'mod util;',
      'use crate::util::helper;',
      'fn f(x: i32) -> i32 {',
      '    match x { 0 => 1, _ => if x > 2 && x < 9 { 2 } else { 3 } }', // 2 arms, if, &&
      '}',
    ].join('\n'),
    expected: [{ name: 'f', cyclomatic: 5, maxNesting: 2, startLine: 3, endLine: 5 }],
    imports: ['rust-mod:util', 'rust-use:crate::util::helper'],
  },
  {
    path: 'm.c', language: 'c',
    text: [
      '#include "m.h"',
      '#include <stdio.h>',
      'static int *f(int a) {',
      '  while (a--) { if (a == 3) break; }', // while, if
      '  switch (a) { case 1: return 0; case 2: return 0; default: break; }', // 2 cases
      '  return a ? 0 : 0;', // ternary
      '}',
    ].join('\n'),
    expected: [{ name: 'f', cyclomatic: 6, maxNesting: 2, startLine: 3, endLine: 7 }],
    imports: ['include:m.h'],
  },
  {
    path: 'm.cpp', language: 'cpp',
    text: [
      '#include "m.hpp"',
      'int Foo::bar(std::vector<int> v) {',
      '  for (auto x : v) { try { if (x) return 1; } catch (...) {} }', // for-range, if, catch
      '  auto l = [](int y) { return y > 0 && y < 3; };', // lambda: &&
      '  return 0;',
      '}',
    ].join('\n'),
    expected: [
      { name: 'Foo::bar', cyclomatic: 4, maxNesting: 3, startLine: 2, endLine: 6 },
      { name: '<anonymous>', cyclomatic: 2, maxNesting: 0, startLine: 4, endLine: 4 },
    ],
    imports: ['include:m.hpp'],
  },
  {
    path: 'M.cs', language: 'csharp',
    text: [
      'class M {',
      '  int F(int? x) {',
      '    foreach (var i in new int[0]) { if (i > 0) { return i ?? 0; } }', // foreach, if, ??
      '    return x == null ? 0 : 1;', // ternary
      '  }',
      '}',
    ].join('\n'),
    expected: [{ name: 'F', cyclomatic: 5, maxNesting: 2, startLine: 2, endLine: 5 }],
  },
];

describe('score: per-language metrics', () => {
  for (const c of cases) {
    it(`${c.language}: functions, complexity, nesting and imports`, async () => {
      const analysis = await analyzeFile(c.path, c.text, c.text.length);
      assert.equal(analysis.language, c.language);
      assert.equal(analysis.note, undefined);
      assert.deepEqual(brief(analysis.functions), c.expected);
      if (c.imports) {
        const imports = analysis.rawImports.map((r) => `${r.kind}:${r.spec}${r.names ? `[${r.names.join(',')}]` : ''}`);
        assert.deepEqual(imports.map((i) => i.replace(/\[\]$/, '')), c.imports);
      }
    });
  }

  it('counts code lines, not blank or comment-only lines', async () => {
    const text = ['// header', '', 'const a = 1; // trailing', '/* block', '   still comment */', 'const b = 2;', '  '].join('\n');
    const analysis = await analyzeFile('x.ts', text, text.length);
    assert.equal(analysis.loc, 2);
  });

  it('measures nesting per function, with else-if chains flat', async () => {
    const text = 'function f(a) { if (a) { for (;;) { while (a) {} } } else if (!a) { } else if (a > 1) { } }';
    const [f] = (await analyzeFile('x.js', text, text.length)).functions;
    assert.equal(f?.maxNesting, 3);
    assert.equal(f?.cyclomatic, 6);
  });
});
