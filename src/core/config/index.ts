/** Configuration: defaults, validation, and loading chorus.config.json. */
import { readFile, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { defaultConfig } from './defaults';
import { withoutDestination, type DestinationField } from './destination';
import { ConfigError, parseConfig } from './parse';
import type { ChorusConfig } from './types';

export { defaultConfig, DEFAULT_EXCLUDE, KNOWN_MODELS, NOVA_PRO_ID, LLAMA_33_70B_ID } from './defaults';
export { DESTINATION_FIELDS, destinationKey, destinationOf, insecureEndpointWarning, withoutDestination, type Destination, type DestinationField } from './destination';
export { ConfigError, parseConfig } from './parse';
export type { BudgetConfig, ChorusConfig, ModelConfig } from './types';

export const CONFIG_FILE_NAME = 'chorus.config.json';

export interface LoadOptions {
  /** An explicit file; relative paths are resolved against `cwd`, never against the analyzed folder. */
  file?: string;
  /** Default: the process's working directory. */
  cwd?: string;
  /** Let a file inside the analyzed tree choose where code goes (`--trust-repo-config`). */
  trustRepoConfig?: boolean;
}

export interface LoadedConfig {
  config: ChorusConfig;
  /** The file read, if any. */
  path?: string;
  /** Destination fields the file set and that were ignored because it lies inside the analyzed tree. */
  ignored: DestinationField[];
}

async function isInside(root: string, path: string): Promise<boolean> {
  const real = async (p: string) => realpath(p).catch(() => resolve(p));
  const rel = relative(await real(root), await real(path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Loads `options.file` or `chorus.config.json` at `root`. A missing default file means the defaults;
 * a missing explicit file, unreadable JSON or an invalid field is a ConfigError naming the file.
 * A file inside `root` is the repository's: its endpoint, region and profile are ignored (and named
 * in `ignored`) unless `trustRepoConfig`.
 */
export async function loadConfig(root: string, options: LoadOptions = {}): Promise<LoadedConfig> {
  const { file } = options;
  const path = file === undefined ? join(root, CONFIG_FILE_NAME) : resolve(options.cwd ?? process.cwd(), file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && file === undefined) return { config: defaultConfig(), ignored: [] };
    throw new ConfigError(path, '', 'a readable configuration file', code === 'ENOENT' ? 'no such file' : String(code ?? err));
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(path, '', 'valid JSON', (err as Error).message);
  }
  const fromRepository = !options.trustRepoConfig && (await isInside(root, path));
  if (!fromRepository || typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { config: parseConfig(json, path), path, ignored: [] };
  }
  const stripped = withoutDestination(json as Record<string, unknown>);
  return { config: parseConfig(stripped.json, path), path, ignored: stripped.ignored };
}
