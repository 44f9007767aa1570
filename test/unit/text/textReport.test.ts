import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { WriteStream } from 'node:tty';
import type { AnalyzeResult } from '../../../src/core/engine';
import { colorFor, formatText } from '../../../src/cli/format/text';

const ESC = '\u001b';

function result(message: string, path = 'src/a.js'): AnalyzeResult {
  return {
    runId: 'r1',
    files: [
      { path, status: 'analyzed', model: 'm', findings: [{ file: path, startLine: 2, endLine: 2, severity: 'error', ruleId: 'no-eval', message, model: 'us.amazon.nova-pro-v1:0', fingerprint: 'f' }] },
      { path: `bad${ESC}[2J.js`, status: 'failed', reason: `service said ${ESC}]52;c;eA==\u0007\n::error::x`, findings: [] },
    ],
    models: [{ id: 'us.amazon.nova-pro-v1:0', requests: 1, inputTokens: 10, outputTokens: 5, throttled: 0, fallbacksIn: 0, fallbacksOut: 0, costUsd: 0, usageEstimated: 0 }],
    routing: [],
    redactions: 0,
    elapsedMs: 1000,
    cancelled: false,
  };
}

/** Every ESC in a colored report is one of ours: an SGR color code, ESC [ digits m. */
function onlySgr(text: string): boolean {
  return text.replace(new RegExp(`${ESC}\\[\\d+m`, 'g'), '').indexOf(ESC) === -1;
}

/** A stream that is a terminal as far as Node's color rule goes, with tty's real getColorDepth (it reads the environment). */
function fakeTerminal(): NodeJS.WritableStream {
  const stream = Object.assign(new PassThrough(), { isTTY: true });
  return Object.assign(stream, { getColorDepth: (env?: NodeJS.ProcessEnv) => WriteStream.prototype.getColorDepth.call(stream, env) });
}

function withEnv<T>(vars: Record<string, string | undefined>, body: () => T): T {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const set = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  set(vars);
  try {
    return body();
  } finally {
    set(saved);
  }
}

describe('text report', () => {
  it('without color: no escape at all, hostile text shown inert, severity column aligned', () => {
    const out = formatText(result(`msg${ESC}[31m`));
    assert.ok(!out.includes(ESC), JSON.stringify(out));
    assert.match(out, /^ {2}2 {7}error {3}msg␛\[31m {2}no-eval · us\.amazon\.nova-pro-v1:0$/m);
    assert.match(out, /failed {2}bad␛\[2J\.js: service said ␛\]52;c;eA==␇␊::error::x/, "one line: the newline is shown, so no command line starts");
  });

  it('with color: util.styleText codes, and every ESC in the report is one of ours', () => {
    const out = formatText(result(`msg${ESC}]52;c;eA==\u0007`), { color: true });
    assert.ok(out.includes(`${ESC}[31merror   ${ESC}[39m`), 'the severity painted red, padded inside the color');
    assert.ok(out.includes(`${ESC}[1msrc/a.js${ESC}[22m`), 'the path in bold');
    assert.ok(onlySgr(out), JSON.stringify(out));
    assert.ok(out.includes('msg␛]52;c;eA==␇'));
  });

  it('indents a multi-line message under its finding; a command line in it is marked', () => {
    const out = formatText(result('first\n::add-mask::v\nthird'));
    const lines = out.split('\n');
    const at = lines.findIndex((l) => l.includes('first'));
    assert.equal(lines[at + 1], `${' '.repeat(18)}» ::add-mask::v`);
    assert.equal(lines[at + 2]?.trimStart().startsWith('third'), true);
  });
});

describe('colorFor (util.styleText rules)', () => {
  it('a terminal gets colors unless NO_COLOR is set or FORCE_COLOR=0', () => {
    // CI=true alone makes Node's color depth 1 on a terminal (CI runs this suite with it set).
    const clean = { NO_COLOR: undefined, FORCE_COLOR: undefined, NODE_DISABLE_COLORS: undefined, CI: undefined, TEAMCITY_VERSION: undefined, TERM: 'xterm-256color' };
    assert.equal(withEnv(clean, () => colorFor(fakeTerminal())), true);
    assert.equal(withEnv({ ...clean, NO_COLOR: '1' }, () => colorFor(fakeTerminal())), false);
    assert.equal(withEnv({ ...clean, TERM: 'dumb' }, () => colorFor(fakeTerminal())), false);
    assert.equal(withEnv({ ...clean, FORCE_COLOR: '0' }, () => colorFor(fakeTerminal())), false);
  });

  it('a pipe gets colors only with FORCE_COLOR, and --no-color (allowed false) always wins', () => {
    const clean = { NO_COLOR: undefined, FORCE_COLOR: undefined, CI: undefined, TEAMCITY_VERSION: undefined, TERM: 'xterm-256color' };
    assert.equal(withEnv(clean, () => colorFor(new PassThrough())), false);
    assert.equal(withEnv({ ...clean, FORCE_COLOR: '1' }, () => colorFor(new PassThrough())), true);
    assert.equal(withEnv({ ...clean, FORCE_COLOR: '1' }, () => colorFor(new PassThrough(), false)), false);
    assert.equal(withEnv(clean, () => colorFor(fakeTerminal(), false)), false);
  });
});
