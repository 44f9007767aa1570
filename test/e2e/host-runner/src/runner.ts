/**
 * The in-host test runner, an extension installed beside Chorus only in e2e runs. Like VS Code's
 * --extensionTestsPath, it runs mocha suites inside the extension host, so they can call the real
 * `vscode` API; the results go back to the outer runner through a file. Without a job in the
 * environment it only reports that the extension host is ready.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { findSourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';
import Mocha from 'mocha';
import { hostJobEnvVar, hostReadyEnvVar, type HostJob, type HostResults, type HostTestResult } from './protocol';

export function activate(): void {
  const readyFile = process.env[hostReadyEnvVar];
  if (readyFile) writeFileSync(readyFile, String(process.pid));
  const jobFile = process.env[hostJobEnvVar];
  if (!jobFile) return;
  void runJob(JSON.parse(readFileSync(jobFile, 'utf8')) as HostJob);
}

async function runJob(job: HostJob): Promise<void> {
  let results: HostResults;
  try {
    results = { tests: await runSuites(job) };
  } catch (error) {
    results = { tests: [], fatal: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  // Rename, so the outer runner never reads a half-written file.
  writeFileSync(`${job.resultsFile}.tmp`, JSON.stringify(results, null, 2));
  renameSync(`${job.resultsFile}.tmp`, job.resultsFile);
}

function runSuites(job: HostJob): Promise<HostTestResult[]> {
  // Lets findSourceMap() read the suite bundle's inline map (see withoutRunnerFrames).
  process.setSourceMapsEnabled(true);
  const results: HostTestResult[] = [];
  const mocha = new Mocha({ ui: 'bdd', timeout: job.timeoutMs, color: false });
  // The spec reporter's lines land in the extension host log, which failed runs keep.
  mocha.reporter('spec');
  mocha.addFile(job.suiteBundle);
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run(() => resolve(results));
      runner.on('pass', (test) => results.push(record(test, 'passed')));
      runner.on('pending', (test) => results.push(record(test, 'pending')));
      runner.on('fail', (test, error: unknown) => {
        const failed = record(test, 'failed');
        failed.error = error instanceof Error
          ? { message: error.message, ...(error.stack ? { stack: withoutRunnerFrames(error.stack) } : {}) }
          : { message: String(error) };
        results.push(failed);
      });
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

function record(test: Mocha.Runnable, state: HostTestResult['state']): HostTestResult {
  return {
    title: test.title,
    fullTitle: test.fullTitle(),
    state,
    ...(test.duration === undefined ? {} : { durationMs: test.duration }),
  };
}

/**
 * Readable stacks: mocha's own frames (bundled into this runner) go, and frames in the suite's
 * bundle are mapped back to test/e2e/suite/*.ts through its inline source map. VS Code replaces
 * Error.prepareStackTrace in the extension host, so Node would not map them by itself.
 */
function withoutRunnerFrames(stack: string): string {
  return stack.split('\n')
    .filter((line) => !line.includes(__filename))
    .map((line) => line.replace(/([^\s(]+\.js):(\d+):(\d+)/, (frame, file: string, line: string, column: string) => {
      // findOrigin takes 1-based positions, as printed in stacks.
      const origin = findSourceMap(file)?.findOrigin(Number(line), Number(column));
      if (!origin || !('fileName' in origin)) return frame;
      const source = origin.fileName.startsWith('file:') ? fileURLToPath(origin.fileName) : origin.fileName;
      return `${source}:${origin.lineNumber}:${origin.columnNumber}`;
    }))
    .join('\n');
}
