/**
 * The dashboard page, built standalone as the `--report` file with a recorded run, rendered in
 * headless Chromium: the values it shows, its CSP, its keyboard path, a screenshot for the README.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { renderReportHtml } from '../../../src/cli/report';
import { compact, percent } from '../../../src/webview/format';
import { SNAPSHOT_INTERVAL_MS, utilizationOver } from '../../../src/webview/runFigures';
import type { PageGlobals } from './pageGlobals';
import { ARTIFACTS, buildPage, launchChromium, type PageProblems, watchProblems } from './browser';
import { recordRun, TWO_MODELS } from './series';

describe('dashboard report page (headless Chromium)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let page: Page;
  let problems: PageProblems;
  const snapshots = recordRun(TWO_MODELS, 300);
  const last = snapshots.at(-1)!;

  before(async () => {
    const assetsDir = await buildPage();
    const html = await renderReportHtml(snapshots, { title: 'Chorus run report', runId: 'run-42', assetsDir });
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, 'report.html');
    writeFileSync(file, html);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
    problems = await watchProblems(page);
    await page.goto(`file://${file}`);
    await page.locator('.model').nth(1).locator('canvas').first().waitFor();
  });

  after(async () => {
    await browser?.close();
  });

  it('shows the run-wide figures of the last snapshot', async () => {
    assert.equal(await page.locator('h1').textContent(), 'Chorus run report');
    const kpi = (label: string) => page.locator(`section.kpi[aria-label="${label}"] .kpi-value`).textContent();
    // Over the run, not the last sample: the tokens charged ÷ (the quotas × the run's time).
    const tokens = last.models.reduce((n, m) => n + m.inputTokens + m.outputTokens, 0);
    const quotas = last.models.reduce((n, m) => n + m.quotaTpm, 0);
    const elapsed = last.at - (snapshots[0]!.at - SNAPSHOT_INTERVAL_MS);
    assert.equal(await kpi('Utilization'), percent(utilizationOver(tokens, quotas, elapsed)));
    assert.notEqual(await kpi('Utilization'), percent(last.utilization));
    assert.equal(await kpi('Files'), `${last.filesDone} / ${last.filesTotal}`);
    assert.equal(await kpi('ETA'), 'done');
    assert.match((await page.locator('.run-state').textContent())!, /finished · run-42/);
  });

  it('shows each model’s tokens/min against its quota, and the learned quota where it is lower', async () => {
    for (const [i, m] of last.models.entries()) {
      const card = page.locator('article.model').nth(i);
      assert.equal(await card.locator('h3').textContent(), m.label);
      assert.equal(await card.locator('.model-rate').textContent(), `${compact(m.tokensPerMinute)} tokens/min`);
      assert.match((await card.locator('.model-quota').textContent())!, new RegExp(`of ${compact(m.quotaTpm)} quota`));
      const stat = (name: string) => card.locator('.stat', { has: page.locator(`dt:text-is("${name}")`) }).locator('dd').textContent();
      assert.equal(await stat('Throttles'), String(m.throttles));
      assert.equal(await stat('In flight'), String(m.inFlight));
      assert.equal(await stat('Queued interactive / background'), `${m.queued.interactive} / ${m.queued.background}`);
    }
    assert.match((await page.locator('article.model').nth(1).locator('.model-quota').textContent())!, /learned 54k/);
    assert.doesNotMatch((await page.locator('article.model').nth(0).locator('.model-quota').textContent())!, /learned/);
  });

  it('draws a chart for the total and two per model, with ink on them', async () => {
    assert.equal(await page.locator('canvas').count(), 1 + 2 * last.models.length);
    const inked = await page.evaluate(() => [...(globalThis as unknown as PageGlobals).document.querySelectorAll('canvas')].map((c) => {
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
      return n;
    }));
    for (const n of inked) assert.ok(n > 500, `a chart is blank (${n} painted pixels)`);
  });

  it('lists the recent batches newest first, with why each went where it did', async () => {
    const rows = page.locator('.batches tbody tr');
    assert.equal(await rows.count(), last.recentBatches.length);
    const newest = [...last.recentBatches].sort((a, b) => b.at - a.at)[0]!;
    const cells = await rows.first().locator('td').allTextContents();
    assert.equal(cells[1], newest.batchId);
    assert.equal(cells[2], last.models.find((m) => m.id === newest.model)!.label);
    assert.equal(cells[6], newest.reason);
  });

  it('filters the batch table by model from the keyboard', async () => {
    await page.locator('#batch-model').focus();
    await page.keyboard.press('ArrowDown'); // first model
    await page.keyboard.press('ArrowDown'); // second model
    const label = last.models[1]!.label;
    const models = await page.locator('.batches tbody tr td:nth-child(3)').allTextContents();
    assert.ok(models.length > 0);
    assert.deepEqual([...new Set(models)], [label]);
    await page.locator('#batch-model').selectOption('');
  });

  it('lets the keyboard reach every control, and arrow keys change the time window', async () => {
    await page.locator('body').focus();
    const reached = new Set<string>();
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      reached.add(await page.evaluate(() => {
        const el = (globalThis as unknown as PageGlobals).document.activeElement!;
        return el.id || el.getAttribute('name') || el.className || el.tagName;
      }));
    }
    for (const expected of ['window-all', 'batch-model', 'batch-outcome', 'table-scroll']) {
      assert.ok(reached.has(expected), `Tab never reached ${expected} (reached: ${[...reached].join(', ')})`);
    }
    await page.locator('#window-all').focus();
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.locator('input[name=window]:checked').getAttribute('value'), '1h');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.locator('input[name=window]:checked').getAttribute('value'), '15m');
    await page.locator('#window-all').check();
  });

  it('produces no console errors, page errors or CSP violations, and saves a screenshot', async () => {
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.waitForTimeout(100); // the charts repaint in the new colours on the next frame
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-light.png'), fullPage: true });
    assert.deepEqual(await problems.cspViolations(), []);
    assert.deepEqual(problems.pageErrors, []);
    assert.deepEqual(problems.console, []);
  });
});
