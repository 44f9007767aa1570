/**
 * Debian's Chromium under Playwright. Playwright's own browser download cannot work on these
 * machines; the flags keep Chromium from reaching for a network it does not have.
 */
import { chromium, type Browser } from 'playwright-core';
import { chromiumPath } from './paths';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox', // we run as root in CI
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}
