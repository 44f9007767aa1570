/**
 * What a failed test leaves behind in test-artifacts/<test>/: a screenshot of the workbench,
 * code-server's log, VS Code's logs (the extension host's among them) and the browser console.
 */
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { artifactsRoot } from './paths';

export function artifactDir(name: string): string {
  const slug = name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 120) || 'unnamed';
  const dir = join(artifactsRoot, slug);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export interface ArtifactSources {
  page: Page | undefined;
  codeServerLog: string;
  /** The user-data-dir's logs/ folder: exthost*, remoteagent, etc. */
  vscodeLogs: string;
  browserConsole: readonly string[];
}

/** Best effort by design: a broken page must not hide the logs that explain it. */
export async function saveArtifacts(name: string, from: ArtifactSources): Promise<string> {
  const dir = artifactDir(name);
  if (from.page && !from.page.isClosed()) {
    await from.page.screenshot({ path: join(dir, 'screenshot.png'), timeout: 10_000 }).catch((error: unknown) => {
      writeFileSync(join(dir, 'screenshot-failed.txt'), String(error));
    });
  }
  if (existsSync(from.codeServerLog)) cpSync(from.codeServerLog, join(dir, 'code-server.log'));
  if (existsSync(from.vscodeLogs)) cpSync(from.vscodeLogs, join(dir, 'vscode-logs'), { recursive: true });
  writeFileSync(join(dir, 'browser-console.log'), from.browserConsole.join('\n'));
  return dir;
}
