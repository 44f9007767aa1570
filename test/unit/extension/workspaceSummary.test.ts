import assert from 'node:assert/strict';
import type { FileOutcome } from '../../../src/core/types';
import { tally, workspaceSummary } from '../../../src/extension/notify/workspaceSummary';

const finding = { file: 'a', startLine: 1, endLine: 1, severity: 'warning', ruleId: 'r', message: 'm', model: 'x', fingerprint: 'f' } as const;
const outcome = (status: FileOutcome['status'], extra: Partial<FileOutcome> = {}): FileOutcome => ({ path: `${status}${Math.random()}`, status, findings: [], ...extra });

describe('Analyze Workspace summary', () => {
  it('after a cancel, says how many of the files were analyzed, not that all of them were', () => {
    const files = [...Array.from({ length: 98 }, () => outcome('analyzed', { findings: [finding] })), ...Array.from({ length: 207 }, () => outcome('skipped', { reason: 'cancelled' }))];
    assert.equal(workspaceSummary(tally(files), true), 'Chorus stopped: 98 of 305 files analyzed, 207 skipped (cancelled or not sent): 98 findings.');
  });

  it('on completion, counts cached and failed files and adds up several folders', () => {
    const t = tally([outcome('analyzed', { cached: true }), outcome('analyzed', { findings: [finding] })]);
    tally([outcome('failed', { reason: 'x' })], t);
    assert.equal(workspaceSummary(t, false), 'Chorus analyzed 2 files (1 unchanged, from the cache), 1 failed (see the log): 1 finding.');
    assert.equal(workspaceSummary(tally([outcome('analyzed')]), false), 'Chorus analyzed 1 file: 0 findings.');
  });

  it('counts the findings shown and names the ones dismissed or hidden, so an ignored finding is not announced as found', () => {
    const t = tally([outcome('analyzed', { findings: [finding, finding, finding] })]);
    assert.equal(workspaceSummary(t, false, 1), 'Chorus analyzed 1 file: 1 finding (2 more ignored or hidden by the noise settings).');
    assert.equal(workspaceSummary(t, false, 3), 'Chorus analyzed 1 file: 3 findings.');
  });
});
