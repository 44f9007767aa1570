/**
 * One real VS Code: code-server with a fresh profile and the freshly built Chorus, opened on a
 * workspace folder in Debian's Chromium. Both UI tests and in-host suites run in one of these.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { saveArtifacts } from './artifacts';
import { launchChromium } from './browser';
import { buildHostRunner } from './bundle';
import { startCodeServer, type CodeServer } from './codeServer';
import { hostReadyEnvVar } from '../host-runner/src/protocol';
import { WorkbenchDriver } from './driver';
import { waitForFile } from './waitForFile';
import { stageChorus, stageExtension, writeFiles, writeUserSettings } from './profile';

export interface SessionOptions {
  /** Workspace files made fresh in a temp folder: relative path → content. */
  files?: Record<string, string>;
  /** Or open this existing folder instead (it is not copied, so tests may change it). */
  folder?: string;
  /** User settings written before VS Code starts, e.g. `{ 'chorus.endpoint': emulatorUrl }`. */
  settings?: Record<string, unknown>;
  /** false opens the folder in restricted mode (workspace trust on, folder not trusted). */
  trusted?: boolean;
  /** Environment for code-server and so for the extension host. */
  env?: Record<string, string>;
}

export interface Session {
  readonly page: Page;
  readonly driver: WorkbenchDriver;
  /** The opened workspace folder. */
  readonly folder: string;
  /** Screenshot + logs into test-artifacts/<name>/; returns that folder. */
  saveArtifacts(name: string): Promise<string>;
  /** Closes the browser, ends code-server's process group, removes the temp folder. */
  stop(): Promise<void>;
}

let hostRunnerBuild: Promise<string> | undefined;

/** Built once per process into its own temp folder (removed at exit), then copied into each session. */
function hostRunner(): Promise<string> {
  if (!hostRunnerBuild) {
    const dir = mkdtempSync(join(tmpdir(), 'chorus-e2e-runner-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    hostRunnerBuild = buildHostRunner(dir);
  }
  return hostRunnerBuild;
}

export async function startSession(options: SessionOptions = {}): Promise<Session> {
  const dir = mkdtempSync(join(tmpdir(), 'chorus-e2e-'));
  const folder = options.folder ?? join(dir, 'workspace');
  const userDataDir = join(dir, 'user-data');
  const extensionsDir = join(dir, 'extensions');
  const readyFile = join(dir, 'extension-host-ready');

  const browserConsole: string[] = [];
  let codeServer: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  const stop = async (): Promise<void> => {
    await browser?.close().catch(() => undefined);
    await codeServer?.stop();
    if (!process.env.CHORUS_E2E_KEEP) rmSync(dir, { recursive: true, force: true });
  };
  try {
    // A made folder is never empty (an empty explorer looks like a workbench still loading).
    writeFiles(folder, options.files ?? (options.folder ? {} : { 'README.md': '# e2e workspace\n' }));
    writeUserSettings(userDataDir, options.settings ?? {}, options.trusted ?? true);
    stageChorus(extensionsDir);
    stageExtension(await hostRunner(), extensionsDir, ['dist']);
    codeServer = await startCodeServer({
      userDataDir, extensionsDir, folder,
      configFile: join(dir, 'code-server.yaml'),
      logFile: join(dir, 'code-server.log'),
      env: { ...options.env, [hostReadyEnvVar]: readyFile },
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('console', (message) => browserConsole.push(`[${message.type()}] ${message.text()}`));
    page.on('pageerror', (error) => browserConsole.push(`[pageerror] ${error.stack ?? error.message}`));
    // The page is heavy (tens of MB of scripts); on a loaded machine a load takes minutes.
    await page.goto(codeServer.url, { waitUntil: 'domcontentloaded', timeout: 5 * 60_000 });
    const driver = new WorkbenchDriver(page);
    await driver.waitForWorkbench();
    await waitForFile(readyFile, 'the extension host did not start');
    const ready = page;
    return {
      page: ready, driver, folder, stop,
      saveArtifacts: (name) => saveArtifacts(name, {
        page: ready, browserConsole,
        codeServerLog: join(dir, 'code-server.log'),
        vscodeLogs: join(userDataDir, 'logs'),
      }),
    };
  } catch (error) {
    // Keep what explains a failed start before the temp folder goes.
    const saved = await saveArtifacts('session-start-failed', {
      page, browserConsole, codeServerLog: join(dir, 'code-server.log'), vscodeLogs: join(userDataDir, 'logs'),
    }).catch(() => undefined);
    await stop();
    throw new Error(`VS Code session did not start${saved ? ` (artifacts: ${saved})` : ''}: ${String(error)}`, { cause: error });
  }
}
