/** The markers both prompt layouts share (prompt.ts, changeLayout.ts), and the text helpers they use. */
export const FILE_OPEN = '<<<CHORUS FILE';
export const CLOSE = '<<<CHORUS END FILE>>>';
/** Inside a change-layout FILE block: the lines between two excerpts are not listed. */
export const GAP = '…';

export function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  // A trailing newline ends the last line; it does not start a new one.
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * A path inside a marker's quotes. Discovery never sends a file whose name holds a control character
 * or line break (discover/index.ts); should one reach here anyway it is blanked to U+FFFD, so a name
 * can never end its header line and forge markers of its own.
 */
export function quotePath(path: string): string {
  // eslint-disable-next-line no-control-regex
  return path.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '\ufffd').replace(/["\\]/g, (c) => `\\${c}`);
}
