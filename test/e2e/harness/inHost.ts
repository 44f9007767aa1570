/**
 * Runs one in-host suite (test/e2e/suite/<name>.test.ts): bundles it, starts a VS Code session
 * whose extension host finds the job in its environment, waits for the results file the host
 * runner writes, and keeps artifacts when anything failed.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hostJobEnvVar, type HostJob, type HostResults } from '../host-runner/src/protocol';
import { bundleSuite } from './bundle';
import { startSession, type SessionOptions } from './session';
import { waitForFile } from './waitForFile';

/**
 * What a suite's optional `<name>.setup.ts` exports as default: the session it needs (files,
 * settings, env, trust), made in the outer runner before VS Code starts, and what to undo after.
 */
export type SuiteSetup = () => Promise<SessionOptions & { dispose?: () => Promise<void> }>;

const perTestTimeoutMs = 60_000;
/** A guard against a host that never answers, not a performance assertion. */
const suiteDeadlineMs = 10 * 60_000;

export async function runInHostSuite(suiteFile: string): Promise<HostResults> {
  const name = basename(suiteFile, '.test.ts');
  const setupFile = suiteFile.replace(/\.test\.ts$/, '.setup.ts');
  const setup = existsSync(setupFile)
    ? await ((await import(pathToFileURL(setupFile).href)) as { default: SuiteSetup }).default()
    : {};
  const dir = mkdtempSync(join(tmpdir(), `chorus-e2e-${name}-`));
  try {
    const job: HostJob = {
      suiteBundle: await bundleSuite(suiteFile, join(dir, 'suite.js')),
      resultsFile: join(dir, 'results.json'),
      timeoutMs: perTestTimeoutMs,
    };
    const jobFile = join(dir, 'job.json');
    writeFileSync(jobFile, JSON.stringify(job));
    const session = await startSession({ ...setup, env: { ...setup.env, [hostJobEnvVar]: jobFile } });
    let results: HostResults | undefined;
    try {
      results = await waitForResults(job.resultsFile);
      return results;
    } finally {
      const failed = !results || results.fatal !== undefined || results.tests.length === 0
        || results.tests.some((test) => test.state === 'failed');
      if (failed) console.log(`      artifacts: ${await session.saveArtifacts(`in-host-${name}`)}`);
      await session.stop();
    }
  } finally {
    await setup.dispose?.();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function waitForResults(file: string): Promise<HostResults> {
  await waitForFile(file, 'the extension host wrote no results', suiteDeadlineMs);
  return JSON.parse(readFileSync(file, 'utf8')) as HostResults;
}
