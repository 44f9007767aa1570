/**
 * What keeps Chorus from analyzing anything right now, in the status bar's words: a credentials
 * error, a "Don't Allow" answer, an endpoint nobody answers at, invalid settings. Pure, so the text,
 * tooltip and click action of each are tested without VS Code. The status bar shows it instead of
 * "✓ Chorus" until the cause is gone (a run analyzes a file, the settings or the consent change).
 */
import type { ProblemKind } from '../notify/problems';
import { forVsCodeUser } from '../notify/wording';

export type BlockerKind = 'credentials' | 'declined' | 'unreachable' | 'access-denied' | 'region' | 'config' | 'all-models-failed';

export interface Blocker {
  kind: BlockerKind;
  /** The first line of what went wrong (already said once in a notification or the log). */
  detail: string;
}

export interface StatusCommand {
  command: string;
  title: string;
  arguments?: unknown[];
}

export interface BlockerView {
  text: string;
  tooltip: string;
  command: StatusCommand;
}

const UNREACHABLE = /no model answered|is unreachable|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH/i;

/** The blocker a reported problem means; an "every model failed" that is really "nobody answered" says so. */
export function blockerOf(kind: ProblemKind, detail: string): Blocker {
  const line = firstLine(detail);
  if (kind === 'all-models-failed' && UNREACHABLE.test(detail)) return { kind: 'unreachable', detail: line };
  return { kind, detail: line };
}

const TEST: StatusCommand = { command: 'chorus.testConnection', title: 'Test Connection' };
const SETTINGS: StatusCommand = { command: 'workbench.action.openSettings', title: 'Open Settings', arguments: ['chorus.'] };

export function blockerView(b: Blocker): BlockerView {
  const detail = forVsCodeUser(b.detail);
  switch (b.kind) {
    case 'credentials':
      return {
        text: '$(key) Chorus: no credentials',
        tooltip: `Chorus is not analyzing: no valid AWS credentials (${detail}). Set chorus.profile or add credentials to ~/.aws — no reload needed.\n\nClick to test the connection again.`,
        command: TEST,
      };
    case 'declined':
      return {
        text: '$(circle-slash) Chorus: not allowed',
        tooltip: `Chorus is not analyzing: you chose "Don't Allow" for ${detail}. Saves are not analyzed.\n\nClick to be asked again.`,
        command: { command: 'chorus.resetConsent', title: 'Ask Again' },
      };
    case 'unreachable':
      return {
        text: '$(debug-disconnect) Chorus: unreachable',
        tooltip: `Chorus is not analyzing: nothing answered (${detail}). Check chorus.endpoint or chorus.region and the network.\n\nClick to test the connection again.`,
        command: TEST,
      };
    case 'region':
      return { text: '$(error) Chorus: no region', tooltip: `Chorus needs an AWS region: set chorus.region.\n\nClick to open the settings.`, command: SETTINGS };
    case 'config':
      return { text: '$(error) Chorus: settings invalid', tooltip: `Chorus settings are invalid: ${detail}\n\nClick to open the settings.`, command: SETTINGS };
    case 'access-denied':
      return { text: '$(error) Chorus: access denied', tooltip: `Bedrock denied access to a model (${detail}).\n\nClick to test the connection again.`, command: TEST };
    case 'all-models-failed':
      return { text: '$(error) Chorus: failing', tooltip: `Every model failed in the last run (${detail}).\n\nClick to open the log.`, command: { command: 'chorus.showLog', title: 'Open Log' } };
  }
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}
