/**
 * Shared by Chorus's UI tests: an emulator in the test process, the settings that point Chorus at
 * it (the harness writes them to the user and the machine settings: chorus.endpoint and
 * chorus.askBeforeSending are machine-scoped), dialogs and notifications on screen.
 */
import type { Page } from 'playwright-core';
import { defaultEmulatorConfig, startEmulator, type RunningEmulator } from '../../../src/emulator';
import type { SessionOptions } from '../harness/session';

export const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIDCHORUSE2E', AWS_SECRET_ACCESS_KEY: 'chorus-e2e-secret' };

export function startTestEmulator(timeScale = 20): Promise<RunningEmulator> {
  return startEmulator({ config: defaultEmulatorConfig(), port: 0, timeScale });
}

/** A session pointed at `emulator`; `settings` are added to (or override) the defaults here. */
export function chorusSession(emulator: RunningEmulator, files: Record<string, string>, settings: Record<string, unknown> = {}, trusted = true): SessionOptions {
  return {
    files,
    trusted,
    settings: { 'chorus.endpoint': emulator.url, 'chorus.watch.quietMs': 800, ...settings },
    env: CREDENTIALS,
  };
}

/** Distinct text per run, so the result cache never answers instead of the emulator. */
export function jsSample(tag: string): string {
  return ['function run(input) {', '  return eval(input);', '}', `if (a == b) run("${tag} ${Date.now()}");`, ''].join('\n');
}

/** Clicks a button of VS Code's modal dialog (consent, cost confirmation) once it shows. */
export async function answerDialog(page: Page, button: string, timeoutMs = 120_000): Promise<string> {
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: timeoutMs });
  const text = (await dialog.textContent()) ?? '';
  // Exact: "Allow" must not match "Don't Allow".
  await dialog.getByRole('button', { name: button, exact: true }).click();
  await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
  return text;
}

/**
 * Answers "Allow" whenever the consent question shows, until the returned function is called. For
 * tests about something else: a safety net should chorus.askBeforeSending=false not reach the
 * extension host (before the harness wrote machine settings it did not), as a user would answer.
 */
export function keepAllowingConsent(page: Page): () => void {
  let stopped = false;
  void (async () => {
    while (!stopped && !page.isClosed()) {
      const dialog = page.locator('.monaco-dialog-box', { hasText: 'Send code to analyze it?' });
      if ((await dialog.count().catch(() => 0)) > 0) {
        await dialog.getByRole('button', { name: 'Allow', exact: true }).click({ timeout: 5000 }).catch(() => undefined);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  })();
  return () => {
    stopped = true;
  };
}

/** Text of the notification toasts currently shown. */
export async function notifications(page: Page): Promise<string[]> {
  return page.locator('.notifications-toasts .notification-toast').allTextContents();
}

export async function eventually<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Complete answers per file (a retry after an answer cut at maxTokens is the same analysis). */
export function analyzedCounts(emulator: RunningEmulator): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of emulator.requests()) {
    if (r.outcome !== 'ok' || r.stopReason === 'max_tokens') continue;
    for (const f of r.files) counts.set(f, (counts.get(f) ?? 0) + 1);
  }
  return counts;
}
