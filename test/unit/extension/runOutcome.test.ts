import { strict as assert } from 'node:assert';
import type { FileOutcome, OutcomeCode } from '../../../src/core/types';
import { reportRunError, reportRunResult, type ProblemSink } from '../../../src/extension/notify/runOutcome';
import { ProblemGate, type ProblemKind } from '../../../src/extension/notify/problems';

/** A sink that behaves like the notifier: the gate decides what would be shown. */
function sink() {
  const gate = new ProblemGate();
  const shown: ProblemKind[] = [];
  const s: ProblemSink = { report: (kind) => void (gate.admit(kind) && shown.push(kind)), reset: () => gate.reset() };
  return { s, shown };
}
const failed = (path: string, reason: string, code: OutcomeCode): FileOutcome => ({ path, status: 'failed', reason, code, findings: [] });
const ok = (path: string): FileOutcome => ({ path, status: 'analyzed', findings: [] });

/** What the SDK's credential chain throws when it finds nothing. */
const sdkCredentialsError = () => Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });

describe('run outcomes → notifications', () => {
  it('raises one notification for 300 files failing the same way, and not again on the next run', () => {
    const { s, shown } = sink();
    const files = Array.from({ length: 300 }, (_, i) => failed(`f${i}.ts`, 'AccessDeniedException: You don\'t have access to the model', 'access-denied'));
    reportRunResult({ files }, s);
    reportRunResult({ files }, s);
    assert.deepEqual(shown, ['access-denied']);
  });

  it('calls it "every model failed" when nothing worked and no cause is known', () => {
    const { s, shown } = sink();
    reportRunResult({ files: [failed('a', 'ServiceUnavailableException', 'service-error'), failed('b', 'InternalServerException', 'service-error')] }, s);
    assert.deepEqual(shown, ['all-models-failed']);
  });

  it('stays quiet when some files were analyzed, and raises a problem again after a success', () => {
    const { s, shown } = sink();
    reportRunResult({ files: [failed('a', 'ThrottlingException', 'throttled'), ok('b')] }, s);
    assert.deepEqual(shown, []);
    reportRunError(sdkCredentialsError(), s);
    reportRunError(sdkCredentialsError(), s);
    reportRunResult({ files: [ok('c')] }, s);
    reportRunError(sdkCredentialsError(), s);
    assert.deepEqual(shown, ['credentials', 'credentials']);
  });
});
