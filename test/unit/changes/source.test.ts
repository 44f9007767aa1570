import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DiffError } from '../../../src/core/changes/diff';
import { readChanges, readLimited } from '../../../src/core/changes/source';

describe('changes/source: where a diff comes from', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chorus-diff-src-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a diff from a file or from stdin', async () => {
    const diff = '--- a/x.js\n+++ b/x.js\n@@ -1 +1 @@\n-a\n+b\n';
    writeFileSync(join(dir, 'pr.diff'), diff);
    assert.equal((await readChanges(dir, { diff: join(dir, 'pr.diff') }))![0]!.newPath, 'x.js');
    assert.equal((await readChanges(dir, { diff: '-' }, Readable.from([Buffer.from(diff)])))![0]!.newPath, 'x.js');
    assert.equal(await readChanges(dir, {}), undefined, 'no source: whole-file analysis');
  });

  it('stops reading past the limit and says why; a folder or a missing file is a clear error', async () => {
    await assert.rejects(readLimited(Readable.from(['x'.repeat(600), 'y'.repeat(600)]), 1000, 'the diff on stdin'), (e: unknown) => e instanceof DiffError && /larger than/.test(e.message));
    await assert.rejects(readChanges(dir, { diff: dir }), /not a file/);
    await assert.rejects(readChanges(dir, { diff: join(dir, 'none.diff') }), /cannot read the diff .*ENOENT/);
    await assert.rejects(readChanges(dir, { diff: '-', since: 'HEAD' }), /not both/);
  });
});
