import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commitChanges, fileAt, gitChanges, listRefs, validateRef } from '../../../src/core/changes/git';
import { workspace } from '../engine/fakes';

describe('changes/git: diffs from git, never through a shell', () => {
  let root = '';
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: root, stdio: 'pipe' }).toString();
  before(() => {
    root = workspace({ 'a.js': 'one\ntwo\nthree\n' });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-qm', 'base');
    git('tag', 'v1');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('reads uncommitted changes against HEAD hunk by hunk, untracked files whole', async () => {
    writeFileSync(join(root, 'a.js'), 'one\nTWO\nthree\nfour\n');
    writeFileSync(join(root, 'new.js'), 'x\n');
    const changes = await gitChanges(root);
    const a = changes.find((c) => c.newPath === 'a.js')!;
    assert.deepEqual(a.hunks.flatMap((h) => h.added), [2, 4]);
    assert.deepEqual(changes.find((c) => c.newPath === 'new.js'), { newPath: 'new.js', status: 'added', hunks: [] });
    git('commit', '-qam', 'second');
    const [c] = await commitChanges(root, 'HEAD');
    assert.deepEqual(c!.hunks.flatMap((h) => h.added), [2, 4]);
    assert.equal(await fileAt(root, 'v1', 'a.js'), 'one\ntwo\nthree\n');
    assert.equal(await fileAt(root, 'v1', 'missing.js'), undefined);
  });

  it('lists branches and tags, and refuses refs that could be options or ranges', async () => {
    assert.deepEqual((await listRefs(root)).sort(), ['main', 'v1']);
    for (const bad of ['--output=/tmp/x', '-p', 'a..b', 'a b', 'x;rm -rf /', '', 'ref\nnext']) assert.throws(() => validateRef(bad), /Invalid git ref/);
    assert.equal(validateRef('origin/main~2'), 'origin/main~2');
    await assert.rejects(gitChanges(root, 'no-such-branch'), /not a commit/);
  });
});
