/**
 * UI test: "Chorus: Review Changes" in a real VS Code on a real git repository. The review is run
 * from the command palette and from the Source Control view's title bar button; the Problems panel
 * shows findings only on changed lines (the emulator flags `eval` and `==`: one `==` is planted in
 * the uncommitted edit, `eval`s stay in committed code, one of them inside the changed function, so
 * it is sent as context and must still not be shown). "Review Changes Against…" with the picked
 * branch also covers a file committed since that branch. "Ignore this finding" survives a rerun
 * and a window reload; "Chorus: Show Ignored Findings" lists it.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { RunningEmulator } from '../../../src/emulator';
import { writeFiles } from '../harness/profile';
import { useSession } from '../harness/useSession';
import { chorusSession, eventually, keepAllowingConsent, notifications, startTestEmulator } from './chorusUi';

const COMMITTED_APP = [
  'function load(input) {',
  '  return eval(input);',
  '}',
  '',
  'function check(a, b) {',
  '  const parsed = eval(a);',
  '  return parsed + b;',
  '}',
  '',
].join('\n');
/** Line 7 changes to a loose comparison: the one finding a review against HEAD may show. */
const EDITED_APP = COMMITTED_APP.replace('  return parsed + b;', '  return parsed == b;');
/** Committed on main after the `base` branch: only a review against `base` sees it. */
const UTIL = ['function same(x, y) {', '  return x != y;', '}', ''].join('\n');

