/** The core's Logger over VS Code's LogOutputChannel (levels set by the user in the Output view). */
import type * as vscode from 'vscode';
import type { Logger } from '../../core/logger';

export function loggerFor(channel: vscode.LogOutputChannel): Logger {
  return {
    trace: (m) => channel.trace(m),
    debug: (m) => channel.debug(m),
    info: (m) => channel.info(m),
    warn: (m) => channel.warn(m),
    error: (m) => channel.error(m),
  };
}
