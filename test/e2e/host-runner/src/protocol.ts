/**
 * What the outer e2e runner and the in-host runner say to each other: a job file (named by an
 * environment variable the extension host inherits from code-server) and a results file that
 * appears, whole, once the suites have run.
 */
export const hostJobEnvVar = 'CHORUS_E2E_HOST_JOB';

/**
 * A file the runner creates as soon as it activates (onStartupFinished): the extension host is up
 * and has activated its startup extensions. Every session waits for it before handing over, so a
 * test never runs a command the workbench lists but no extension host can run yet.
 */
export const hostReadyEnvVar = 'CHORUS_E2E_HOST_READY';

export interface HostJob {
  /** A CommonJS bundle of one test/e2e/suite/*.test.ts, with `vscode` and mocha left external. */
  suiteBundle: string;
  /** Written atomically (temp file + rename) when the run ends. */
  resultsFile: string;
  /** mocha's per-test timeout. */
  timeoutMs: number;
}

export interface HostTestResult {
  title: string;
  fullTitle: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: { message: string; stack?: string };
}

export interface HostResults {
  tests: HostTestResult[];
  /** Set when the suites could not be loaded or mocha itself failed. */
  fatal?: string;
}
