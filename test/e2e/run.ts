/**
 * The e2e runner (`npm run test:e2e [-- word...]`): in-host suites (test/e2e/suite/*.test.ts)
 * and UI tests (test/e2e/ui/*.test.ts), each in a real VS Code, in one mocha run. Ends with the
 * line "N passed, N failed" and a non-zero exit when anything failed or nothing ran.
 * `npm run test:e2e` builds the extension and installs the VS Code host before this starts.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { matchesFilter } from './harness/filter';
import { e2eRoot, suitesDir, uiDir } from './harness/paths';

const words = process.argv.slice(2);
if (words.length > 0) process.env.CHORUS_E2E_FILTER = words.join(',');

const testFiles = (dir: string): string[] =>
  readdirSync(dir).filter((file) => file.endsWith('.test.ts')).map((file) => join(dir, file)).filter(matchesFilter).sort();

const mocha = new Mocha({
  reporter: 'spec',
  // A backstop only: each driver step has its own deadline (up to 2 minutes) and sessions start
  // in hooks with their own; a busy shared machine makes a multi-step test slow, not wrong.
  timeout: 10 * 60_000,
  color: !process.env.CI,
});
if (testFiles(suitesDir).length > 0) mocha.addFile(join(e2eRoot, 'harness/inHostSuites.ts'));
for (const file of testFiles(uiDir)) mocha.addFile(file);

/** Runs everything; the totals decide the exit code. */
async function main(): Promise<void> {
  await mocha.loadFilesAsync();
  const stats = await new Promise<Mocha.Stats>((resolve) => {
    const runner = mocha.run(() => resolve(runner.stats!));
  });
  const skipped = stats.pending > 0 ? `, ${stats.pending} skipped` : '';
  console.log(`\n${stats.passes} passed, ${stats.failures} failed${skipped}`);
  if (stats.failures > 0 || stats.passes === 0) {
    if (stats.passes === 0 && stats.failures === 0) console.error('No e2e test ran.');
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  console.log('\n0 passed, 1 failed');
  process.exitCode = 1;
});
