import assert from 'node:assert/strict';
import { outlineOf, regionsFor, DEFAULT_REGION_OPTIONS } from '../../../src/core/changes/regions';
import type { FunctionMetrics } from '../../../src/core/score/types';

const fn = (name: string, startLine: number, endLine: number): FunctionMetrics => ({ name, startLine, endLine, cyclomatic: 1, maxNesting: 0, length: endLine - startLine + 1 });
const span = (rs: { startLine: number; endLine: number }[]) => rs.map((r) => `${r.startLine}-${r.endLine}`);

describe('changes/regions: how far a change is widened', () => {
  it('takes the innermost function of at least minFunctionLines, not a one-line callback nor the whole describe', () => {
    const functions = [fn('describe', 1, 50), fn('it', 10, 20), fn('map', 15, 15)];
    assert.deepEqual(span(regionsFor([15], functions, 50)), ['10-20']);
  });

  it('sends a window of a long function around the change, but the whole of it when its first line changed', () => {
    const functions = [fn('long', 1, 200)];
    const { windowLines } = DEFAULT_REGION_OPTIONS;
    assert.deepEqual(span(regionsFor([100], functions, 200)), [`${100 - windowLines}-${100 + windowLines}`]);
    const signature = [fn('long', 1, 120)];
    assert.deepEqual(span(regionsFor([1], signature, 120)), ['1-120']);
    // A window says so (an answer about it cannot speak for the whole function); a whole function does not.
    assert.equal(regionsFor([100], functions, 200)[0]!.window, true);
    assert.equal(regionsFor([1], signature, 120)[0]!.window, undefined);
    assert.equal(regionsFor([5], [fn('short', 1, 20)], 20)[0]!.window, undefined);
  });

  it('does not widen a changed first line to a whole describe(…) or a 300-line callback', () => {
    const { windowLines } = DEFAULT_REGION_OPTIONS;
    const regions = regionsFor([1], [fn('describe', 1, 300)], 300);
    assert.deepEqual(span(regions), [`1-${1 + windowLines}`]);
    assert.equal(regions[0]!.window, true);
  });

  it('keeps functions apart (one cache entry each), windows top-level lines within the gaps, skips blank ones', () => {
    const functions = [fn('a', 3, 8), fn('b', 10, 15)];
    const lines = ['import x;', '', 'a', '', '', '', '', '}', '', 'b', '', '', '', '', '}', 'tail();'];
    const regions = regionsFor([1, 4, 9, 12, 16], functions, 16, DEFAULT_REGION_OPTIONS, (n) => lines[n - 1] === '');
    assert.deepEqual(span(regions), ['1-2', '3-8', '10-15', '16-16']);
    assert.deepEqual(regions.map((r) => r.changed), [[1], [4], [12], [16]]);
  });

  it('ignores lines outside the file and returns nothing for nothing', () => {
    assert.deepEqual(regionsFor([0, -3, 99, 1.5], [], 10), []);
    assert.deepEqual(regionsFor([], [fn('a', 1, 5)], 5), []);
  });

  it('outlines the functions the excerpt calls by their first line, not the ones sent whole, unmentioned ones nor one-liners', () => {
    const lines = ['function a() {', '}', 'const f = () => 1;', 'function b() {', '  a(); f();', '}', 'function c() {', '}'];
    const functions = [fn('a', 1, 2), fn('f', 3, 3), fn('b', 4, 6), fn('c', 7, 8)];
    assert.deepEqual(outlineOf(lines, functions, [{ startLine: 4, endLine: 6, changed: [5] }]), [{ line: 1, text: 'function a() {' }]);
  });

  it('outlines the long function a window sits in even when the window does not name it', () => {
    const lines = ['function long() {', ...Array.from({ length: 98 }, (_, i) => `  step(${i});`), '}'];
    const functions = [fn('long', 1, 100)];
    const regions = regionsFor([50], functions, 100);
    assert.deepEqual(outlineOf(lines, functions, regions), [{ line: 1, text: 'function long() {' }]);
  });
});
