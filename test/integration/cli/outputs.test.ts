/** What a run writes into the folder it analyzes is not analyzed by the next run; usage errors exit 2. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { excludeOwnOutputs } from '../../../src/cli/commands/engineSetup';
import { cliEnv, runChorus, SAMPLE, tempDir, useCliSuite, writeTree, type JsonReport } from './helpers';

describe('CLI: its own outputs, and usage errors', function () {
  this.timeout(120_000);
  const suite = useCliSuite();

  it('a report and a SARIF file written inside DIR are not analyzed by the next run', async () => {
    const root = suite.dir(writeTree(tempDir('own'), SAMPLE));
    const env = cliEnv(suite.dir(tempDir('cache')));
    const args = ['analyze', root, '--endpoint', suite.emu.url, '--format', 'json', '--output', join(root, 'out', 'chorus [1].json'), '--report', join(root, 'report.html')];
    for (let i = 0; i < 2; i++) {
      const run = await runChorus(args, env);
      assert.equal(run.code, 0, run.stderr);
    }
    const report = JSON.parse(readFileSync(join(root, 'out', 'chorus [1].json'), 'utf8')) as JsonReport;
    assert.deepEqual(report.files.map((f) => f.path).sort(), Object.keys(SAMPLE).sort());
  });

  it('excludes only outputs inside the folder, matched literally', () => {
    assert.deepEqual(excludeOwnOutputs('/w/repo', ['/w/repo/a/b[1].sarif', '/w/elsewhere.json', undefined, '/w/repo']), ['a/b\\[1\\].sarif']);
  });

  it('an unknown command or flag is a usage error: exit 2', async () => {
    const env = cliEnv(suite.dir(tempDir('cache')));
    assert.equal((await runChorus(['frobnicate'], env)).code, 2);
    assert.equal((await runChorus(['analyze', '--no-such-flag'], env)).code, 2);
  });
});
