/**
 * The extension host entry. Kept quick (measured and logged): it creates the log, the diagnostics
 * collection, the status bar and the listeners, and registers the commands. The engine — with the
 * AWS SDK, the scorer and its parsers — loads on the first analysis (host/engineLoader.ts).
 */
import * as vscode from 'vscode';
import { ChorusCodeActions } from './codeActions';
import { registerCommands } from './commands/register';
import { restoreAfterCrash, stopOffline } from './commands/offline';
import { lastConnectionSummary } from './commands/testConnection';
import type { EngineEvent } from '../core/engine/events';
import type { ConnectionSummary } from './commands/connectionSummary';
import { Controller } from './host/controller';
import type { StatusView } from './status/formatStatus';

/** What activate() returns: read by the in-host tests (and by anyone curious) through `exports`. */
export interface ChorusApi {
  activationMs: number;
  /** What the status bar shows now (text, tooltip, state, click). */
  status(): StatusView | undefined;
  /** The line the last Test Connection showed. */
  lastConnection(): ConnectionSummary | undefined;
  /** Every engine's events (the host benchmark tells the run's phases by them). */
  onEngineEvent(listener: (event: EngineEvent) => void): () => void;
}

export function activate(context: vscode.ExtensionContext): ChorusApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Chorus', { log: true });
  const controller = new Controller(context, log);
  context.subscriptions.push(
    log,
    controller,
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new ChorusCodeActions(controller.publisher, (id) => controller.modelLabel(id)), {
      providedCodeActionKinds: ChorusCodeActions.kinds,
    }),
  );
  // Settings are read and last session's findings restored after activate() returns.
  const ready = controller.start().then(
    () => controller,
    (err: unknown) => {
      log.error(`Chorus could not start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return controller;
    },
  );
  registerCommands(context, () => ready, log);
  state = context.globalState;
  // A window that closed with "Try it offline" running left chorus.endpoint on a dead port: put it back.
  void restoreAfterCrash(context.globalState).catch((err: unknown) => log.warn(`Could not restore chorus.endpoint: ${String(err)}`));
  const activationMs = performance.now() - started;
  log.info(`Chorus activated in ${activationMs.toFixed(1)} ms`);
  return { activationMs, status: () => controller.statusView, lastConnection: lastConnectionSummary, onEngineEvent: (l) => controller.onAnyEngineEvent(l) };
}

let state: vscode.Memento | undefined;

/** Everything else is in context.subscriptions; the offline emulator stops and chorus.endpoint goes back. */
export function deactivate(): Promise<unknown> | undefined {
  return state ? stopOffline(state) : undefined;
}
