/**
 * "Chorus: Try It Offline": the bundled emulator (src/emulator, canned rules, no AWS account) started
 * in the extension host on 127.0.0.1 at a random port, and chorus.endpoint pointed at it. The key
 * pair is made up here at random, given to the emulator (which then accepts only it) and to this
 * window's engines through `providerFor` — never written to settings, the environment or a log.
 * Stopping (the command, or the window closing) puts the previous chorus.endpoint back; a window
 * that died with the emulator running puts it back at the next activation.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { ChorusConfig } from '../../core/config/types';
import type { ModelProvider } from '../../core/providers/provider';

const RECORD_KEY = 'chorus.offline.v1';

interface OfflineRecord {
  /** The endpoint this feature wrote. */
  url: string;
  /** chorus.endpoint's user-level value before (undefined: unset). */
  previous?: string;
  /** The extension host that runs it: another window's activation leaves a live one alone. */
  pid: number;
}

interface Running {
  url: string;
  close(): Promise<void>;
  providerFor: (modelId: string) => ModelProvider;
}

let running: Running | undefined;
let starting: Promise<Running> | undefined;

/** For FolderSession: this window's engines reach the offline emulator with its own key pair. */
export function offlineProviderOption(config: Pick<ChorusConfig, 'endpoint'>): { providerFor?: (modelId: string) => ModelProvider } {
  return running && config.endpoint === running.url ? { providerFor: running.providerFor } : {};
}

export function offlineUrl(): string | undefined {
  return running?.url;
}

export async function tryOffline(state: vscode.Memento, log: vscode.LogOutputChannel): Promise<string> {
  starting ??= start(log).finally(() => (starting = undefined));
  const emulator = running ?? (await starting);
  const section = vscode.workspace.getConfiguration('chorus');
  const current = section.inspect<string>('endpoint')?.globalValue;
  if (current !== emulator.url) {
    const record: OfflineRecord = { url: emulator.url, pid: process.pid, ...(current ? { previous: current } : {}) };
    await state.update(RECORD_KEY, record);
    await section.update('endpoint', emulator.url, vscode.ConfigurationTarget.Global);
  }
  log.info(`Try it offline: the bundled emulator listens on ${emulator.url} (canned rules, not a model; nothing leaves this machine)`);
  return emulator.url;
}

/** Stops the emulator and puts chorus.endpoint back as it was (also after a window that died). */
export async function stopOffline(state: vscode.Memento, log?: vscode.LogOutputChannel): Promise<boolean> {
  const emulator = running;
  running = undefined;
  const record = state.get<OfflineRecord>(RECORD_KEY);
  // Another window's live emulator is that window's to stop.
  if (record && (record.pid === process.pid || !alive(record.pid))) {
    const section = vscode.workspace.getConfiguration('chorus');
    if (section.inspect<string>('endpoint')?.globalValue === record.url) {
      await section.update('endpoint', record.previous, vscode.ConfigurationTarget.Global);
    }
    await state.update(RECORD_KEY, undefined);
  }
  await emulator?.close();
  if (emulator) log?.info('Try it offline: the emulator stopped; chorus.endpoint is back to its previous value');
  return emulator !== undefined;
}

/** At activation: a window that died with the emulator running left chorus.endpoint on a dead port. */
export async function restoreAfterCrash(state: vscode.Memento): Promise<void> {
  const record = state.get<OfflineRecord>(RECORD_KEY);
  if (record && record.pid !== process.pid && !alive(record.pid)) await stopOffline(state);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, owned by someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function start(log: vscode.LogOutputChannel): Promise<Running> {
  // Loaded on demand, like the engine: neither the emulator nor the SDK weighs on activation.
  const [{ startEmulator, defaultEmulatorConfig }, { createBedrockProviders, socketsForModels }, { DEFAULT_MAX_CONCURRENCY }] = await Promise.all([
    import('../../emulator/index'),
    import('../../core/providers/index'),
    import('../../core/schedule/options'),
  ]);
  const credentials = { accessKeyId: `AKIDOFFLINE${randomBytes(6).toString('hex').toUpperCase()}`, secretAccessKey: randomBytes(24).toString('base64url') };
  const config = { ...defaultEmulatorConfig(), credentials };
  const emulator = await startEmulator({ config, port: 0, host: '127.0.0.1', timeScale: 1 });
  const providerFor = createBedrockProviders({
    region: 'us-east-1',
    endpoint: emulator.url,
    credentials,
    maxSockets: socketsForModels(config.models.map(() => DEFAULT_MAX_CONCURRENCY)),
  });
  running = { url: emulator.url, close: () => emulator.close(), providerFor };
  log.debug(`Try it offline: emulator started with ${config.models.length} model(s)`);
  return running;
}
