/**
 * The dashboard as the extension serves it: the panel's own document and CSP (html.ts), the page
 * built for the browser, and a stand-in for VS Code's webview API (acquireVsCodeApi) that records
 * what the page posts and keeps its state across a reload, as VS Code does across hide/show.
 * Also the benchmark: an hour of 1-second samples for five models.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Frame, HostMessage, PageMessage } from '../../../src/core/webviewProtocol';
import { dashboardHtml } from '../../../src/extension/dashboard/html';
import { compact, duration } from '../../../src/webview/format';
import type { PageGlobals } from './pageGlobals';
import { ARTIFACTS, buildPage, launchChromium, percentile, renderDurations, type PageProblems, watchProblems } from './browser';
import { fiveModels, recordRun, TWO_MODELS } from './series';

interface FakeHost {
  posted: PageMessage[];
  state: unknown;
}

async function serve(assetsDir: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (req.url === '/') {
      res.setHeader('content-type', 'text/html');
      return res.end(dashboardHtml({ cspSource: origin, nonce: 'bm9uY2UtZm9yLXRlc3Rz', scriptUri: `${origin}/dashboard.js`, styleUri: `${origin}/dashboard.css` }));
    }
    if (req.url === '/favicon.ico') return res.writeHead(204).end(); // browsers ask; webviews do not
    const file = { '/dashboard.js': 'text/javascript', '/dashboard.css': 'text/css' }[req.url ?? ''];
    if (!file) return res.writeHead(404).end();
    res.setHeader('content-type', file);
    res.end(readFileSync(path.join(assetsDir, req.url!)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Opens the page with a fake VS Code API whose state starts as `state` (what getState returns). */
async function open(browser: Browser, origin: string, state?: unknown): Promise<{ page: Page; problems: PageProblems }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
  const problems = await watchProblems(page);
  // A string, not a function: the test runner's transpiler would add helpers the page does not have.
  await page.addInitScript(`{
    const host = { posted: [], state: ${JSON.stringify(state ?? null)} ?? undefined };
    window.__host = host;
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => host.posted.push(JSON.parse(JSON.stringify(m))),
      getState: () => host.state,
      setState: (s) => { host.state = JSON.parse(JSON.stringify(s)); },
    });
  }`);
  await page.goto(origin);
  return { page, problems };
}

const host = (page: Page) => page.evaluate(() => (globalThis as unknown as PageGlobals).__host as FakeHost);

/** What VS Code does with webview.postMessage: a message event on the page's window. */
async function post(page: Page, message: unknown): Promise<void> {
  await page.evaluate((m) => {
    const w = (globalThis as unknown as PageGlobals);
    w.dispatchEvent(new w.MessageEvent('message', { data: m }));
  }, message);
  await page.evaluate(() => new Promise<void>((resolve) => {
    const w = (globalThis as unknown as PageGlobals);
    w.requestAnimationFrame(() => w.requestAnimationFrame(resolve));
  }));
}

const frames = (runId: string, snapshots: Frame['snapshot'][]): Frame[] =>
  snapshots.map((snapshot, i) => ({ runId, snapshot: i === snapshots.length - 1 ? snapshot : { ...snapshot, recentBatches: [] } }));

