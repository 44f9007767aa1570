/**
 * For UI tests: one VS Code session per `describe`, started in `before`, torn down in `after`
 * (even when tests fail), with screenshot and logs saved for each failed test.
 *
 *   describe('status bar', function () {
 *     const vscode = useSession({ files: { 'a.c': 'int main;' }, settings: { 'chorus.enabled': true } });
 *     it('shows the item', async () => { await vscode.driver.statusBarItem(/Chorus/); });
 *   });
 */
import type { Page } from 'playwright-core';
import type { WorkbenchDriver } from './driver';
import { startSession, type Session, type SessionOptions } from './session';

/** Options, or a function that makes them in `before` (e.g. after starting an emulator). */
export type SessionOptionsSource = SessionOptions | (() => SessionOptions | Promise<SessionOptions>);

/** Starting code-server and loading the workbench on a busy 2-core machine can take a while. */
const startTimeoutMs = 5 * 60_000;

export function useSession(options: SessionOptionsSource = {}): Session {
  let session: Session | undefined;
  const started = (): Session => {
    if (!session) throw new Error('The VS Code session is not running (did its before() hook fail?)');
    return session;
  };

  before(async function () {
    this.timeout(startTimeoutMs);
    session = await startSession(typeof options === 'function' ? await options() : options);
  });

  afterEach(async function () {
    const test = this.currentTest;
    if (session && test?.state === 'failed') {
      const dir = await session.saveArtifacts(test.fullTitle());
      console.log(`      artifacts: ${dir}`);
    }
  });

  after(async function () {
    this.timeout(60_000);
    await session?.stop();
    session = undefined;
  });

  return {
    get page(): Page { return started().page; },
    get driver(): WorkbenchDriver { return started().driver; },
    get folder(): string { return started().folder; },
    saveArtifacts: (name) => started().saveArtifacts(name),
    stop: () => started().stop(),
  };
}
