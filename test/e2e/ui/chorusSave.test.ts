/**
 * UI test 1: edit and save a file → after the one consent prompt (answered "Allow"), a Chorus
 * diagnostic on the right line in the Problems panel.
 */
import assert from 'node:assert/strict';
import type { RunningEmulator } from '../../../src/emulator';
import { useSession } from '../harness/useSession';
import { answerDialog, chorusSession, eventually, startTestEmulator } from './chorusUi';

describe('Chorus: save → diagnostic in the Problems panel', function () {
  this.timeout(8 * 60_000); // a loaded 2-core machine: first runs load the engine, the scorer and the SDK
  let emulator: RunningEmulator | undefined;
  const vscode = useSession(async () => {
    emulator = await startTestEmulator();
    return chorusSession(emulator, { 'src/app.js': '// app\nexport function ok() {\n  return 1;\n}\n' });
  });
  after(async () => emulator?.close());

  it('asks once, then shows the finding on the saved line', async () => {
    // Chorus activates after startup; a save before that is not seen by anyone.
    await vscode.driver.statusBarItem(/Chorus/);
    await vscode.driver.openFile('src/app.js');
    await vscode.driver.type(`const value = eval(userInput); // ${Date.now()}\n`);
    await vscode.page.keyboard.press('Control+S');
    const prompt = await answerDialog(vscode.page, 'Allow');
    assert.match(prompt, /Chorus will send the contents of files/);
    assert.match(prompt, new RegExp(emulator!.url.replace(/[.:/]/g, '\\$&')));
    const problem = await eventually('a Chorus problem for the eval line', async () =>
      (await vscode.driver.problems()).find((p) => p.source === 'Chorus' && p.code.includes('no-eval')),
    );
    assert.equal(problem.line, 1);
    assert.equal(problem.severity, 'error');
    assert.match(problem.file, /src\/app\.js$/);
    assert.match(problem.message, /\((Nova Pro|Llama 3\.3 70B)\)$/);
    await vscode.driver.screenshot('chorus-save-diagnostic');
    assert.ok(emulator!.requests().some((r) => r.files.includes('src/app.js')));
  });
});
