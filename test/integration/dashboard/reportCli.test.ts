/**
 * `chorus analyze --report` end to end (the CLI as a child process against the emulator): the report
 * of a first run and of the rerun served from the cache, each with its totals and findings, and the
 * report written inside the folder is never analyzed by the rerun.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type HostMessage, validateHostMessage } from '../../../src/core/webviewProtocol';
import { cliEnv, runChorus, SAMPLE, tempDir, useCliSuite, writeTree } from '../cli/helpers';

function embedded(file: string): HostMessage {
  const html = readFileSync(file, 'utf8');
  const open = '<script type="application/json" id="chorus-report">';
  const start = html.indexOf(open) + open.length;
  const message = validateHostMessage(JSON.parse(html.slice(start, html.indexOf('</script>', start))));
  assert.ok(message.ok, message.ok ? '' : message.error);
  return message.value;
}

describe('dashboard report from the CLI: a run and its cached rerun', function () {
  this.timeout(180_000);
  const suite = useCliSuite();

  it('carries the totals and findings of each run; the rerun says 0 requests, all from the cache, and skips its own report', async () => {
    const root = suite.dir(writeTree(tempDir('report'), SAMPLE));
    const env = cliEnv(suite.dir(tempDir('cache')));
    const reportFile = join(root, 'chorus-report.html');
    const args = ['analyze', root, '--endpoint', suite.emu.url, '--format', 'json', '--report', reportFile];
    const sampleFiles = Object.keys(SAMPLE).length;

    const first = await runChorus(args, env);
    assert.equal(first.code, 0, first.stderr);
    const one = embedded(reportFile).report!;
    assert.equal(one.totals.files, sampleFiles);
    assert.equal(one.totals.cached, 0);
    assert.ok(one.totals.requests > 0 && one.totals.tokens > 0);
    assert.ok(one.findings.length > 0, 'the emulator’s canned rules report findings on the sample');
    assert.equal(one.findingsTotal, one.findings.length);

    const rerun = await runChorus(args, env);
    assert.equal(rerun.code, 0, rerun.stderr);
    const two = embedded(reportFile).report!;
    assert.equal(two.totals.files, sampleFiles, 'the report written by the first run is not among the files');
    assert.deepEqual([two.totals.cached, two.totals.requests, two.totals.tokens], [sampleFiles, 0, 0]);
    assert.deepEqual(two.findings.map((f) => `${f.file}:${f.line}:${f.ruleId}`), one.findings.map((f) => `${f.file}:${f.line}:${f.ruleId}`));
  });
});
