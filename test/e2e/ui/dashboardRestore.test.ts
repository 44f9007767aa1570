/**
 * The dashboard survives a window reload: open during a run, it comes back after the reload by
 * itself (the panel serializer, activation on onWebviewPanel:chorus.dashboard) with the series the
 * page saved (setState), not as an empty page.
 */
import assert from 'node:assert/strict';
import type { FrameLocator } from 'playwright-core';
import { LLAMA_33_70B_ID, NOVA_PRO_ID } from '../../../src/core/config/defaults';
import { defaultEmulatorConfig, startEmulator, type RunningEmulator } from '../../../src/emulator';
import { useSession } from '../harness/useSession';
import { keepAllowingConsent } from './chorusUi';

/** Enough files that the run is still going after the first dozen one-second samples. */
function workspace(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < 40; i++) {
    files[`src/module${i}.ts`] = Array.from({ length: 60 }, (_, j) =>
      `export function f${i}_${j}(x: number): number {\n  if (x > ${j}) { try { return eval(String(x)); } catch (e) {} }\n  return x * ${j};\n}\n`).join('');
  }
  return files;
}

describe('Throughput dashboard after a window reload', function () {
  let emulator: RunningEmulator | undefined;
  const vscode = useSession(async () => {
    emulator = await startEmulator({ config: defaultEmulatorConfig(), port: 0, timeScale: 1 });
    return {
      files: workspace(),
      settings: {
        'chorus.endpoint': emulator.url,
        'chorus.askBeforeSending': false,
        'chorus.watch.enabled': false,
        'chorus.analyzeOnSave': false,
        'chorus.models': [{ id: NOVA_PRO_ID, minComplexity: 0.3 }, { id: LLAMA_33_70B_ID }],
      },
      env: { AWS_ACCESS_KEY_ID: 'AKIDCHORUSE2E', AWS_SECRET_ACCESS_KEY: 'chorus-e2e-restore' },
    };
  });

  let stopAllowing = () => {};
  after(async () => {
    stopAllowing();
    await emulator?.close();
  });

  const dashboard = (): FrameLocator => vscode.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  const samples = async () => Number(await dashboard().locator('section.overall .chart').getAttribute('data-samples', { timeout: 120_000 }));

  it('comes back by itself with the series it held', async function () {
    this.timeout(600_000);
    await vscode.driver.statusBarItem(/Chorus/);
    stopAllowing = keepAllowingConsent(vscode.page);
    await vscode.driver.runCommand('Chorus: Analyze Workspace');
    await vscode.driver.runCommand('Chorus: Show Throughput Dashboard');
    // The page saves its state every 5 s; VS Code persists the latest it has been sent when it saves
    // the workbench's state, which in code-server can be a save or two before the reload. 20 samples
    // hold several saves.
    const deadline = Date.now() + 180_000;
    let before = 0;
    while (Date.now() < deadline && (before = await samples().catch(() => 0)) < 20) await vscode.page.waitForTimeout(500);
    assert.ok(before >= 20, `the dashboard held ${before} samples`);

    await vscode.page.reload();
    await vscode.driver.statusBarItem(/Chorus/);
    // Nobody runs the command again: the panel is restored by VS Code and filled by the serializer.
    await dashboard().locator('article.model').first().waitFor({ state: 'visible', timeout: 180_000 });
    const after = await samples();
    // A page starting empty would hold one or two samples (the new host has no backlog to send).
    assert.ok(after >= 10, `restored ${after} of ${before} samples`);
    await vscode.driver.screenshot('dashboard-restored');
  });
});
