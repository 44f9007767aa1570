/**
 * UI test 3: 50 files written from outside VS Code in a burst (each twice, as a generator would)
 * → coalesced into background work; the emulator's request log shows each file analyzed once, with
 * its newest content.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningEmulator } from '../../../src/emulator';
import { useSession } from '../harness/useSession';
import { analyzedCounts, chorusSession, keepAllowingConsent, eventually, startTestEmulator } from './chorusUi';

describe('Chorus: a burst of outside changes', function () {
  this.timeout(8 * 60_000); // a loaded 2-core machine: first runs load the engine, the scorer and the SDK
  let emulator: RunningEmulator | undefined;
  const vscode = useSession(async () => {
    emulator = await startTestEmulator();
    return chorusSession(emulator, { 'README.md': '# burst\n' }, { 'chorus.askBeforeSending': false, 'chorus.watch.quietMs': 1500 });
  });
  let stopAllowing = () => {};
  before(() => (stopAllowing = keepAllowingConsent(vscode.page)));
  after(async () => {
    stopAllowing();
    await emulator?.close();
  });

  it('analyzes each of 50 files once, with its newest content', async () => {
    await vscode.driver.statusBarItem(/Chorus/);
    const dir = join(vscode.folder, 'generated');
    mkdirSync(dir, { recursive: true });
    const paths = Array.from({ length: 50 }, (_, i) => `generated/module${i}.js`);
    const stamp = Date.now();
    for (const p of paths) writeFileSync(join(vscode.folder, p), `// draft ${stamp}\n`);
    for (const p of paths) writeFileSync(join(vscode.folder, p), `// final ${stamp}\nexport const v = eval("${p}");\n`);

    await eventually('all 50 files analyzed', () => paths.every((p) => analyzedCounts(emulator!).has(p)), 240_000);
    // Let anything still queued arrive, then count: a second analysis would show here.
    await new Promise((r) => setTimeout(r, 5000));
    const counts = analyzedCounts(emulator!);
    const twice = paths.filter((p) => counts.get(p) !== 1);
    assert.deepEqual(twice, [], `analyzed more than once: ${twice.map((p) => `${p}×${counts.get(p)}`).join(', ')}`);
    const bodies = emulator!.requests({ includeBodies: true }).filter((r) => r.outcome === 'ok');
    assert.ok(bodies.every((r) => !String(r.prompt ?? '').includes('// draft')), 'a superseded draft was sent');
    const problems = await vscode.driver.problems();
    assert.ok(problems.some((p) => p.source === 'Chorus' && p.code.includes('no-eval')));
    await vscode.driver.screenshot('chorus-burst-problems');
  });
});
