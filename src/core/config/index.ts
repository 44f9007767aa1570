/** Configuration: defaults, validation, and loading chorus.config.json. */
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { defaultConfig } from './defaults';
import { ConfigError, parseConfig } from './parse';
import type { ChorusConfig } from './types';

export { defaultConfig, DEFAULT_EXCLUDE, KNOWN_MODELS, NOVA_PRO_ID, LLAMA_33_70B_ID } from './defaults';
export { ConfigError, parseConfig } from './parse';
export type { BudgetConfig, ChorusConfig, ModelConfig } from './types';

export const CONFIG_FILE_NAME = 'chorus.config.json';

/**
 * Loads `file` (relative to `root` unless absolute) or `chorus.config.json` at `root`. A missing
 * default file means the defaults; a missing explicit file, unreadable JSON or an invalid field is a
 * ConfigError naming the file.
 */
export async function loadConfig(root: string, file?: string): Promise<ChorusConfig> {
  const path = file === undefined ? join(root, CONFIG_FILE_NAME) : isAbsolute(file) ? file : resolve(root, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && file === undefined) return defaultConfig();
    throw new ConfigError(path, '', 'a readable configuration file', code === 'ENOENT' ? 'no such file' : String(code ?? err));
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(path, '', 'valid JSON', (err as Error).message);
  }
  return parseConfig(json, path);
}
