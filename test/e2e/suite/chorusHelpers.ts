/**
 * Shared by Chorus's in-host suites: the emulator started inside the extension host, settings
 * written at the user level (where machine-scoped ones must live), and waiting for conditions.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { defaultEmulatorConfig, startEmulator, type EmulatorConfig, type RunningEmulator } from '../../../src/emulator';

export const EXTENSION_ID = 'chorus-dev.bedrock-chorus';

export interface ChorusApi {
  activationMs: number;
}

export async function activateChorus(): Promise<ChorusApi> {
  const extension = vscode.extensions.getExtension<ChorusApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed in this host`);
  return extension.activate();
}

/** An emulator in this process; any static credentials are accepted, so set a dummy pair. */
export async function startChorusEmulator(config: EmulatorConfig = defaultEmulatorConfig(), timeScale = 20): Promise<RunningEmulator> {
  process.env.AWS_ACCESS_KEY_ID ??= 'AKIDCHORUSE2E';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'chorus-e2e-secret';
  return startEmulator({ config, port: 0, timeScale });
}

export async function setSettings(values: Record<string, unknown>): Promise<void> {
  const section = vscode.workspace.getConfiguration('chorus');
  for (const [key, value] of Object.entries(values)) await section.update(key, value, vscode.ConfigurationTarget.Global);
}

export function folder(): vscode.WorkspaceFolder {
  const first = vscode.workspace.workspaceFolders?.[0];
  if (!first) throw new Error('The e2e session opened no workspace folder');
  return first;
}

/** Writes a file straight to disk (as a tool outside the editor would); returns its URI. */
export function writeWorkspaceFile(relative: string, text: string): vscode.Uri {
  const path = join(folder().uri.fsPath, relative);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return vscode.Uri.file(path);
}

export function chorusDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Chorus');
}

/** Polls until `probe` returns something truthy; fails naming `what` (and the last value) otherwise. */
export async function eventually<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function codeOf(d: vscode.Diagnostic): string {
  return String(typeof d.code === 'object' ? d.code.value : d.code);
}

/**
 * How often each file was analyzed: requests that ended ok with a complete answer. An answer cut at
 * maxTokens is asked again by the engine (the same batch, a larger cap), which is not a second
 * analysis of the file.
 */
export function sentFiles(emulator: RunningEmulator, since = 0): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of emulator.requests({ since })) {
    if (r.outcome !== 'ok' || r.stopReason === 'max_tokens') continue;
    for (const f of r.files) counts.set(f, (counts.get(f) ?? 0) + 1);
  }
  return counts;
}
