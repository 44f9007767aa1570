import assert from 'node:assert/strict';
import { afterFix, fixableTogether } from '../../../src/extension/diagnostics/afterFix';
import type { Finding } from '../../../src/core/types';

function f(start: number, end: number, ruleId: string, suggestion?: string): Finding {
  return { file: 'a.js', startLine: start, endLine: end, severity: 'warning', ruleId, message: 'm', model: 'x', fingerprint: `${ruleId}@${start}`, ...(suggestion !== undefined ? { suggestion } : {}) };
}

describe('after a quick fix', () => {
  it('the fixed finding goes; findings below move by the lines the fix added or removed; those above stay', () => {
    const above = f(1, 1, 'a');
    const fixed = f(3, 4, 'eqeqeq', 'one line\n'); // two lines become one
    const below = f(8, 9, 'b');
    assert.deepEqual(afterFix([above, fixed, below], [fixed]).map((x) => [x.fingerprint, x.startLine, x.endLine]), [['a@1', 1, 1], ['b@8', 7, 8]]);
    const grows = f(3, 3, 'eqeqeq', 'x\ny\nz');
    assert.deepEqual(afterFix([grows, below], [grows]).map((x) => [x.startLine, x.endLine]), [[10, 11]]);
  });

  it('fix all takes one rule\'s suggestions that do not overlap, in line order', () => {
    const list = [f(9, 9, 'eqeqeq', 'c'), f(2, 3, 'eqeqeq', 'a'), f(3, 3, 'eqeqeq', 'overlaps'), f(5, 5, 'eqeqeq'), f(6, 6, 'other', 'z')];
    assert.deepEqual(fixableTogether(list, 'eqeqeq').map((x) => x.startLine), [2, 9]);
    // Applying both: what stays below the first (2 lines → 1) moves up one; the overlapping one, inside
    // the replaced lines, stays where it was until the next analysis.
    const fixedAll = fixableTogether(list, 'eqeqeq');
    assert.deepEqual(afterFix(list, fixedAll).map((x) => [x.fingerprint, x.startLine]), [['eqeqeq@3', 3], ['eqeqeq@5', 4], ['other@6', 5]]);
  });
});
