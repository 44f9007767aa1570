/** Groups: connected components, capped and split into connected pieces; loners by directory; the score. */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { buildGroups } from '../../../src/core/score/graph/buildGroups';
import { dependencyFactor, groupScore } from '../../../src/core/score/graph/groupScore';
import { groupFiles, type GraphFile } from '../../../src/core/score/graph/grouping';
import type { FileMetrics } from '../../../src/core/score/types';

const file = (path: string, imports: string[] = [], bytes = 100): GraphFile => ({ path, bytes, imports });
const limits = { maxFiles: 3, maxBytes: 10_000 };

describe('score: grouping', () => {
  it('puts importers and imported files together, and loners together by directory', () => {
    const groups = groupFiles([
      file('a/x.ts', ['b/y.ts']), file('b/y.ts'), file('c/one.md'), file('c/two.md'), file('d/three.md'),
    ], limits);
    assert.deepEqual(groups, [['a/x.ts', 'b/y.ts'], ['c/one.md', 'c/two.md'], ['d/three.md']]);
  });

  it('splits a component over the cap into connected pieces', () => {
    // Two triangles joined by one edge: the split should keep each triangle whole.
    const groups = groupFiles([
      file('p/a', ['p/b', 'p/c']), file('p/b', ['p/c']), file('p/c', ['q/d']),
      file('q/d', ['q/e', 'q/f']), file('q/e', ['q/f']), file('q/f'),
    ], limits);
    assert.deepEqual(groups, [['p/a', 'p/b', 'p/c'], ['q/d', 'q/e', 'q/f']]);
  });

  it('never exceeds the caps, and places every file exactly once (property)', () => {
    const graph = fc.integer({ min: 1, max: 40 }).chain((n) => fc.tuple(
      fc.constant(n),
      fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 80 }),
      fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: n, maxLength: n }),
    ));
    fc.assert(fc.property(graph, fc.integer({ min: 1, max: 8 }), ([n, edges, sizes], maxFiles) => {
      const files = Array.from({ length: n }, (_, i) => file(`d${i % 3}/f${i}`, edges.filter(([a]) => a === i).map(([, b]) => `d${b % 3}/f${b}`), sizes[i]));
      const groups = groupFiles(files, { maxFiles, maxBytes: 8000 });
      const placed = groups.flat().sort();
      assert.deepEqual(placed, files.map((f) => f.path).sort());
      for (const g of groups) {
        assert.ok(g.length <= maxFiles);
        const bytes = g.reduce((s, p) => s + files.find((f) => f.path === p)!.bytes, 0);
        assert.ok(g.length === 1 || bytes <= 8000);
      }
    }));
  });

  it('scores with the seed\'s weights: size 0.3, dependency factor 0.5, file count 0.2', () => {
    assert.equal(groupScore(20 * 1024, 1, 10), 1);
    assert.equal(groupScore(40 * 1024, 0, 20), 0.5);
    assert.equal(groupScore(10 * 1024, 0.5, 5), 0.15 + 0.25 + 0.1);
  });

  it('derives the dependency factor from the hardest function and the coupling', () => {
    assert.equal(dependencyFactor({ fileCount: 1, totalSize: 10, maxCyclomatic: 1, edges: 0 }), 0);
    const simple = dependencyFactor({ fileCount: 4, totalSize: 10, maxCyclomatic: 3, edges: 2 });
    const branchy = dependencyFactor({ fileCount: 4, totalSize: 10, maxCyclomatic: 25, edges: 2 });
    const coupled = dependencyFactor({ fileCount: 4, totalSize: 10, maxCyclomatic: 3, edges: 16 });
    assert.ok(simple < branchy && simple < coupled);
    assert.ok(branchy < 1 && coupled < 1 && simple > 0);
  });

  it('builds scored groups from file metrics, counting edges that cross a group\'s border', () => {
    const metrics = (path: string, imports: string[], maxComplexity: number): FileMetrics => ({
      path, language: 'typescript', loc: 1, bytes: 1024, imports, functions: [], maxComplexity, meanComplexity: maxComplexity,
    });
    const groups = buildGroups([metrics('a.ts', ['b.ts'], 5), metrics('b.ts', [], 13), metrics('c.md', [], 0)], { maxFiles: 20, maxBytes: 1e6 });
    assert.deepEqual(groups.map((g) => g.files), [['a.ts', 'b.ts'], ['c.md']]);
    const [ab, c] = groups;
    const expected = dependencyFactor({ fileCount: 2, totalSize: 2048, maxCyclomatic: 13, edges: 1 });
    assert.equal(ab!.complexity, Math.round(expected * 1e4) / 1e4);
    assert.equal(ab!.score, Math.round(groupScore(2048, ab!.complexity, 2) * 1e4) / 1e4);
    assert.equal(c!.complexity, 0);
  });
});
