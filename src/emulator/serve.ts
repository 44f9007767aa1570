/**
 * Starting the emulator from a command line, shared by `chorus emulator` and dist/emulator.js:
 * read the config file, listen, print `listening on http://HOST:PORT` first, stop on a signal.
 */
import { readFile } from 'node:fs/promises';
import { defaultEmulatorConfig, type EmulatorConfig } from './config';
import { startEmulator, type RunningEmulator } from './index';
import { validateEmulatorConfig } from './validate';

export interface ServeOptions {
  port?: number;
  host?: string;
  /** Path of a JSON config file; the default config (the seed's quotas) when omitted. */
  config?: string;
  timeScale?: number;
}

export async function loadEmulatorConfig(path: string | undefined): Promise<EmulatorConfig> {
  if (path === undefined) return defaultEmulatorConfig();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read emulator config ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`Emulator config ${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return validateEmulatorConfig(value);
}

export function parseNumberOption(name: string, value: string, check: (n: number) => boolean): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || !check(n)) throw new Error(`Invalid ${name}: ${value}`);
  return n;
}

/** Starts the emulator and keeps it running until SIGINT/SIGTERM. */
export async function serve(options: ServeOptions, print: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<RunningEmulator> {
  const config = await loadEmulatorConfig(options.config);
  const emulator = await startEmulator({ config, port: options.port ?? 0, host: options.host, timeScale: options.timeScale });
  print(`listening on ${emulator.url}`);
  print(`models: ${config.models.map((m) => `${m.id} (${m.tokensPerMinute} TPM)`).join(', ')}; time scale ${options.timeScale ?? 1}`);
  const stop = () => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return emulator;
}
