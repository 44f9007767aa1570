import assert from 'node:assert/strict';
import { contextForBatch } from '../../../src/core/changes/deletions';

describe('changes/deletions: which deletions a batch names', () => {
  const removed = [{ count: 3, beforeLine: 5 }, { count: 1, beforeLine: 41 }, { count: 2, beforeLine: 90 }];
  const first = { firstLine: 1, text: 'a\nb\nc\nd\ne\n' };
  const second = { firstLine: 40, text: 'x\n' };
  const all = [first, second];

  it('the ones at its own excerpts (a line of one, or the line after its last), and the unplaced ones once, with the first excerpt', () => {
    assert.deepEqual(contextForBatch({ removed }, [first], all, true).removed, [{ count: 3, beforeLine: 5 }, { count: 2, beforeLine: 90 }]);
    assert.deepEqual(contextForBatch({ removed }, [second], all, false).removed, [{ count: 1, beforeLine: 41 }]);
  });

  it('leaves the outline and imports alone, and drops `removed` when none is left', () => {
    const outline = [{ line: 1, text: 'function f() {' }];
    assert.deepEqual(contextForBatch({ outline, removed: [{ count: 1, beforeLine: 5 }] }, [second], all, false), { outline });
  });
});
