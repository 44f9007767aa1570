/** Reads one folder's settings (VS Code settings over its chorus.config.json) into a ChorusConfig. */
import * as vscode from 'vscode';
import type { ChorusConfig } from '../../core/config/types';
import { readSettings, toChorusConfig, type ExtensionSettings, type SettingsReader } from '../settings/settings';
import { loadConfigParser } from './engineLoader';

export interface FolderConfig {
  settings: ExtensionSettings;
  /** Undefined when the settings are invalid; `error` says which one and why. */
  config: ChorusConfig | undefined;
  error?: string;
  warnings: string[];
}

export async function readFolderConfig(folder: vscode.WorkspaceFolder): Promise<FolderConfig> {
  const section = vscode.workspace.getConfiguration('chorus', folder.uri);
  const reader: SettingsReader = {
    explicit: (key) => {
      const i = section.inspect(key);
      return i?.workspaceFolderValue ?? i?.workspaceValue ?? i?.globalValue;
    },
    // VS Code already keeps machine-scoped settings out of workspace files; reading only the user
    // level here makes sure of it even if the manifest's scope were ever changed.
    machine: (key) => section.inspect(key)?.globalValue,
  };
  const file = await readConfigFile(folder.uri);
  const { settings, warnings } = readSettings(reader, file.json);
  if (file.error) return { settings, config: undefined, error: file.error, warnings };
  try {
    return { settings, config: toChorusConfig(settings, await loadConfigParser()), warnings };
  } catch (err) {
    return { settings, config: undefined, error: (err as Error).message, warnings };
  }
}

async function readConfigFile(root: vscode.Uri): Promise<{ json?: Record<string, unknown>; error?: string }> {
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(root, 'chorus.config.json'));
  } catch {
    return {};
  }
  try {
    const json: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return { error: 'chorus.config.json: expected a JSON object' };
    return { json: json as Record<string, unknown> };
  } catch (err) {
    return { error: `chorus.config.json: ${(err as Error).message}` };
  }
}
