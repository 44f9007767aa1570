/**
 * UI test 4: an untrusted workspace, and a declined consent → the emulator received nothing, and
 * the user was told why.
 */
import assert from 'node:assert/strict';
import type { RunningEmulator } from '../../../src/emulator';
import { useSession } from '../harness/useSession';
import { answerDialog, chorusSession, eventually, jsSample, notifications, startTestEmulator } from './chorusUi';

/** Long enough for a run to have reached the emulator had one started (they take well under this). */
const SETTLE_MS = 8000;

describe('Chorus: an untrusted workspace sends nothing', function () {
  this.timeout(8 * 60_000); // a loaded 2-core machine: first runs load the engine, the scorer and the SDK
  let emulator: RunningEmulator | undefined;
  const vscode = useSession(async () => {
    emulator = await startTestEmulator();
    // Even with consent pre-agreed for the machine, trust decides first.
    return chorusSession(emulator, { 'src/app.js': jsSample('untrusted') }, { 'chorus.askBeforeSending': false }, false);
  });
  after(async () => emulator?.close());

  it('tells the user why, and the emulator receives nothing', async () => {
    await vscode.driver.statusBarItem(/Chorus/);
    await vscode.driver.runCommand('Chorus: Analyze Workspace');
    const told = await eventually('the untrusted notice', async () => (await notifications(vscode.page)).find((t) => t.includes('untrusted workspace')));
    assert.match(told, /does not send code/);
    await vscode.driver.openFile('src/app.js');
    await vscode.driver.type('// edited\n');
    await vscode.driver.save();
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    await vscode.driver.screenshot('chorus-untrusted');
    const status = await vscode.driver.statusBarItem(/Chorus/);
    assert.match(status.ariaLabel, /restricted/);
    assert.deepEqual(emulator!.requests(), []);
  });
});

describe('Chorus: a declined consent sends nothing', function () {
  this.timeout(8 * 60_000); // a loaded 2-core machine: first runs load the engine, the scorer and the SDK
  let emulator: RunningEmulator | undefined;
  const vscode = useSession(async () => {
    emulator = await startTestEmulator();
    return chorusSession(emulator, { 'src/app.js': jsSample('declined') });
  });
  after(async () => emulator?.close());

  it('asks once; after "Don\'t Allow" nothing is sent, and saves do not ask again', async () => {
    await vscode.driver.statusBarItem(/Chorus/);
    await vscode.driver.openFile('src/app.js');
    await vscode.driver.type('// first edit\n');
    await vscode.page.keyboard.press('Control+S');
    const prompt = await answerDialog(vscode.page, "Don't Allow");
    assert.match(prompt, /Secrets it recognizes are redacted/);
    await vscode.driver.type('// second edit\n');
    await vscode.driver.save();
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    assert.equal(await vscode.page.locator('.monaco-dialog-box').count(), 0, 'asked again after a declined consent');
    await vscode.driver.screenshot('chorus-consent-declined');
    assert.deepEqual(emulator!.requests(), []);
  });
});