describe('dashboard in its webview document (headless Chromium, fake VS Code API)', function () {
  this.timeout(180_000);
  let browser: Browser;
  let server: Server;
  let origin: string;
  const run = recordRun(TWO_MODELS, 120);

  before(async () => {
    ({ server, origin } = await serve(await buildPage()));
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    server?.close();
  });

  it('says ready first, then renders each update it is sent', async () => {
    const { page, problems } = await open(browser, origin);
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__host.posted.length > 0);
    assert.deepEqual((await host(page)).posted, [{ type: 'ready', since: null }]);
    assert.ok(await page.locator('.empty-note').isVisible(), 'waits for data');

    const update: HostMessage = { type: 'update', run: { id: 'r1', state: 'running' }, frames: frames('r1', run.slice(0, 60)) };
    await post(page, update);
    const rate = (i: number) => page.locator('article.model .model-rate').nth(i).textContent();
    assert.equal(await rate(0), `${compact(run[59]!.models[0]!.tokensPerMinute)} tokens/min`);
    await post(page, { type: 'update', run: { id: 'r1', state: 'running' }, frames: frames('r1', [run[60]!]) });
    assert.equal(await rate(1), `${compact(run[60]!.models[1]!.tokensPerMinute)} tokens/min`);
    assert.match((await page.locator('.run-state').textContent())!, /running · r1/);

    assert.deepEqual((await host(page)).posted.length, 1, 'the page posts nothing else on its own');
    assert.deepEqual(await problems.cspViolations(), []);
    assert.deepEqual([...problems.console, ...problems.pageErrors], []);
    await page.close();
  });

  it('shows a shared quota’s account total beside this window’s share, the calibration ratio, a request limit, busy while queued, and an ETA', async () => {
    const { page, problems } = await open(browser, origin);
    const base = run[59]!;
    const [nova, llama] = base.models as [typeof base.models[0], typeof base.models[0]];
    const snapshot = {
      ...base,
      etaMs: undefined,
      recentBatches: [{ batchId: 'r2-b1', model: nova.id, files: 3, inputTokens: 8_000, outputTokens: 2_000, outcome: 'ok' as const, reason: 'complexity 0.8 ≥ 0.7', at: base.at - 500 }],
      models: [
        { ...nova, tokenRatio: 1.18, shared: { accountTpm: 84_500, ownTpm: 21_200 }, inFlight: 0, queued: { interactive: 0, background: 3 }, tokensPerMinute: 40_000 },
        { ...llama, effectiveRpm: 15, requestsPerMinute: 12, inFlight: 0, queued: { interactive: 0, background: 0 }, tokensPerMinute: 20_000 },
      ],
    };
    delete (snapshot as { etaMs?: number }).etaMs;
    // The run's first sample two minutes earlier, then this one.
    const start = { ...snapshot, at: snapshot.at - 119_000, recentBatches: [] };
    await post(page, { type: 'update', run: { id: 'r2', state: 'running' }, frames: [{ runId: 'r2', snapshot: start }, { runId: 'r2', snapshot }] });
    const card = (i: number) => page.locator('article.model').nth(i);
    assert.equal(await card(0).locator('.model-shared').textContent(), 'account 84.5k tok/min · this window 21.2k');
    assert.equal(await card(1).locator('.model-shared').isVisible(), false, 'a quota that is not shared shows no account line');
    const stat = (i: number, name: string) => card(i).locator('.stat', { has: page.locator(`dt:text-is("${name}")`) }).locator('dd').textContent();
    assert.equal(await stat(0, 'Token count ÷ estimate'), '1.18×');
    assert.equal(await stat(1, 'Requests/min'), '12 of 15', 'a known request limit beside the rate');
    assert.doesNotMatch((await stat(0, 'Requests/min'))!, /of/, 'no limit shown where none is known');
    assert.equal(await card(0).locator('.model-header .chip').textContent(), 'busy', 'nothing in flight, but work queued');
    assert.equal(await card(1).locator('.model-header .chip').textContent(), 'idle');
    // The files left × the tokens per file sent so far ÷ 60k tokens/min now (a fresh page counts from 0).
    const tokens = snapshot.models.reduce((n, m) => n + m.inputTokens + m.outputTokens, 0);
    const etaMs = (((snapshot.filesTotal - snapshot.filesDone) * tokens) / snapshot.filesDone / 60_000) * 60_000;
    assert.ok(etaMs > 60_000, `a figure worth reading (${etaMs} ms)`);
    assert.equal(await page.locator('section.kpi[aria-label="ETA"] .kpi-value').textContent(), duration(etaMs));
    assert.deepEqual([...problems.console, ...problems.pageErrors, ...(await problems.cspViolations())], []);
    await page.close();
  });

  it('a cancelled run says cancelled and how many files were not analyzed, not "done"', async () => {
    const { page, problems } = await open(browser, origin);
    const outcomes = { analyzed: 98, cached: 12, skipped: 207, failed: 0 };
    const last = { ...run[30]!, filesDone: 305, filesTotal: 305 };
    await post(page, { type: 'update', run: { id: 'r5', state: 'cancelled', outcomes }, frames: [{ runId: 'r5', snapshot: last }] });
    const kpi = (label: string, part: string) => page.locator(`section.kpi[aria-label="${label}"] .${part}`).textContent();
    assert.equal(await kpi('ETA', 'kpi-value'), 'cancelled');
    assert.equal(await kpi('ETA', 'kpi-detail'), 'run r5 stopped · 207 files not analyzed');
    assert.equal(await kpi('Files', 'kpi-detail'), '98 analyzed (12 from the cache) · 207 skipped · 0 failed');
    assert.equal(await kpi('Files', 'kpi-value'), '98 / 305', 'the files analyzed, not the 305 the run is done with');
    assert.equal(await page.locator('section.kpi[aria-label="Files"] [role="progressbar"]').getAttribute('aria-valuenow'), String(Math.round((98 / 305) * 100)));
    assert.deepEqual([...problems.console, ...problems.pageErrors], []);
    await page.close();
  });

  it('rejects an invalid message, tells the host why, and keeps what it shows', async () => {
    const { page, problems } = await open(browser, origin);
    await post(page, { type: 'update', run: null, frames: frames('r1', run.slice(0, 5)) });
    const before = await page.locator('article.model .model-rate').first().textContent();
    await post(page, { type: 'update', run: null, frames: [{ runId: 'r1', snapshot: { ...run[5], models: 'all of them' } }] });
    await post(page, { type: 'exec', code: 'alert(1)' });
    const posted = (await host(page)).posted;
    assert.deepEqual(posted.slice(1).map((m) => m.type), ['protocol-error', 'protocol-error']);
    assert.match((posted[1] as { detail: string }).detail, /update\.frames\[0\]\.snapshot\.models: expected an array/);
    assert.equal(await page.locator('article.model .model-rate').first().textContent(), before);
    assert.equal(problems.console.length, 2, 'one warning per rejected message');
    assert.deepEqual(problems.pageErrors, []);
    await page.close();
  });

  it('comes back after hide/show from its saved state, and asks only for newer samples', async () => {
    const first = await open(browser, origin);
    await post(first.page, { type: 'update', run: { id: 'r1', state: 'running' }, frames: frames('r1', run.slice(0, 90)) });
    await first.page.locator('#window-5m').check(); // a UI change saves at once
    const saved = (await host(first.page)).state;
    await first.page.close();

    const second = await open(browser, origin, saved);
    await second.page.waitForFunction(() => (globalThis as unknown as PageGlobals).__host.posted.length > 0);
    assert.deepEqual((await host(second.page)).posted, [{ type: 'ready', since: run[89]!.at }]);
    await second.page.locator('article.model canvas').first().waitFor();
    assert.equal(await second.page.locator('article.model .model-rate').first().textContent(), `${compact(run[89]!.models[0]!.tokensPerMinute)} tokens/min`);
    assert.equal(await second.page.locator('input[name=window]:checked').getAttribute('value'), '5m');
    assert.equal(await second.page.locator('.batches tbody tr').count(), run[89]!.recentBatches.length);
    assert.deepEqual([...second.problems.console, ...second.problems.pageErrors], []);
    await second.page.close();
  });

  it('follows a VS Code high-contrast theme (screenshot)', async () => {
    const { page, problems } = await open(browser, origin);
    await page.evaluate(() => {
      const vars = { '--vscode-editor-background': '#000000', '--vscode-foreground': '#ffffff', '--vscode-descriptionForeground': '#d7d7d7',
        '--vscode-editorWidget-background': '#0c141f', '--vscode-contrastBorder': '#6fc3df', '--vscode-focusBorder': '#f38518',
        '--vscode-charts-blue': '#3794ff', '--vscode-charts-purple': '#b180d7', '--vscode-charts-red': '#f14c4c', '--vscode-charts-orange': '#d18616' };
      const { document } = (globalThis as unknown as PageGlobals);
      for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
      document.body.classList.add('vscode-high-contrast');
    });
    await post(page, { type: 'update', run: { id: 'r1', state: 'running' }, frames: frames('r1', run) });
    const border = await page.locator('article.model').first().evaluate((el) => (globalThis as unknown as PageGlobals).getComputedStyle(el).borderTopColor);
    assert.equal(border, 'rgb(111, 195, 223)');
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-high-contrast.png'), fullPage: true });
    assert.deepEqual([...problems.console, ...problems.pageErrors, ...(await problems.cspViolations())], []);
    await page.close();
  });

  it('renders an hour of 1-second samples for five models (benchmark: frame time)', async function () {
    this.timeout(600_000); // a machine shared by many builds can make this minutes of wall time
    const { page, problems } = await open(browser, origin);
    const UPDATES = 30;
    const hour = recordRun(fiveModels(), 3600 + UPDATES, 20_000);
    await post(page, { type: 'update', run: { id: 'r1', state: 'running' }, frames: frames('r1', hour.slice(0, 3600)) });
    const initial = (await renderDurations(page)).at(-1)!;
    // The main thread's CPU time, which a loaded machine inflates far less than wall time.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const threadTime = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime')?.value ?? NaN;
    const cpuBefore = await threadTime();
    for (const snapshot of hour.slice(3600)) {
      await post(page, { type: 'update', run: { id: 'r1', state: 'running' }, frames: frames('r1', [snapshot]) });
    }
    const cpuPerUpdateMs = ((await threadTime()) - cpuBefore) * 1000 / UPDATES;
    const updates = (await renderDurations(page)).slice(1);
    assert.equal(updates.length, UPDATES, 'one render per update');
    assert.equal(await page.locator('canvas').count(), 1 + 2 * 5);
    const heapMb = await page.evaluate(() => ((globalThis as unknown as PageGlobals).performance.memory?.usedJSHeapSize ?? NaN) / 2 ** 20);
    const figures = {
      samples: 3600, models: 5, charts: 11,
      initialRenderMs: +initial.toFixed(1),
      updateP50Ms: +percentile(updates, 50).toFixed(1), updateP95Ms: +percentile(updates, 95).toFixed(1),
      updateMaxMs: +Math.max(...updates).toFixed(1), mainThreadCpuPerUpdateMs: +cpuPerUpdateMs.toFixed(1),
      jsHeapMb: +heapMb.toFixed(1), loadAverage: +loadavg()[0]!.toFixed(1),
    };
    writeFileSync(path.join(ARTIFACTS, 'dashboard-bench.json'), `${JSON.stringify(figures, null, 2)}\n`);
    console.log(`      frame time, 3,600 samples × 5 models: ${JSON.stringify(figures)}`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-5-models.png'), fullPage: true });
    assert.deepEqual([...problems.console, ...problems.pageErrors, ...(await problems.cspViolations())], []);
    await page.close();
  });
});
