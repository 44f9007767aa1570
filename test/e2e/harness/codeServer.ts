/**
 * Starts code-server (VS Code 1.139 as a web server) on a free loopback port and stops it with its
 * whole process tree. Its stdout/stderr go to a log file that failed tests keep as an artifact.
 */
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, writeFileSync } from 'node:fs';
import { codeServerEntry, hostNode } from './paths';
import { killGroup, spawnGroup } from './processGroup';

export interface CodeServerOptions {
  userDataDir: string;
  /** code-server's own config file; kept per launch so nothing is written to ~/.config. */
  configFile: string;
  extensionsDir: string;
  folder: string;
  logFile: string;
  /** Extra environment; the extension host inherits it (the in-host runner reads its job there). */
  env?: Record<string, string>;
}

export interface CodeServer {
  /** The workbench URL, with the workspace folder already in it. */
  readonly url: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

const listening = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\//;

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  if (!existsSync(codeServerEntry) || !existsSync(hostNode)) {
    throw new Error('code-server is not installed: run scripts/vscode-host/install.sh (npm run test:e2e does).');
  }
  const args = [
    codeServerEntry,
    '--auth', 'none',
    // Port 0: the kernel picks a free port and code-server prints it; no race with other runs.
    '--bind-addr', '127.0.0.1:0',
    '--config', options.configFile,
    '--user-data-dir', options.userDataDir,
    '--extensions-dir', options.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    options.folder,
  ];
  writeFileSync(options.configFile, 'auth: none\n');
  const log = createWriteStream(options.logFile);
  const child = spawnGroup(hostNode, args, {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const stop = async (): Promise<void> => {
    await killGroup(child);
    log.end();
  };
  try {
    const base = await waitForAddress(child);
    return { url: `${base}/?folder=${encodeURIComponent(options.folder)}`, process: child, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Resolves with the address code-server prints once it listens; rejects if it exits first. */
function waitForAddress(child: ChildProcess): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let seen = '';
    const scan = (chunk: Buffer): void => {
      seen += chunk.toString();
      const match = listening.exec(seen);
      if (!match?.[1]) return;
      child.off('exit', onExit);
      child.stdout?.off('data', scan);
      child.stderr?.off('data', scan);
      resolve(match[1]);
    };
    const onExit = (code: number | null, signal: string | null): void => {
      reject(new Error(`code-server exited before listening (code ${String(code)}, signal ${String(signal)}):\n${seen}`));
    };
    child.stdout?.on('data', scan);
    child.stderr?.on('data', scan);
    child.once('exit', onExit);
  });
}
