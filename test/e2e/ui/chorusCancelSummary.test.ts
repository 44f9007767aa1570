/**
 * UI test (issue 18): Analyze Workspace cancelled from its progress notification. The closing toast
 * says how many files were analyzed and how many skipped (a cancelled run is not "completed"), and
 * the throughput dashboard's Files tile shows the same counts. Screenshot:
 * test-artifacts/cancel-summary.png.
 *
 * The run is made slow on purpose, so Cancel lands mid-run: one small-quota model (the engine paces
 * its calls to the quota), at most one file per batch (maxKbPerBatch 1, files under 1 KB), and real
 * time in the emulator.
 */
import assert from 'node:assert/strict';
import type { FrameLocator } from 'playwright-core';
import { NOVA_PRO_ID } from '../../../src/core/config/defaults';
import { startEmulator, type RunningEmulator } from '../../../src/emulator';
import { useSession } from '../harness/useSession';
import { CREDENTIALS, eventually, keepAllowingConsent, notifications } from './chorusUi';

const FILE_COUNT = 40;
const QUOTA_TPM = 8_000;

/** About 600 bytes each, distinct (no cache hits), each with a line the emulator flags. */
function sourceFile(n: number): string {
  const lines = [`// Module ${n}: parses the input and checks it.`, `function parse${n}(input) {`, '  return eval(input);', '}', ''];
  for (let i = 0; i < 12; i++) lines.push(`export const value${n}_${i} = parse${n}("${n * 100 + i}") + ${i};`);
  return `${lines.join('\n')}\n`;
}

describe('Chorus: a cancelled Analyze Workspace says what was analyzed and what was skipped', function () {
  this.timeout(10 * 60_000);
  let emulator: RunningEmulator | undefined;
  const vscode = useSession(async () => {
    emulator = await startEmulator({ config: { models: [{ id: NOVA_PRO_ID, tokensPerMinute: QUOTA_TPM }] }, port: 0, timeScale: 1 });
    const files = Object.fromEntries(Array.from({ length: FILE_COUNT }, (_, n) => [`src/module${String(n).padStart(2, '0')}.js`, sourceFile(n)]));
    return {
      files,
      env: CREDENTIALS,
      settings: {
        'chorus.endpoint': emulator.url,
        'chorus.askBeforeSending': false,
        'chorus.analyzeOnSave': false,
        'chorus.watch.enabled': false,
        'chorus.models': [{ id: NOVA_PRO_ID, tokensPerMinute: QUOTA_TPM, maxKbPerBatch: 1 }],
      },
    };
  });
  let stopAllowing = () => {};
  before(() => (stopAllowing = keepAllowingConsent(vscode.page)));
  after(async () => {
    stopAllowing();
    await emulator?.close();
  });

  /** VS Code nests a webview's document in two iframes. */
  const dashboard = (): FrameLocator => vscode.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');

  it('Cancel in the progress notification: the toast and the dashboard show the same analyzed/skipped counts', async () => {
    await vscode.driver.statusBarItem(/Chorus/);
    // The dashboard follows runs from when it opens: open it first.
    await vscode.driver.runCommand('Chorus: Show Throughput Dashboard');
    await dashboard().locator('section.kpi[aria-label="Files"]').waitFor({ state: 'visible', timeout: 120_000 });
    await vscode.driver.runCommand('Chorus: Analyze Workspace');

    const progress = vscode.page.locator('.notifications-toasts .notification-toast', { hasText: 'Chorus: analyzing workspace' });
    // Mid-run: some files are done, not all.
    await eventually('some files done, not all', async () => {
      const text = (await progress.first().textContent().catch(() => '')) ?? '';
      const m = /(\d+)\/(\d+) files/.exec(text);
      return m !== null && Number(m[1]) >= 1 && Number(m[1]) < Number(m[2]);
    }, 240_000);
    await progress.first().getByRole('button', { name: 'Cancel' }).click();

    const summary = await eventually('the summary toast', async () => (await notifications(vscode.page)).find((t) => t.includes('Chorus stopped')));
    const m = /Chorus stopped: (\d+) of (\d+) files analyzed, (\d+) skipped \(cancelled or not sent\)/.exec(summary);
    assert.ok(m, `summary: ${summary}`);
    const [analyzed, total, skipped] = [Number(m[1]), Number(m[2]), Number(m[3])];
    assert.equal(total, FILE_COUNT, summary);
    assert.ok(analyzed >= 1 && skipped >= 1, `cancelled mid-run: ${summary}`);
    assert.equal(analyzed + skipped, FILE_COUNT, `every file is analyzed or skipped: ${summary}`);
    assert.doesNotMatch(summary, /complete/i);
    // What the toast counts is what the emulator answered (each analyzed file had one complete answer).
    const answered = new Set(emulator!.requests().filter((r) => r.outcome === 'ok' && r.stopReason !== 'max_tokens').flatMap((r) => r.files));
    assert.ok(answered.size >= analyzed, `${answered.size} files answered, ${analyzed} analyzed`);

    // The dashboard: the same split, and the run marked cancelled.
    const files = dashboard().locator('section.kpi[aria-label="Files"] .kpi-detail');
    const eta = dashboard().locator('section.kpi[aria-label="ETA"]');
    const split = `${analyzed} analyzed (0 from the cache) · ${skipped} skipped · 0 failed`;
    await eventually(`the dashboard's "${split}"`, async () => ((await files.textContent()) ?? '').includes(split), 60_000)
      .catch(async (error: unknown) => {
        throw new Error(`${String(error)}; the tile says: ${await files.textContent()}`, { cause: error });
      });
    await eventually('the dashboard says cancelled', async () => ((await eta.textContent()) ?? '').includes('cancelled'), 60_000);
    assert.match((await eta.textContent()) ?? '', new RegExp(`${skipped} files? not analyzed`));
    // The toast expanded, so the screenshot shows its whole sentence (best effort: a cosmetic step).
    const toast = vscode.page.locator('.notifications-toasts .notification-toast', { hasText: 'Chorus stopped' }).first();
    await toast.hover().catch(() => undefined);
    await toast.locator('.codicon-notifications-expand').first().click({ timeout: 5_000 }).catch(() => undefined);
    await vscode.driver.screenshot('cancel-summary');
  });
});
