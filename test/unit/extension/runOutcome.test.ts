import { strict as assert } from 'node:assert';
import type { FileOutcome } from '../../../src/core/types';
import { reportRunError, reportRunResult, type ProblemSink } from '../../../src/extension/notify/runOutcome';
import { ProblemGate, type ProblemKind } from '../../../src/extension/notify/problems';

/** A sink that behaves like the notifier: the gate decides what would be shown. */
function sink() {
  const gate = new ProblemGate();
  const shown: ProblemKind[] = [];
  const s: ProblemSink = { report: (kind) => void (gate.admit(kind) && shown.push(kind)), reset: () => gate.reset() };
  return { s, shown };
}
const failed = (path: string, reason: string): FileOutcome => ({ path, status: 'failed', reason, findings: [] });
const ok = (path: string): FileOutcome => ({ path, status: 'analyzed', findings: [] });

describe('run outcomes → notifications', () => {
  it('raises one notification for 300 files failing the same way, and not again on the next run', () => {
    const { s, shown } = sink();
    const files = Array.from({ length: 300 }, (_, i) => failed(`f${i}.ts`, 'AccessDeniedException: You don\'t have access to the model'));
    reportRunResult({ files }, s);
    reportRunResult({ files }, s);
    assert.deepEqual(shown, ['access-denied']);
  });

  it('calls it "every model failed" when nothing worked and no cause is known', () => {
    const { s, shown } = sink();
    reportRunResult({ files: [failed('a', 'ServiceUnavailableException'), failed('b', 'InternalServerException')] }, s);
    assert.deepEqual(shown, ['all-models-failed']);
  });

  it('stays quiet when some files were analyzed, and raises a problem again after a success', () => {
    const { s, shown } = sink();
    reportRunResult({ files: [failed('a', 'ThrottlingException'), ok('b')] }, s);
    assert.deepEqual(shown, []);
    reportRunError(new Error('Could not load credentials from any providers'), s);
    reportRunError(new Error('Could not load credentials from any providers'), s);
    reportRunResult({ files: [ok('c')] }, s);
    reportRunError(new Error('Could not load credentials from any providers'), s);
    assert.deepEqual(shown, ['credentials', 'credentials']);
  });
});
