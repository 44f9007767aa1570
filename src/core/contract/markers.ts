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

export function quotePath(path: string): string {
  return path.replace(/["\\]/g, (c) => `\\${c}`);
}
