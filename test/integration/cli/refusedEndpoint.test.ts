/**
 * An endpoint that refuses connections (issue 18 item 1): a run over many files fails over at once,
 * ends within seconds with one clear message (not one per file), and charges nothing — with a token
 * budget set, no file is skipped "for the budget" by calls that never reached a service.
 */
import assert from 'node:assert/strict';
import { closedPort } from '../../support/closedPort';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { cliEnv, runChorus, tempDir, writeTree } from './helpers';


describe('chorus analyze against an endpoint that refuses connections', function () {
  this.timeout(60_000);
  const FILES = 150;
  let root: string;
  let cache: string;
  before(() => {
    root = tempDir('refused');
    cache = tempDir('refused-cache');
    const files: Record<string, string> = {};
    for (let i = 0; i < FILES; i++) files[`src/f${i}.ts`] = `export function f${i}(a: number) {\n  if (a > ${i}) return a * 2;\n  return a;\n}\n`;
    writeTree(root, files);
  });
  after(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  });

  it(`fails ${FILES} files within seconds with one message, nothing charged to the budget`, async () => {
    const port = await closedPort();
    const started = Date.now();
    const run = await runChorus(['analyze', root, '--endpoint', `http://127.0.0.1:${port}`, '--no-cache', '--max-tokens', '20000', '--format', 'json'], cliEnv(join(cache, 'c')));
    const seconds = (Date.now() - started) / 1000;
    assert.ok(seconds < 20, `took ${seconds.toFixed(1)} s`);
    assert.notEqual(run.code, 0, 'a run where nothing was analyzed does not succeed');
    const report = JSON.parse(run.stdout) as { files: { status: string; reason?: string }[] };
    assert.equal(report.files.length, FILES);
    const skipped = report.files.filter((f) => f.status === 'skipped');
    assert.deepEqual(skipped.map((f) => f.reason), [], 'no file is skipped for a budget nothing was spent of');
    for (const f of report.files) assert.match(f.reason ?? '', /no model answered.*ECONNREFUSED.*unreachable/);
    const failureLines = run.stderr.split('\n').filter((l) => / failed: /.test(l));
    assert.equal(failureLines.length, 1, `one failure line, got:\n${failureLines.slice(0, 5).join('\n')}`);
    assert.match(run.stderr, new RegExp(`${FILES - 1} more file\\(s\\) failed the same way`));
  });

  it('the text report lists the files that failed the same way on one line', async () => {
    const port = await closedPort();
    const run = await runChorus(['analyze', root, '--endpoint', `http://127.0.0.1:${port}`, '--no-cache'], cliEnv(join(cache, 'd')));
    const lines = run.stdout.split('\n').filter((l) => /^\s+failed /.test(l));
    assert.equal(lines.length, 1, lines.slice(0, 5).join('\n'));
    assert.match(lines[0]!, new RegExp(`${FILES} files \\(`));
  });
});
