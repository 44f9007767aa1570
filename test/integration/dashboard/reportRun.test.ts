/**
 * The `--report` page tells the truth about its run (headless Chromium): a run served from the cache
 * says so instead of drawing empty charts, the headline is over the whole run, and the findings are
 * in a table filtered by severity, model and file — with model text shown as text, never as markup.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { renderReportHtml } from '../../../src/cli/report';
import type { ReportFinding, ReportPart } from '../../../src/core/webviewProtocol';
import { percent } from '../../../src/webview/format';
import { reportUtilization } from '../../../src/webview/runFigures';
import { ARTIFACTS, buildPage, launchChromium, type PageProblems, watchProblems } from './browser';
import { recordRun, TWO_MODELS } from './series';

const HOSTILE_FILE = 'src/<img src=x onerror="globalThis.pwned=1">.ts';
const HOSTILE_MESSAGE = '</script><script>globalThis.pwned=2</script> & <b>bold</b>';

function findings(): ReportFinding[] {
  const [nova, llama] = TWO_MODELS.map((m) => m.id) as [string, string];
  return [
    { file: 'src/auth.ts', line: 12, severity: 'error', ruleId: 'cwe-89', message: 'Query built from input', model: nova, helpUri: 'https://cwe.mitre.org/data/definitions/89.html', ruleTitle: 'CWE-89' },
    { file: HOSTILE_FILE, line: 3, severity: 'warning', ruleId: 'no-eval', message: HOSTILE_MESSAGE, model: llama },
    { file: 'src/util/format.ts', line: 40, severity: 'warning', ruleId: 'empty-catch', message: 'Empty catch', model: nova },
    { file: 'src/util/format.ts', line: 88, severity: 'info', ruleId: 'todo-comment', message: 'TODO left', model: llama },
  ];
}

async function open(browser: Browser, html: string, name: string): Promise<{ page: Page; problems: PageProblems }> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, name);
  writeFileSync(file, html);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
  const problems = await watchProblems(page);
  page.on('dialog', (d) => void d.dismiss());
  await page.goto(`file://${file}`);
  await page.locator('.kpi-value').first().waitFor();
  await page.locator('main:not(.empty)').waitFor({ state: 'attached' });
  return { page, problems };
}

describe('dashboard report: the run as it was (headless Chromium)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let assetsDir: string;

  before(async () => {
    assetsDir = await buildPage();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
  });

  it('a run served from the cache says so (N files, 0 requests) instead of empty charts at 0:00', async () => {
    // What `chorus analyze` records for a fully cached run: one snapshot, no request in it.
    const [snapshot] = recordRun(TWO_MODELS, 1);
    const idle = { ...snapshot!, filesDone: 34, filesTotal: 34, models: snapshot!.models.map((m) => ({ ...m, requests: 0, inputTokens: 0, outputTokens: 0, tokensPerMinute: 0, inFlight: 0, queued: { interactive: 0, background: 0 } })) };
    const report: ReportPart = {
      totals: { files: 34, analyzed: 34, cached: 34, skipped: 0, failed: 0, requests: 0, tokens: 0, quotaTpm: 160_000, elapsedMs: 240 },
      findings: findings().slice(0, 1), findingsTotal: 1,
    };
    const { page, problems } = await open(browser, await renderReportHtml([idle], { runId: 'cached', assetsDir, report }), 'report-cached.html');
    const note = page.locator('.cache-note');
    assert.ok(await note.isVisible());
    assert.match((await note.textContent())!, /served from the cache: 34 files, 0 requests/);
    assert.equal(await page.locator('section.overall').isVisible(), false, 'no empty total chart');
    for (const canvas of await page.locator('canvas').all()) assert.equal(await canvas.isVisible(), false);
    assert.equal(await page.locator('.kpi[aria-label="Files"] .kpi-detail').textContent(), '34 analyzed (34 from the cache) · 0 skipped · 0 failed');
    assert.equal(await page.locator('.findings tbody tr').count(), 1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-cached.png'), fullPage: true });
    assert.deepEqual(await problems.cspViolations(), []);
    assert.deepEqual(problems.pageErrors, []);
    await page.close();
  });

  describe('a run with findings', () => {
    let page: Page;
    let problems: PageProblems;
    const snapshots = recordRun(TWO_MODELS, 120);
    const last = snapshots.at(-1)!;
    const report: ReportPart = {
      totals: {
        files: 180, analyzed: 170, cached: 20, skipped: 6, failed: 4, requests: 61,
        tokens: last.models.reduce((n, m) => n + m.inputTokens + m.outputTokens, 0), quotaTpm: 160_000, elapsedMs: 121_000,
      },
      findings: findings(), findingsTotal: 4,
    };

    before(async () => {
      ({ page, problems } = await open(browser, await renderReportHtml(snapshots, { runId: 'run-8', assetsDir, report }), 'report-findings.html'));
    });

    after(() => page?.close());

    it('heads with the utilization over the run (its tokens ÷ the quotas × its time) and charts it', async () => {
      assert.equal(await page.locator('.kpi[aria-label="Utilization"] .kpi-value').textContent(), percent(reportUtilization(report.totals)));
      assert.equal(await page.locator('.kpi[aria-label="Requests"] .kpi-value').textContent(), '61', 'the run’s own requests, from its result');
      assert.equal(await page.locator('.cache-note').isVisible(), false);
      assert.ok(await page.locator('section.overall canvas').isVisible());
    });

    it('holds every finding, most severe first, with model text and paths shown as text', async () => {
      const rows = page.locator('.findings tbody tr');
      assert.equal(await rows.count(), 4);
      const hostile = rows.nth(1).locator('td');
      assert.equal(await hostile.nth(1).textContent(), HOSTILE_FILE);
      assert.equal(await hostile.nth(4).textContent(), HOSTILE_MESSAGE);
      assert.equal(await page.locator('.findings img, .findings b, .findings script').count(), 0);
      assert.equal(await page.evaluate(() => (globalThis as { pwned?: number }).pwned), undefined);
      const link = rows.first().locator('td').nth(3).locator('a');
      assert.equal(await link.getAttribute('href'), 'https://cwe.mitre.org/data/definitions/89.html');
      assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
      assert.equal(await rows.nth(1).locator('td').nth(3).locator('a').count(), 0, 'no catalogue page, no link');
    });

    it('filters by severity, by model and by a part of the path', async () => {
      const files = () => page.locator('.findings tbody tr td:nth-child(2)').allTextContents();
      await page.locator('#finding-severity').selectOption('warning');
      assert.deepEqual(await files(), [HOSTILE_FILE, 'src/util/format.ts']);
      await page.locator('#finding-severity').selectOption('');
      await page.locator('#finding-model').selectOption(TWO_MODELS[1]!.id);
      assert.deepEqual(await files(), [HOSTILE_FILE, 'src/util/format.ts']);
      assert.equal(await page.locator('#finding-model option:checked').textContent(), TWO_MODELS[1]!.label);
      await page.locator('#finding-model').selectOption('');
      await page.locator('#finding-file').fill('UTIL/');
      assert.deepEqual(await page.locator('.findings tbody tr td:nth-child(3)').allTextContents(), ['40', '88']);
      await page.locator('#finding-file').fill('nothing-like-this');
      assert.equal(await page.locator('.findings tbody tr').count(), 0);
      assert.equal(await page.locator('.findings .table-note').textContent(), 'No findings match the filter.');
      await page.locator('#finding-file').fill('');
    });

    it('produces no console errors, page errors or CSP violations', async () => {
      await page.screenshot({ path: path.join(ARTIFACTS, 'report-findings.png'), fullPage: true });
      assert.deepEqual(await problems.cspViolations(), []);
      assert.deepEqual(problems.pageErrors, []);
      assert.deepEqual(problems.console, []);
    });
  });
});
