/**
 * Text that came from a model, a file name or a service, made safe to print on a terminal or into a
 * CI log: it is data, never control. Two things are neutralized:
 *
 * 1. Control characters — C0 (except tab and newline), DEL, C1 (U+0080–U+009F, which include the
 *    8-bit CSI/OSC/DCS/ST introducers), a lone CR (it rewinds the line and overwrites what was
 *    printed) and the Unicode bidi embeddings/overrides/isolates that can make text read differently
 *    from what it is ("Trojan Source"). Each is replaced by a *visible* stand-in (ESC → ␛, BEL → ␇,
 *    U+009B → `\u009b`), so a reader sees that something was there. Replacing the introducer is
 *    enough to make every escape sequence inert — CSI, OSC (including OSC 52 clipboard writes and
 *    their BEL/ST terminators), DCS, APC — without having to parse them: what is left is printable.
 * 2. CI workflow commands — a line whose first non-blank characters are `::` (GitHub Actions:
 *    `::error`, `::add-mask::`, `::stop-commands::`) gets a visible marker in front; `##[` (the
 *    Actions runner's older syntax) and `##vso[` (Azure Pipelines) are recognised anywhere in a line
 *    by those runners, so they are broken up wherever they occur.
 *
 * Only for terminals and logs: the JSON, SARIF and HTML reports escape by their format and carry the
 * original text exactly.
 */

/** Put in front of a line that a CI runner would otherwise execute as a workflow command. */
export const COMMAND_MARKER = '» ';

const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/;
// C0 except \t (09) and \n (0a), DEL, C1, bidi controls; CR is handled on its own (CRLF is a newline).
// eslint-disable-next-line no-control-regex
const UNSAFE = /\r\n|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
// Leading blanks (Unicode ones too, as .NET's String.Trim sees them: the Actions runner trims a line
// before looking for `::`), but never across a newline.
const WORKFLOW_LINE = /^(?=[^\S\n]*::)/gm;
const WORKFLOW_ANYWHERE = /##(?=(?:vso)?\[)/gi;

function visible(char: string): string {
  const code = char.charCodeAt(0);
  // U+2400 + code is the Control Pictures block: ␀ … ␟; DEL has its own (␡).
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  if (code <= 0x9f || BIDI_CONTROLS.test(char)) return `\\u${code.toString(16).padStart(4, '0')}`;
  return char;
}

/**
 * Multi-line text (a finding's message, a log message): tabs and newlines are kept, CRLF becomes a
 * newline, every other control character is shown, workflow commands are neutralized on every line.
 */
export function terminalSafe(text: string): string {
  return text
    .replace(UNSAFE, (c) => (c === '\r\n' ? '\n' : visible(c)))
    .replace(WORKFLOW_ANYWHERE, '#\u00b7#')
    .replace(WORKFLOW_LINE, COMMAND_MARKER);
}

/**
 * One-line text (a file name, a model id, a reason in a progress line): as terminalSafe, and a
 * newline is shown as ␊ too, so a name can never start a line of its own (or forge one).
 */
export function terminalSafeLine(text: string): string {
  return terminalSafe(text.replace(/\r?\n/g, '\u240a'));
}
