/**
 * The core's Logger over VS Code's LogOutputChannel (levels set by the user in the Output view).
 * Messages name files and quote services' errors: each is one line of data, with control characters
 * and escape sequences shown rather than left for the Output view (or a copied log) to interpret.
 */
import type * as vscode from 'vscode';
import type { Logger } from '../../core/logger';
import { terminalSafeLine } from '../../core/text';

export function loggerFor(channel: vscode.LogOutputChannel): Logger {
  return {
    trace: (m) => channel.trace(terminalSafeLine(m)),
    debug: (m) => channel.debug(terminalSafeLine(m)),
    info: (m) => channel.info(terminalSafeLine(m)),
    warn: (m) => channel.warn(terminalSafeLine(m)),
    error: (m) => channel.error(terminalSafeLine(m)),
  };
}
