/**
 * Through the screen: during a workspace run against the emulator, "Chorus: Show Throughput
 * Dashboard" opens the dashboard webview, which shows non-zero tokens/min for both models. The
 * screenshot (test-artifacts/dashboard-vscode.png) is the dashboard inside a real VS Code.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { LLAMA_33_70B_ID, NOVA_PRO_ID } from '../../../src/core/config/defaults';
import { defaultEmulatorConfig, startEmulator, type RunningEmulator } from '../../../src/emulator';
import { repoRoot } from '../harness/paths';
import { useSession } from '../harness/useSession';
import { keepAllowingConsent } from './chorusUi';

/** The demo's sample workspace, copied into the session: the same burst `npm run demo` analyzes. */
function sampleWorkspace(): Record<string, string> {
  const root = join(repoRoot, 'demo/workspace');
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(root, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(root);
  return files;
}

describe('Throughput dashboard in the workbench', function () {
  let emulator: RunningEmulator | undefined;
  const vscode = useSession(async () => {
    // Real time: each call takes seconds, so the run is still going when the dashboard opens.
    emulator = await startEmulator({ config: defaultEmulatorConfig(), port: 0, timeScale: 1 });
    return {
      files: sampleWorkspace(),
      settings: {
        'chorus.endpoint': emulator.url,
        'chorus.askBeforeSending': false,
        'chorus.watch.enabled': false,
        'chorus.analyzeOnSave': false,
        // As in the demo: the sample is small, so let its groups reach the strong model too.
        'chorus.models': [{ id: NOVA_PRO_ID, minComplexity: 0.3 }, { id: LLAMA_33_70B_ID }],
      },
      env: { AWS_ACCESS_KEY_ID: 'AKIDCHORUSE2E', AWS_SECRET_ACCESS_KEY: 'chorus-e2e-secret' },
    };
  });

  let stopAllowing = () => {};
  after(async () => {
    stopAllowing();
    await emulator?.close();
  });

  /** VS Code nests a webview's document in two iframes. */
  const dashboard = (): FrameLocator =>
    vscode.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');

  it('shows non-zero throughput for both models while a run goes', async () => {
    // The palette lists the commands from the manifest at once; they run once the extension host
    // has activated Chorus, which its status bar item shows.
    await vscode.driver.statusBarItem(/Chorus/);
    // The webview's console reaches the page's: a CSP refusal there would show here.
    const refusals: string[] = [];
    vscode.page.on('console', (m) => /Content Security Policy|Refused to/i.test(m.text()) && refusals.push(m.text()));
    // chorus.askBeforeSending=false reaches the extension host through the machine settings the
    // harness writes; should the consent question show anyway, answer it as a user would (without
    // waiting a fixed time for a dialog that normally never comes).
    stopAllowing = keepAllowingConsent(vscode.page);
    await vscode.driver.runCommand('Chorus: Analyze Workspace');
    await vscode.driver.runCommand('Chorus: Show Throughput Dashboard');
    const rates = dashboard().locator('article.model .model-rate');
    await rates.nth(1).waitFor({ state: 'visible', timeout: 120_000 });
    const deadline = Date.now() + 120_000;
    let texts: string[] = [];
    while (Date.now() < deadline) {
      texts = await rates.allTextContents();
      if (texts.length >= 2 && texts.every((t) => !/^0 tokens\/min$/.test(t))) break;
      await vscode.page.waitForTimeout(500);
    }
    assert.equal(texts.length, 2, `model cards: ${texts.join(' | ')}`);
    for (const text of texts) assert.match(text, /^(?!0 )[\d.]+k? tokens\/min$/, `a model shows no throughput: ${texts.join(' | ')}`);
    const labels = await dashboard().locator('article.model h3').allTextContents();
    assert.deepEqual(labels.sort(), ['Llama 3.3 70B', 'Nova Pro']);
    await vscode.driver.screenshot('dashboard-vscode');
    assert.deepEqual(refusals, []);
  });

  it('is reachable from the keyboard inside the webview', async () => {
    await dashboard().locator('#window-all').focus();
    await vscode.page.keyboard.press('ArrowLeft');
    assert.equal(await dashboard().locator('input[name=window]:checked').getAttribute('value'), '1h');
  });
});
