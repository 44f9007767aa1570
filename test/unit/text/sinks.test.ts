/** The log sinks print data, not control: the progress bar, the stderr logger, the extension's log channel. */
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import type { EngineEvent } from '../../../src/core/engine';
import { createProgress, stderrLogger } from '../../../src/cli/progress';
import { loggerFor } from '../../../src/extension/host/logChannel';

const ESC = '\u001b';
const HOSTILE = `x${ESC}]52;c;eA==\u0007${ESC}[2J\u009b31m\r\n::add-mask::v`;

/** What is left once our own redraw codes (`\r` at a line start, `ESC [ K`) are taken out. */
function withoutRedraw(text: string): string {
  return text.split(`${ESC}[K`).join('').replace(/\r/g, '');
}

function assertInert(text: string): void {
  assert.ok(!text.includes(ESC) && !text.includes('\u0007'), JSON.stringify(text));
  assert.doesNotMatch(text, /[\u0080-\u009f]/);
  for (const line of text.split('\n')) assert.doesNotMatch(line, /^\s*::/, JSON.stringify(line));
}

function play(isTTY: boolean): string {
  let out = '';
  const progress = createProgress({ write: (t) => (out += t), isTTY, columns: 400 });
  const events: EngineEvent[] = [
    { type: 'run-started', runId: 'r', files: 1, lane: 'background' },
    { type: 'file-done', runId: 'r', outcome: { path: `a${HOSTILE}.js`, status: 'failed', reason: HOSTILE, findings: [] } },
    { type: 'model-disabled', runId: 'r', model: `m${HOSTILE}`, reason: HOSTILE },
  ];
  events.forEach(progress.listener);
  progress.finish();
  return out;
}

describe('log sinks', () => {
  it('progress on a terminal: the only escapes are the bar’s own redraw', () => {
    const out = play(true);
    assertInert(withoutRedraw(out));
    assert.ok(out.includes('.js failed: x␛]52;c;eA==␇␛[2J\\u009b31m␊::add-mask::v\n'), JSON.stringify(out));
  });

  it('progress in a CI log: one plain line per record, nothing a runner executes', () => {
    const out = play(false);
    assert.ok(!out.includes('\r'));
    assertInert(out);
    assert.equal(out.split('\n').filter(Boolean).every((l) => l.startsWith('chorus: ')), true, out);
  });

  it('the stderr logger writes each message as one inert line', () => {
    let out = '';
    const logger = stderrLogger({ write: (t) => (out += t) }, true);
    logger.warn(HOSTILE);
    logger.debug(HOSTILE);
    assertInert(out);
    assert.deepEqual(out.split('\n').filter(Boolean).map((l) => l.split(':')[0]), ['chorus warn', 'chorus debug']);
  });

  it("the extension's log channel gets the same inert line", () => {
    const seen: string[] = [];
    const record = (m: string) => void seen.push(m);
    const channel = { trace: record, debug: record, info: record, warn: record, error: record } as unknown as vscode.LogOutputChannel;
    const logger = loggerFor(channel);
    logger.error(HOSTILE);
    logger.info(HOSTILE);
    assert.equal(seen.length, 2);
    for (const line of seen) {
      assertInert(line);
      assert.ok(!line.includes('\n'));
    }
  });
});
