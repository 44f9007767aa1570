/**
 * Issue 18, what a new user sees: after "Don't Allow" the status bar says "not allowed" (not
 * "✓ Chorus") and a save that does nothing says why once, not a toast per save; a click on the
 * status bar asks again; then a finding underlines the exact code with its rule linked; and the
 * first-run walkthrough. Screenshots: docs/images/{status-not-allowed,exact-range,walkthrough}.png.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningEmulator } from '../../../src/emulator';
import { repoRoot } from '../harness/paths';
import { useSession } from '../harness/useSession';
import { answerDialog, chorusSession, eventually, notifications, startTestEmulator } from './chorusUi';

const NOT_ANALYZING = /Chorus is not analyzing saved files/;

/** The screenshots the README and the Marketplace page show (only when CHORUS_E2E_SCREENSHOTS=1). */
function publish(file: string, name: string): void {
  if (process.env.CHORUS_E2E_SCREENSHOTS !== '1') return;
  mkdirSync(join(repoRoot, 'docs/images'), { recursive: true });
  copyFileSync(file, join(repoRoot, 'docs/images', `${name}.png`));
}

describe('Chorus: the first run as a user sees it', function () {
  this.timeout(8 * 60_000);
  let emulator: RunningEmulator | undefined;
  const vscode = useSession(async () => {
    emulator = await startTestEmulator();
    return chorusSession(emulator, { 'src/app.js': 'function run(input) {\n  return eval(input);\n}\n' }, { 'workbench.editor.enablePreview': false });
  });
  after(async () => emulator?.close());

  it('"Don\'t Allow": the status bar says so, a save says why once, a click asks again', async () => {
    await vscode.driver.statusBarItem(/Chorus/);
    await vscode.driver.openFile('src/app.js');
    await vscode.page.keyboard.press('Control+End');
    await vscode.driver.type(`\nconst first = ${Date.now()};`);
    await vscode.page.keyboard.press('Control+S');
    await answerDialog(vscode.page, "Don't Allow");
    const item = await vscode.driver.statusBarItem(/Chorus: not allowed/);
    assert.doesNotMatch(item.text, /check/);
    for (let i = 0; i < 3; i++) {
      await vscode.driver.type(`\nconst save${i} = ${Date.now()};`);
      await vscode.driver.save();
    }
    await eventually('the "not analyzing" notification', async () => (await notifications(vscode.page)).some((t) => NOT_ANALYZING.test(t)));
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal((await notifications(vscode.page)).filter((t) => NOT_ANALYZING.test(t)).length, 1, 'told once, not once per save');
    publish(await vscode.driver.screenshot('chorus-status-not-allowed'), 'status-not-allowed');
    assert.equal(emulator!.requests().length, 0, 'nothing was sent');
    await vscode.page.locator('.part.statusbar .statusbar-item').filter({ hasText: /Chorus: not allowed/ }).first().click();
    await eventually('the status bar back to normal', async () => !(await vscode.driver.statusBarItems()).some((s) => /not allowed/.test(s.text)));
  });

  it('after "Allow", the finding underlines the exact code and links its rule', async () => {
    await vscode.driver.type(`\nconst again = ${Date.now()};`);
    await vscode.page.keyboard.press('Control+S');
    await answerDialog(vscode.page, 'Allow');
    const problem = await eventually('the no-eval problem', async () => (await vscode.driver.problems()).find((p) => p.code.includes('no-eval')));
    assert.match(problem.message, /^\[emulator\] /);
    // The squiggle covers `eval(input)`, not the line: VS Code draws it as one decoration that wide.
    const squiggle = vscode.driver.activeEditor().locator('.squiggly-error').first();
    await squiggle.waitFor({ state: 'visible', timeout: 60_000 });
    const width = (await squiggle.boundingBox())?.width ?? 0;
    const line = (await vscode.driver.activeEditor().locator('.view-line').filter({ hasText: 'return eval(input);' }).first().boundingBox())?.width ?? 0;
    assert.ok(width > 0 && width < line * 0.8, `squiggle ${width}px on a line of ${line}px`);
    // The Problems panel (open from problems()) shows the rule id as a link: `Chorus(no-eval)`.
    await vscode.page.locator('.markers-panel a, .markers-panel .monaco-link').filter({ hasText: 'no-eval' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    publish(await vscode.driver.screenshot('chorus-exact-range'), 'exact-range');
  });

  it('the walkthrough opens from the Welcome page', async () => {
    await vscode.page.keyboard.press('Escape');
    // From the Welcome page, as a user finds it (its list of walkthroughs names Chorus's).
    await vscode.driver.runCommand('Help: Welcome');
    const entry = vscode.page.locator('.gettingStartedContainer button, .gettingStartedContainer .getting-started-category').filter({ hasText: 'Get started with Chorus' }).first();
    await entry.waitFor({ state: 'visible', timeout: 60_000 });
    await entry.click();
    await vscode.page.locator('.gettingStartedContainer').filter({ hasText: 'Choose where code goes' }).first().waitFor({ state: 'visible', timeout: 60_000 });
    await vscode.page.locator('.gettingStartedContainer').filter({ hasText: 'Try it offline' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    publish(await vscode.driver.screenshot('chorus-walkthrough'), 'walkthrough');
  });
});
