import { strict as assert } from 'node:assert';
import { VersionLedger } from '../../../src/extension/triggers/versionLedger';

describe('VersionLedger', () => {
  it('hides results of a run superseded by a newer run of the same file, and aborts it', () => {
    const ledger = new VersionLedger(() => undefined);
    const first = ledger.begin(['a.ts'], new Map());
    const second = ledger.begin(['a.ts'], new Map());
    assert.equal(ledger.isCurrent(first, 'a.ts'), false);
    assert.equal(ledger.isCurrent(second, 'a.ts'), true);
    assert.equal(first.controller.signal.aborted, true, 'nothing of it can be shown: abort');
    assert.equal(second.controller.signal.aborted, false);
  });

  it('keeps a run going while any of its files is still current', () => {
    const ledger = new VersionLedger(() => undefined);
    const burst = ledger.begin(['a.ts', 'b.ts'], new Map());
    ledger.begin(['a.ts'], new Map());
    assert.equal(burst.controller.signal.aborted, false);
    assert.equal(ledger.isCurrent(burst, 'a.ts'), false);
    assert.equal(ledger.isCurrent(burst, 'b.ts'), true);
  });

  it('drops results when the open document changed since the run started', () => {
    const versions = new Map([['a.ts', 3]]);
    const ledger = new VersionLedger((p) => versions.get(p));
    const run = ledger.begin(['a.ts'], new Map(versions));
    assert.equal(ledger.isCurrent(run, 'a.ts'), true);
    versions.set('a.ts', 4);
    assert.equal(ledger.isCurrent(run, 'a.ts'), false);
  });

  it('lets a whole-folder run show results unless a later run claimed the file', () => {
    const ledger = new VersionLedger(() => undefined);
    const workspace = ledger.begin(undefined, new Map());
    assert.equal(ledger.isCurrent(workspace, 'x.ts'), true);
    ledger.begin(['x.ts'], new Map());
    assert.equal(ledger.isCurrent(workspace, 'x.ts'), false);
    assert.equal(workspace.controller.signal.aborted, false, 'a whole-folder run is never aborted by one file');
  });

  it('supersedes pending results of a deleted file', () => {
    const ledger = new VersionLedger(() => undefined);
    const run = ledger.begin(['gone.ts'], new Map());
    ledger.supersede('gone.ts');
    assert.equal(ledger.isCurrent(run, 'gone.ts'), false);
    assert.equal(run.controller.signal.aborted, true);
    ledger.end(run);
    assert.equal(ledger.activeCount, 0);
  });
});
