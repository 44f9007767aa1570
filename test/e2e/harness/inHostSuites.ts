/**
 * Loaded by the e2e runner as a mocha file: one `describe` per in-host suite. Its `before` runs
 * the suite inside VS Code and then adds one outer test per in-host result, so the spec reporter
 * prints every in-host test's title and outcome and the totals count them.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import type { HostResults, HostTestResult } from '../host-runner/src/protocol';
import { runInHostSuite } from './inHost';
import { suitesDir } from './paths';
import { matchesFilter } from './filter';

const suites = readdirSync(suitesDir)
  .filter((file) => file.endsWith('.test.ts') && matchesFilter(join(suitesDir, file)))
  .sort();

for (const file of suites) {
  describe(`in host: ${file}`, function () {
    this.timeout(15 * 60_000);
    let results: HostResults | undefined;

    before(async function () {
      results = await runInHostSuite(join(suitesDir, file));
      const suite = this.test!.parent!;
      for (const result of results.tests) suite.addTest(replay(result));
    });

    it('ran in the extension host', function () {
      assert.ok(results, 'no results');
      assert.equal(results.fatal, undefined, `the suite could not run: ${results.fatal}`);
      assert.ok(results.tests.length > 0, 'no test ran in the extension host');
    });
  });
}

/** An outer test that reports what happened in the host: pass, skip, or the host's error. */
function replay(result: HostTestResult): Mocha.Test {
  return new Mocha.Test(result.title, function (this: Mocha.Context) {
    if (result.state === 'pending') this.skip();
    if (result.state === 'failed') {
      const error = new Error(result.error?.message ?? 'failed in the extension host');
      if (result.error?.stack) error.stack = result.error.stack;
      throw error;
    }
  });
}
