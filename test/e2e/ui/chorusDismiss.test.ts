/**
 * UI test: a dismissed finding stays dismissed through a window reload and a rerun, because it
 * lives in the folder's .chorus/baseline.json; "Chorus: Show Ignored Findings" brings it back.
 * Driven as a user would: the quick fix menu (Ctrl+.), the palette, the Problems panel.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningEmulator } from '../../../src/emulator';
import { useSession } from '../harness/useSession';
import { chorusSession, eventually, jsSample, keepAllowingConsent, startTestEmulator } from './chorusUi';

describe('Chorus: a dismissed finding stays dismissed (reload, rerun, Show Ignored)', function () {
  this.timeout(10 * 60_000);
  let emulator: RunningEmulator | undefined;
  const vscode = useSession(async () => {
    emulator = await startTestEmulator();
    return chorusSession(emulator, { 'src/app.js': jsSample('dismiss') }, { 'chorus.askBeforeSending': false, 'chorus.analyzeOnSave': false });
  });
  after(async () => emulator?.close());

  const codes = async () => (await vscode.driver.problems()).filter((p) => p.source === 'Chorus').map((p) => p.code.replace(/\W*$/, ''));
  const analyze = async () => {
    const before = emulator!.requests().length;
    await vscode.driver.openFile('src/app.js');
    await vscode.driver.runCommand('Chorus: Analyze Current File');
    await eventually('the file analyzed', () => emulator!.requests().some((r, i) => i >= before && r.files.includes('src/app.js') && r.endTime !== undefined));
  };

  it('ignore from the quick fix menu, reload, rerun: still gone; Show Ignored restores it', async () => {
    const stopAllowing = keepAllowingConsent(vscode.page);
    try {
      await vscode.driver.statusBarItem(/Chorus/);
      await analyze();
      await eventually('no-eval and eqeqeq in the Problems panel', async () => {
        const now = await codes();
        return now.some((c) => c.includes('no-eval')) && now.some((c) => c.includes('eqeqeq'));
      });

      // The quick fix menu on the eval line (line 2).
      await vscode.driver.openFile('src/app.js');
      await vscode.driver.type('');
      await vscode.page.keyboard.press('Control+Home');
      await vscode.page.keyboard.press('ArrowDown');
      // Inside `eval(input)`: the diagnostic's range is the offending code, not the whole line.
      await vscode.page.keyboard.press('End');
      await vscode.page.keyboard.press('ArrowLeft');
      await vscode.page.keyboard.press('ArrowLeft');
      // The menu lists what the providers answered by the time it opens: ask again until ours are in.
      const ignore = vscode.page.locator('.action-widget').getByText('Ignore this finding (no-eval)', { exact: true });
      await eventually('the Chorus quick fixes in the menu', async () => {
        await vscode.page.keyboard.press('Control+.');
        if (await ignore.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false)) return true;
        await vscode.page.keyboard.press('Escape');
        return false;
      });
      await vscode.driver.screenshot('chorus-quick-fix-menu');
      await ignore.click();
      await eventually('no-eval gone from the Problems panel', async () => !(await codes()).some((c) => c.includes('no-eval')));
      const baseline = readFileSync(join(vscode.folder, '.chorus', 'baseline.json'), 'utf8');
      assert.match(baseline, /"ruleId":"no-eval"/);

      await vscode.driver.runCommand('Developer: Reload Window');
      await vscode.driver.waitForWorkbench();
      await vscode.driver.statusBarItem(/Chorus/);
      // Restored from the last session (no tokens): the dismissed one is not among them.
      await eventually('eqeqeq restored after the reload, no-eval still gone', async () => {
        const now = await codes();
        return now.some((c) => c.includes('eqeqeq')) && !now.some((c) => c.includes('no-eval'));
      });
      // A real rerun (the cache cleared, so the model answers again): it does not come back.
      await vscode.driver.runCommand('Chorus: Clear Cache');
      await analyze();
      await eventually('eqeqeq after the rerun, no-eval still gone', async () => {
        const now = await codes();
        return now.some((c) => c.includes('eqeqeq')) && !now.some((c) => c.includes('no-eval'));
      });
      await vscode.driver.screenshot('chorus-dismissed-after-reload');

      // Not runCommand: it waits for the palette to close, and this command opens a pick in its place.
      const title = 'Chorus: Show Ignored Findings';
      const entry = await vscode.driver.quickInput.find(title, () => vscode.driver.quickInput.open('F1', `>${title}`), 120_000);
      await entry.click();
      await vscode.page.locator('.quick-input-widget input[placeholder^="Ignored findings"]').waitFor({ state: 'visible', timeout: 60_000 });
      await vscode.driver.screenshot('chorus-show-ignored-findings');
      await vscode.page.keyboard.press('Enter');
      await eventually('no-eval restored', async () => (await codes()).some((c) => c.includes('no-eval')));
    } finally {
      stopAllowing();
    }
  });
});
