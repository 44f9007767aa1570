/**
 * UI test 5: the packaged .vsix (`npm run package`), installed by code-server's own
 * --install-extension — not the dev folder — activates and analyzes a file against the emulator.
 * Built from the harness's parts because a session stages the dev build.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { RunningEmulator } from '../../../src/emulator';
import { launchChromium } from '../harness/browser';
import { startCodeServer, type CodeServer } from '../harness/codeServer';
import { WorkbenchDriver } from '../harness/driver';
import { codeServerEntry, hostNode, repoRoot } from '../harness/paths';
import { writeFiles, writeUserSettings } from '../harness/profile';
import { CREDENTIALS, eventually, jsSample, keepAllowingConsent, startTestEmulator } from './chorusUi';

const VSIX = join(repoRoot, 'dist-vsix/chorus.vsix');

describe('Chorus installed from its .vsix', function () {
  this.timeout(10 * 60_000);
  let emulator: RunningEmulator | undefined;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let driver: WorkbenchDriver;
  let extensionsDir: string;
  let stopAllowing = () => {};
  const dir = mkdtempSync(join(tmpdir(), 'chorus-e2e-vsix-'));

  before(async () => {
    if (!existsSync(VSIX) || process.env.CHORUS_E2E_REPACKAGE) execFileSync('npm', ['run', 'package'], { cwd: repoRoot, stdio: 'inherit' });
    emulator = await startTestEmulator();
    const folder = join(dir, 'workspace');
    writeFiles(folder, { 'src/app.js': jsSample('vsix') });
    const userDataDir = join(dir, 'user-data');
    writeUserSettings(userDataDir, { 'chorus.endpoint': emulator.url, 'chorus.askBeforeSending': false }, true);
    extensionsDir = join(dir, 'extensions');
    mkdirSync(extensionsDir, { recursive: true });
    execFileSync(hostNode, [codeServerEntry, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', VSIX], { stdio: 'pipe' });
    server = await startCodeServer({
      userDataDir, extensionsDir, folder,
      configFile: join(dir, 'code-server.yaml'), logFile: join(dir, 'code-server.log'), env: CREDENTIALS,
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(server.url);
    driver = new WorkbenchDriver(page);
    await driver.waitForWorkbench();
    stopAllowing = keepAllowingConsent(page);
  });

  after(async () => {
    stopAllowing();
    await browser?.close().catch(() => undefined);
    await server?.stop();
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is installed from the package: bundle, media and manifest only', () => {
    const [installed] = readdirSync(extensionsDir).filter((d) => d.startsWith('chorus-dev.bedrock-chorus-'));
    assert.ok(installed, `not installed: ${readdirSync(extensionsDir).join(', ')}`);
    const files = readdirSync(join(extensionsDir, installed));
    assert.ok(files.includes('dist') && files.includes('package.json'));
    assert.ok(!files.includes('src') && !files.includes('node_modules') && !files.includes('test'), `unexpected: ${files.join(', ')}`);
    console.log(`      .vsix size: ${(statSync(VSIX).size / 1024).toFixed(0)} KB`);
  });

  it('activates and analyzes a file', async () => {
    await driver.openFile('src/app.js');
    await driver.runCommand('Chorus: Analyze Current File');
    const problem = await eventually('a Chorus problem from the installed extension', async () =>
      (await driver.problems()).find((p) => p.source === 'Chorus' && p.code.includes('no-eval')),
    );
    assert.equal(problem.line, 2);
    await driver.screenshot('chorus-vsix-installed');
  });
});
