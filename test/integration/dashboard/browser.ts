/** Building the page and driving it in Debian's headless Chromium, as the dashboard tests need. */
import * as esbuild from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { PageGlobals } from './pageGlobals';

export const ROOT = path.resolve(__dirname, '../../..');
export const ARTIFACTS = path.join(ROOT, 'test-artifacts');

/**
 * Builds the page as esbuild.config.mjs's webview entry does (browser iife, css loader), minified as
 * in `--production`, into a temp dir. The tests build it themselves so they do not depend on every
 * other entry of the project's build succeeding.
 */
export async function buildPage(): Promise<string> {
  const outdir = mkdtempSync(path.join(tmpdir(), 'chorus-dashboard-'));
  await esbuild.build({
    bundle: true, platform: 'browser', format: 'iife', target: 'es2022', minify: true, logLevel: 'silent',
    entryPoints: { dashboard: path.join(ROOT, 'src/webview/dashboard.ts') }, outdir,
    loader: { '.css': 'css' },
  });
  return outdir;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  });
}

export interface PageProblems {
  console: string[];
  pageErrors: string[];
  cspViolations(): Promise<string[]>;
}

/** Records every console warning/error, uncaught error and CSP violation the page produces. */
export async function watchProblems(page: Page): Promise<PageProblems> {
  const problems = { console: [] as string[], pageErrors: [] as string[] };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.console.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.pageErrors.push(e.message));
  await page.addInitScript(() => {
    const seen: string[] = [];
    const page = (globalThis as unknown as PageGlobals);
    page.__csp = seen;
    page.document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return {
    ...problems,
    cspViolations: () => page.evaluate(() => (globalThis as unknown as PageGlobals).__csp),
  };
}

/** Durations (ms) of the page's own `chorus-render` measures: one render, uPlot's drawing included. */
export function renderDurations(page: Page): Promise<number[]> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).performance.getEntriesByName('chorus-render').map((e) => e.duration));
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
