import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { renderReportHtml, renderReportHtmlSync, ReportRecorder } from '../../../src/cli/report';
import { validateHostMessage } from '../../../src/core/webviewProtocol';
import { recordRun, TWO_MODELS } from '../../integration/dashboard/series';

function assets(js: string, css: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'chorus-report-'));
  writeFileSync(path.join(dir, 'dashboard.js'), js);
  writeFileSync(path.join(dir, 'dashboard.css'), css);
  return dir;
}

function between(html: string, open: string, close: string): string {
  const start = html.indexOf(open) + open.length;
  return html.slice(start, html.indexOf(close, start));
}
const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

describe('renderReportHtml', () => {
  const run = recordRun(TWO_MODELS, 20);

  it('inlines the page and allows exactly its script and style by hash', async () => {
    const html = await renderReportHtml(run, { assetsDir: assets('console.log(1);\n//# sourceMappingURL=dashboard.js.map\n', 'body{color:red}\n/*# sourceMappingURL=dashboard.css.map */') });
    const csp = between(html, 'http-equiv="Content-Security-Policy" content="', '"');
    const script = between(html, '<script>', '</script>');
    const style = between(html, '<style>', '</style>');
    assert.doesNotMatch(script + style, /sourceMappingURL/);
    assert.equal(csp, `default-src 'none'; script-src ${hash(script)}; style-src ${hash(style)}; img-src data:; base-uri 'none'; form-action 'none'`);
    assert.doesNotMatch(html, /https?:\/\//, 'no remote content');
  });

  it('embeds the run as the same update message the extension posts', async () => {
    const html = await renderReportHtml(run, { assetsDir: assets('', ''), runId: 'r9', cancelled: true });
    const json = between(html, '<script type="application/json" id="chorus-report">', '</script>');
    const message = validateHostMessage(JSON.parse(json));
    assert.ok(message.ok);
    assert.deepEqual(message.value.run, { id: 'r9', state: 'cancelled' });
    assert.deepEqual(message.value.frames.map((f) => f.snapshot), run);
  });

  it('cannot be broken out of by run data or by the inlined code', async () => {
    const evil = structuredClone(run);
    evil.at(-1)!.recentBatches[0]!.reason = '</script><script>alert(1)</script><!--';
    const html = await renderReportHtml(evil, { title: '</title><script>alert(2)</script>', assetsDir: assets('var s = "</script>";', 'a::after{content:"</style>"}') });
    assert.equal(html.match(/<script/g)!.length, 2, 'only the data block and the page script');
    assert.equal(html.match(/<\/script>/g)!.length, 2);
    assert.match(html, /<title>&#60;\/title&#62;&#60;script&#62;alert\(2\)&#60;\/script&#62;<\/title>/);
    const json = between(html, 'id="chorus-report">', '</script>');
    assert.equal((JSON.parse(json) as { frames: { snapshot: { recentBatches: { reason: string }[] } }[] }).frames.at(-1)!.snapshot.recentBatches[0]!.reason,
      '</script><script>alert(1)</script><!--');
  });

  it('renders the same document synchronously (for the CLI hook)', async () => {
    const dir = assets('let a = 1;', 'b{}');
    assert.equal(renderReportHtmlSync(run, { assetsDir: dir, title: 't' }), await renderReportHtml(run, { assetsDir: dir, title: 't' }));
    assert.throws(() => renderReportHtmlSync(run, { assetsDir: path.join(tmpdir(), 'nowhere') }), /not built/);
  });

  it('refuses invalid snapshots with the reason', async () => {
    const bad = structuredClone(run);
    bad[3]!.models[0]!.costUsd = -1;
    await assert.rejects(renderReportHtml(bad, { assetsDir: assets('', '') }), /snapshot 3 is invalid: snapshot\.models\[0\]\.costUsd/);
  });

  it('says what to do when the page is not built', async () => {
    await assert.rejects(renderReportHtml(run, { assetsDir: path.join(tmpdir(), 'nowhere') }), /dashboard page is not built.*npm run build/);
  });

  it('thins a very long run to the page’s limit, keeping the first and last samples', async function () {
    this.timeout(120_000);
    const long = recordRun(TWO_MODELS, 3700).map((s) => ({ ...s, recentBatches: [] }));
    const html = await renderReportHtml(long, { assetsDir: assets('', '') });
    const message = validateHostMessage(JSON.parse(between(html, 'id="chorus-report">', '</script>')));
    assert.ok(message.ok);
    assert.equal(message.value.frames.length, 3600);
    assert.equal(message.value.frames[0]!.snapshot.at, long[0]!.at);
    assert.equal(message.value.frames.at(-1)!.snapshot.at, long.at(-1)!.at);
  });
});

describe('ReportRecorder', () => {
  it('records metrics events in bounded memory, spanning the whole run', () => {
    const recorder = new ReportRecorder({ maxSnapshots: 100 });
    const run = recordRun(TWO_MODELS, 1000);
    for (const snapshot of run) recorder.onEvent({ type: 'metrics', runId: 'r1', snapshot });
    recorder.onEvent({ type: 'run-finished', runId: 'r1', cancelled: false });
    const kept = recorder.snapshots();
    assert.ok(kept.length <= 100, `${kept.length} kept`);
    assert.ok(kept.length >= 50);
    assert.equal(kept[0]!.at, run[0]!.at);
    assert.equal(kept.at(-1)!.at, run.at(-1)!.at, 'the last snapshot is exact');
    const gaps = kept.slice(1, -1).map((s, i) => s.at - kept[i]!.at);
    assert.equal(new Set(gaps).size, 1, 'evenly spaced');
  });

  it('keeps every batch seen (newest state of each) on the last snapshot only', () => {
    const recorder = new ReportRecorder({ maxBatches: 40 });
    const run = recordRun(TWO_MODELS, 300);
    for (const snapshot of run) recorder.record(snapshot);
    const kept = recorder.snapshots();
    assert.ok(kept.slice(0, -1).every((s) => s.recentBatches.length === 0));
    const batches = kept.at(-1)!.recentBatches;
    assert.equal(batches.length, 40);
    assert.deepEqual(batches.map((b) => b.batchId), run.at(-1)!.recentBatches.slice(-40).map((b) => b.batchId));
  });

  it('skips snapshots that would not validate', () => {
    const recorder = new ReportRecorder();
    recorder.record({ ...recordRun(TWO_MODELS, 1)[0]!, filesDone: NaN });
    assert.equal(recorder.rejected, 1);
    assert.deepEqual(recorder.snapshots(), []);
  });
});