function git(cwd: string, ...args: string[]): void {
  // Identity and no signing/hooks from the machine's config: the repository is the test's own.
  execFileSync('git', ['-c', 'user.name=Chorus E2E', '-c', 'user.email=e2e@chorus.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd, stdio: 'pipe' });
}

/** main: app.js, then util.js; branch `base` at the first commit; app.js edited, not committed. */
function makeRepository(): string {
  const folder = mkdtempSync(join(tmpdir(), 'chorus-e2e-review-'));
  git(folder, 'init', '--quiet', '--initial-branch=main');
  writeFiles(folder, { 'src/app.js': COMMITTED_APP });
  git(folder, 'add', '.');
  git(folder, 'commit', '--quiet', '-m', 'app');
  git(folder, 'branch', 'base');
  writeFiles(folder, { 'src/util.js': UTIL });
  git(folder, 'add', '.');
  git(folder, 'commit', '--quiet', '-m', 'util');
  writeFiles(folder, { 'src/app.js': EDITED_APP });
  return folder;
}

describe('Chorus: Review Changes in a git workspace (palette, SCM title bar, against a branch, ignore)', function () {
  this.timeout(12 * 60_000);
  let emulator: RunningEmulator | undefined;
  let repository: string | undefined;
  const vscode = useSession(async () => {
    emulator = await startTestEmulator();
    repository = makeRepository();
    // git.enabled: the harness turns the Git extension off for quiet sessions; this test needs the
    // Source Control view (and its scmProvider == git context) for the title bar button.
    const options = chorusSession(emulator, {}, { 'chorus.askBeforeSending': false, 'chorus.analyzeOnSave': false, 'chorus.watch.enabled': false, 'git.enabled': true });
    return { ...options, files: undefined, folder: repository };
  });
  let stopAllowing = () => {};
  before(() => (stopAllowing = keepAllowingConsent(vscode.page)));
  after(async () => {
    stopAllowing();
    await emulator?.close();
    if (repository) rmSync(repository, { recursive: true, force: true });
  });

  const chorusProblems = async () =>
    (await vscode.driver.problems()).filter((p) => p.source === 'Chorus').map((p) => ({ file: basename(p.file), line: p.line, code: p.code.replace(/\W*$/, '') }));
  const describeAll = (all: { file: string; line: number; code: string }[]) => all.map((p) => `${p.file}:${p.line} ${p.code}`).sort();
  /** The review's closing toast, a new one: old toasts are cleared before each review. */
  const clearToasts = () => vscode.driver.runCommand('Notifications: Clear All Notifications');
  const reviewToast = (against: string) =>
    eventually(`the review summary against ${against}`, async () => (await notifications(vscode.page)).find((t) => t.includes('on changed lines') && t.includes(`against ${against}`)));
  /** An activity bar item (the item, not its label: a badge such as pending changes lies over the icon). */
  const activityItem = (name: string) =>
    vscode.page.locator('.part.activitybar li.action-item').filter({ has: vscode.page.locator(`a.action-label[aria-label^="${name}"]`) }).first();
  const requestsFor = (file: string) => emulator!.requests().filter((r) => r.files.includes(file) && r.endTime !== undefined).length;

  it('from the palette: only the finding on the changed line, not the committed ones', async () => {
    await vscode.driver.statusBarItem(/Chorus/);
    await clearToasts();
    await vscode.driver.runCommand('Chorus: Review Changes');
    const toast = await reviewToast('HEAD');
    assert.match(toast, /1 finding\(s\) on changed lines in 1 changed file\(s\)/);
    const problems = await eventually('the eqeqeq finding on line 7', async () => {
      const all = await chorusProblems();
      return all.some((p) => p.file.endsWith('app.js') && p.code.includes('eqeqeq')) && all;
    });
    // The `eval` on line 6 was sent (it is in the changed function) and is flagged by the emulator's
    // rules; it is committed code, so the review does not show it. Nor the one in load().
    assert.deepEqual(describeAll(problems), ['app.js:7 eqeqeq']);
    assert.ok(requestsFor('src/app.js') >= 1, 'the emulator analyzed the change');
    await vscode.driver.screenshot('chorus-review-changes');
  });

  it('from the Source Control view title bar button (answered from the function cache)', async () => {
    await clearToasts();
    // The activity bar's Source Control icon, as a user opens the view.
    await activityItem('Source Control').click();
    // In the view's title bar (a view pane's header shows its actions while hovered), once the Git
    // extension has opened the repository.
    const button = vscode.page.locator('.part.sidebar a.action-label[aria-label="Review Changes"]').first();
    await eventually('the Review Changes button in the Source Control title bar', async () => {
      for (const header of await vscode.page.locator('.part.sidebar .pane-header, .part.sidebar .composite.title').all()) await header.hover().catch(() => undefined);
      return button.isVisible();
    });
    await vscode.driver.screenshot('chorus-review-changes-scm');
    await button.click();
    const toast = await reviewToast('HEAD');
    // The same change again: its function comes from the cache, no tokens spent.
    assert.match(toast, /0 function\(s\) sent, 1 from the cache/);
    assert.deepEqual(describeAll(await chorusProblems()), ['app.js:7 eqeqeq']);
    // Back to the Explorer: a reload restores the side bar as it was, and the driver knows a
    // loaded workbench by its explorer.
    await activityItem('Explorer').click();
    await vscode.page.locator('.explorer-folders-view').waitFor({ state: 'visible', timeout: 60_000 });
  });

  it('Review Changes Against… the picked branch also covers what was committed since it', async () => {
    await clearToasts();
    const title = 'Chorus: Review Changes Against…';
    // Not runCommand: the command replaces the palette with its own pick.
    const entry = await vscode.driver.quickInput.find(title, () => vscode.driver.quickInput.open('F1', `>${title}`), 120_000);
    await entry.click();
    await vscode.page.locator('.quick-input-widget input[placeholder^="Branch, tag or commit"]').waitFor({ state: 'visible', timeout: 60_000 });
    await vscode.driver.quickInput.input.fill('base');
    await vscode.page.locator('.quick-input-widget .quick-input-list .monaco-list-row[aria-label="base"]').click();
    await reviewToast('base');
    const problems = await eventually('util.js and app.js findings', async () => {
      const all = await chorusProblems();
      return all.some((p) => p.file.endsWith('util.js')) && all;
    });
    assert.deepEqual(describeAll(problems), ['app.js:7 eqeqeq', 'util.js:2 eqeqeq']);
  });

  it('Ignore this finding: gone after a rerun and after a reload; Show Ignored Findings lists it', async () => {
    // The quick fix menu on the changed line (7), inside `parsed == b`.
    await vscode.driver.openFile('src/app.js');
    await vscode.driver.type('');
    await vscode.page.keyboard.press('Control+Home');
    for (let i = 0; i < 6; i++) await vscode.page.keyboard.press('ArrowDown');
    await vscode.page.keyboard.press('End');
    for (let i = 0; i < 3; i++) await vscode.page.keyboard.press('ArrowLeft');
    const ignore = vscode.page.locator('.action-widget').getByText('Ignore this finding (eqeqeq)', { exact: true });
    // The menu lists what the providers answered by the time it opens: ask again until ours are in.
    // Each retry starts from a closed menu: Ctrl+. over an open one could accept its first entry
    // (the "===" fix), which would edit the file instead of ignoring the finding.
    const menu = vscode.page.locator('.action-widget');
    const closeMenu = async () => {
      await vscode.page.keyboard.press('Escape');
      await menu.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
    };
    await eventually('the Chorus quick fixes in the menu', async () => {
      if (await menu.isVisible()) await closeMenu();
      await vscode.page.keyboard.press('Control+.');
      if (await ignore.waitFor({ state: 'visible', timeout: 10_000 }).then(() => true, () => false)) return true;
      await closeMenu();
      return false;
    });
    await ignore.click();
    assert.equal(await vscode.page.locator('.part.editor .tab.active.dirty').count(), 0, 'the quick fix menu edited the file instead of ignoring the finding');
    await eventually('app.js eqeqeq gone', async () => describeAll(await chorusProblems()).join() === 'util.js:2 eqeqeq');
    const baseline = readFileSync(join(vscode.folder, '.chorus', 'baseline.json'), 'utf8');
    assert.match(baseline, /"ruleId":"eqeqeq"/);
    assert.match(baseline, /src\/app\.js/);

    // A real rerun: the cache cleared, so the model answers about the change again.
    const before = requestsFor('src/app.js');
    await vscode.driver.runCommand('Chorus: Clear Cache');
    await clearToasts();
    await vscode.driver.runCommand('Chorus: Review Changes');
    // The model found it again; the toast counts what is shown, and says one is ignored.
    assert.match(await reviewToast('HEAD'), /0 finding\(s\) on changed lines in 1 changed file\(s\) against HEAD, 1 more ignored/);
    assert.ok(requestsFor('src/app.js') > before, 'the rerun asked the emulator again');
    assert.deepEqual(describeAll(await chorusProblems()), ['util.js:2 eqeqeq']);

    await vscode.driver.runCommand('Developer: Reload Window');
    await vscode.driver.waitForWorkbench();
    await vscode.driver.statusBarItem(/Chorus/);
    // The reviews' findings come back with the window, as a run's do (restored, no token spent).
    await eventually('the reviewed findings restored after the reload', async () => describeAll(await chorusProblems()).join() === 'util.js:2 eqeqeq');
    await vscode.driver.runCommand('Chorus: Clear Cache');
    await clearToasts();
    const beforeReload = requestsFor('src/app.js');
    await vscode.driver.runCommand('Chorus: Review Changes');
    await reviewToast('HEAD');
    assert.ok(requestsFor('src/app.js') > beforeReload, 'the review after the reload asked the emulator again');
    assert.ok(!(await chorusProblems()).some((p) => p.file.endsWith('app.js')), 'the ignored finding came back after the reload');

    const title = 'Chorus: Show Ignored Findings';
    const entry = await vscode.driver.quickInput.find(title, () => vscode.driver.quickInput.open('F1', `>${title}`), 120_000);
    await entry.click();
    await vscode.page.locator('.quick-input-widget input[placeholder^="Ignored findings"]').waitFor({ state: 'visible', timeout: 60_000 });
    const labels = await vscode.driver.quickInput.labels();
    assert.ok(labels.some((l) => l.startsWith('eqeqeq — src/app.js:7')), `ignored findings listed: ${JSON.stringify(labels)}`);
    await vscode.driver.screenshot('chorus-review-ignored');
    await vscode.driver.quickInput.close();
  });
});
