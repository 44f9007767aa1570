import assert from 'node:assert/strict';
import type { EngineEvent } from '../../../src/core/engine';
import type { RunSnapshot } from '../../../src/core/metrics/types';
import { createProgress } from '../../../src/cli/progress';

const snapshot = (at: number, tpm: number): RunSnapshot => ({
  at, filesTotal: 2, filesDone: 0, utilization: 0, recentBatches: [],
  models: [{ id: 'us.amazon.nova-pro-v1:0', quotaTpm: 100_000, tokensPerMinute: tpm } as RunSnapshot['models'][number]],
});

function play(isTTY: boolean): string {
  let out = '';
  const progress = createProgress({ write: (t) => (out += t), isTTY, columns: 200 });
  const events: EngineEvent[] = [
    { type: 'run-started', runId: 'run1', files: 2, lane: 'background' },
    { type: 'metrics', runId: 'run1', snapshot: snapshot(1000, 42_000) },
    { type: 'file-done', runId: 'run1', outcome: { path: 'a.js', status: 'analyzed', findings: [] } },
    { type: 'file-done', runId: 'run1', outcome: { path: 'b.js', status: 'failed', reason: 'malformed model output', findings: [] } },
  ];
  events.forEach(progress.listener);
  progress.finish();
  return out;
}

describe('progress', () => {
  it('draws a bar with files and per-model throughput on a terminal', () => {
    const out = play(true);
    assert.match(out, /\r\[#{12}\.{12}\] 1\/2 files · amazon\.nova-pro 42k\/100k tok\/min/);
    assert.match(out, /chorus: b\.js failed: malformed model output\n/);
    assert.ok(out.endsWith('\r\u001b[K'), 'the bar is cleared at the end');
  });

  it('prints plain lines without escape codes otherwise', () => {
    const out = play(false);
    assert.ok(!out.includes('\u001b'));
    assert.deepEqual(out.trim().split('\n'), [
      'chorus: analyzing 2 file(s)',
      'chorus: 0/2 files · amazon.nova-pro 42k/100k tok/min',
      'chorus: b.js failed: malformed model output',
      'chorus: 2/2 files · amazon.nova-pro 42k/100k tok/min',
    ]);
  });
});
