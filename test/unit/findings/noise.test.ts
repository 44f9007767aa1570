import assert from 'node:assert/strict';
import { applyNoise, categoryOf, describeHidden, type PathOverride } from '../../../src/core/findings';
import type { Finding } from '../../../src/core/types';

function f(line: number, severity: Finding['severity'], ruleId: string, file = 'src/a.ts'): Finding {
  return { file, startLine: line, endLine: line, severity, ruleId, message: `${ruleId} at ${line}`, model: 'm', fingerprint: `${file}:${ruleId}:${line}` };
}

describe('noise control', () => {
  const findings = [f(1, 'info', 'todo-comment'), f(2, 'warning', 'eqeqeq'), f(3, 'error', 'no-eval'), f(4, 'warning', 'empty-catch'), f(5, 'info', 'long-function')];

  it('no options: everything shown', () => {
    assert.deepEqual(applyNoise('src/a.ts', findings, {}).shown, findings);
  });

  it('minimum severity hides what is below it, and counts it', () => {
    const r = applyNoise('src/a.ts', findings, { minSeverity: 'warning' });
    assert.deepEqual(r.shown.map((x) => x.startLine), [2, 3, 4]);
    assert.equal(r.hidden.severity, 2);
    assert.equal(describeHidden(r.hidden, { minSeverity: 'warning' }), '2 below warning');
  });

  it('at most N per file keeps the most severe, given back in line order', () => {
    const r = applyNoise('src/a.ts', findings, { maxPerFile: 2 });
    assert.deepEqual(r.shown.map((x) => x.ruleId), ['eqeqeq', 'no-eval']);
    assert.equal(r.hidden.cap, 3);
  });

  it('categories off by the user and per path by the repository', () => {
    assert.equal(categoryOf('no-eval'), 'security');
    assert.equal(categoryOf('empty-catch'), 'error-handling');
    assert.equal(categoryOf('todo-comment'), 'maintainability');
    assert.equal(categoryOf('eqeqeq'), 'bug');
    assert.equal(categoryOf('made-up-thing'), 'other');
    const user = applyNoise('src/a.ts', findings, { categoriesOff: ['maintainability'] });
    assert.deepEqual(user.shown.map((x) => x.startLine), [2, 3, 4]);
    const overrides = [{ files: ['test/**'], categoriesOff: ['security' as const] }];
    assert.equal(applyNoise('src/a.ts', findings, { overrides }).shown.length, 5, 'does not match src/');
    assert.deepEqual(applyNoise('test/a.ts', findings, { overrides }).shown.map((x) => x.ruleId), ['todo-comment', 'eqeqeq', 'empty-catch', 'long-function']);
  });

  it('a path override re-grades a rule (before the minimum severity) or turns it off; the last one naming it wins', () => {
    const overrides: PathOverride[] = [
      { files: ['src/**'], severity: { 'todo-comment': 'error', 'eqeqeq': 'off' } },
      { files: ['src/a.ts'], severity: { 'todo-comment': 'warning' } },
    ];
    const r = applyNoise('src/a.ts', findings, { overrides, minSeverity: 'warning' });
    assert.deepEqual(r.shown.map((x) => `${x.ruleId}:${x.severity}`), ['todo-comment:warning', 'no-eval:error', 'empty-catch:warning']);
    assert.equal(r.hidden.rule, 1);
    assert.equal(findings[0]!.severity, 'info', 'the input is not mutated');
  });

  it('a rule named like an Object method is an ordinary rule id', () => {
    const r = applyNoise('src/a.ts', [f(1, 'error', 'constructor')], { overrides: [{ files: ['**'], severity: {} }] });
    assert.equal(r.shown.length, 1);
  });
});
