/**
 * UI test 2: "Chorus: Analyze Workspace" from the palette → a progress notification with counts,
 * then diagnostics for every file.
 */
import assert from 'node:assert/strict';
import type { RunningEmulator } from '../../../src/emulator';
import { useSession } from '../harness/useSession';
import { analyzedCounts, chorusSession, keepAllowingConsent, eventually, jsSample, notifications, startTestEmulator } from './chorusUi';

const FILES = ['src/a.js', 'src/b.js', 'src/lib/c.js', 'src/lib/d.js', 'tools/e.js', 'index.js'];

describe('Chorus: Analyze Workspace from the palette', function () {
  this.timeout(8 * 60_000); // a loaded 2-core machine: first runs load the engine, the scorer and the SDK
  let emulator: RunningEmulator | undefined;
  const vscode = useSession(async () => {
    // Real time: calls take seconds, so the progress notification stays long enough to be seen.
    emulator = await startTestEmulator(1);
    return chorusSession(emulator, Object.fromEntries(FILES.map((f) => [f, jsSample(f)])), { 'chorus.askBeforeSending': false });
  });
  let stopAllowing = () => {};
  before(() => (stopAllowing = keepAllowingConsent(vscode.page)));
  after(async () => {
    stopAllowing();
    await emulator?.close();
  });

  it('shows progress, then a diagnostic for every file', async () => {
    await vscode.driver.statusBarItem(/Chorus/);
    await vscode.driver.runCommand('Chorus: Analyze Workspace');
    const progress = await eventually('the progress notification', async () =>
      (await notifications(vscode.page)).find((t) => t.includes('Chorus: analyzing workspace')),
    );
    await vscode.driver.screenshot('chorus-workspace-progress');
    assert.ok(progress);
    await eventually('every file analyzed by the emulator', () => FILES.every((f) => analyzedCounts(emulator!).get(f) === 1));
    const problems = await eventually('problems for every file', async () => {
      const all = (await vscode.driver.problems()).filter((p) => p.source === 'Chorus');
      return FILES.every((f) => all.some((p) => p.file.endsWith(f) && p.code.includes('no-eval') && p.line === 2)) && all;
    });
    assert.ok(problems.length >= FILES.length);
    await vscode.driver.screenshot('chorus-workspace-problems');
    const done = await eventually('the summary notification', async () => (await notifications(vscode.page)).find((t) => /Chorus analyzed \d+ file/.test(t)));
    assert.match(done, new RegExp(`analyzed ${FILES.length} file`));
  });
});
