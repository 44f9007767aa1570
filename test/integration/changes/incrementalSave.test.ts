/**
 * Analyze-on-save as a change review (src/core/changes/incremental.ts), through the engine and the
 * real AWS SDK client against the emulator on loopback: after an edit of one function in a
 * ten-function file, only that function is sent (the emulator's request log), the other findings
 * survive at their shifted lines, and a finding the edit fixed is gone — the same findings a
 * whole-file analysis of the new text gives.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScaledClock } from '../../../src/core/clock';
import { defaultConfig } from '../../../src/core/config';
import type { ChorusConfig } from '../../../src/core/config/types';
import { parseBatchPrompt } from '../../../src/core/contract';
import { createEngine, createInterimScorer, type Engine } from '../../../src/core/engine';
import type { AnalyzeResult } from '../../../src/core/engine/api';
import { createBedrockProviders } from '../../../src/core/providers';
import { defaultEmulatorConfig, startEmulator, type RunningEmulator } from '../../../src/emulator';

const PATH = 'src/ten.js';

/** Ten functions of eight lines; f2 has an eval, f5 a loose equality, f7 an empty catch. */
function tenFunctions(edit?: (name: string, body: string[]) => string[]): string {
  const out: string[] = ["'use strict';", ''];
  for (let i = 0; i < 10; i++) {
    const name = `f${i}`;
    const problem = i === 2 ? '  eval(x);' : i === 5 ? '  if (x == 1) x = 2;' : i === 7 ? '  try { x(); } catch (e) {}' : `  x = x + ${i};`;
    let body = [`function ${name}(x) {`, '  const a = x * 2;', '  const b = a + 1;', problem, '  const c = b - a;', '  x = c + b;', '  return x;', '}'];
    if (edit) body = edit(name, body);
    out.push(...body, '');
  }
  return out.join('\n');
}

const findingsOf = (result: AnalyzeResult) =>
  result.files.flatMap((f) => f.findings.map((x) => `${x.ruleId}@${x.startLine}`)).sort();

describe('analyze-on-save sends the changed functions (engine against the emulator)', function () {
  this.timeout(60_000);
  const clock = new ScaledClock(200);
  const credentials = { accessKeyId: `AKIDSAVE${Date.now()}`, secretAccessKey: Math.random().toString(36).slice(2) };
  let emulator: RunningEmulator;
  let root: string;
  const engines: Engine[] = [];

  const open = (): Engine => {
    const emulated = new Map(defaultEmulatorConfig().models.map((m) => [m.id, m.tokensPerMinute]));
    const base = defaultConfig();
    const models = base.models.map(({ tokensPerMinuteFromAccount: _account, ...m }) => ({ ...m, tokensPerMinute: emulated.get(m.id) ?? m.tokensPerMinute }));
    const config: ChorusConfig = { ...base, endpoint: emulator.url, models };
    const engine = createEngine({
      config,
      clock,
      providerFor: createBedrockProviders({ region: 'us-east-1', endpoint: emulator.url, clock, credentials }),
      scorer: createInterimScorer(),
      cacheDir: mkdtempSync(join(tmpdir(), 'chorus-save-cache-')),
    });
    engines.push(engine);
    return engine;
  };
  const lastSeq = () => emulator.requests().at(-1)?.seq ?? 0;
  const save = (engine: Engine, text: string) => engine.analyze({ root, paths: [PATH], contents: new Map([[PATH, text]]), lane: 'interactive', incremental: true });

  before(async () => {
    emulator = await startEmulator({ config: defaultEmulatorConfig(), clock });
    root = mkdtempSync(join(tmpdir(), 'chorus-save-'));
    mkdirSync(join(root, 'src'));
  });
  after(async () => {
    engines.forEach((e) => e.dispose());
    await emulator.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('sends the file whole on its first save, then only the edited function; the others keep their findings at shifted lines', async () => {
    const engine = open();
    const before = tenFunctions();
    writeFileSync(join(root, PATH), before);
    let mark = lastSeq();
    const first = await save(engine, before);
    const firstSent = emulator.requests({ since: mark, includeBodies: true }).flatMap((r) => parseBatchPrompt(r.prompt ?? ''));
    assert.deepEqual(firstSent.map((f) => [f.path, f.firstLine, f.lines.length]), [[PATH, 1, before.split('\n').length - 1]], 'the first save sends the whole file');
    // Function i starts at line 3 + 9i, its problem three lines in: f2's eval at 24, f5's loose equality at 51, f7's empty catch at 69.
    assert.deepEqual(findingsOf(first), ['empty-catch@69', 'eqeqeq@51', 'no-eval@24']);

    // The edit: f5's equality fixed, and two lines added at its top (everything after it moves by two).
    const after = tenFunctions((name, body) => (name === 'f5' ? [body[0]!, '  // checked', '  // twice', ...body.slice(1).map((l) => l.replace('==', '==='))] : body));
    mark = lastSeq();
    const second = await save(engine, after);
    const requests = emulator.requests({ since: mark, includeBodies: true });
    const sent = requests.flatMap((r) => parseBatchPrompt(r.prompt ?? ''));
    assert.equal(requests.length, 1, 'one request for the save');
    // f5 is lines 48..57 of the new file: only it is sent, its changed lines marked.
    assert.deepEqual(sent.map((f) => [f.path, f.firstLine, f.lines.length]), [[PATH, 48, 10]]);
    assert.equal(sent[0]!.lines[0], 'function f5(x) {');
    assert.deepEqual(sent[0]!.changed, [49, 50, 53]);
    assert.doesNotMatch(requests[0]!.prompt ?? '', /eval\(x\)|catch \(e\)/, 'the other functions are not sent');

    // The fixed finding is gone; f2's is where it was, f7's moved down by two.
    assert.deepEqual(findingsOf(second), ['empty-catch@71', 'no-eval@24']);
    assert.equal(second.files[0]!.status, 'analyzed');

    // The same findings (and fingerprints) as a whole-file analysis of the new text.
    const whole = await open().analyze({ root, paths: [PATH], contents: new Map([[PATH, after]]), lane: 'interactive', noCache: true });
    assert.deepEqual(findingsOf(second), findingsOf(whole));
    assert.deepEqual(second.files[0]!.findings.map((f) => f.fingerprint).sort(), whole.files[0]!.findings.map((f) => f.fingerprint).sort());
  });

  it('analyzes the file whole again when most of it changed, and a save without incremental is always whole', async () => {
    const engine = open();
    const before = tenFunctions();
    await save(engine, before);
    const rewritten = tenFunctions((name, body) => body.map((l) => (l.includes('const') ? `${l} // ${name}` : l)));
    let mark = lastSeq();
    const result = await save(engine, rewritten);
    const sent = emulator.requests({ since: mark, includeBodies: true }).flatMap((r) => parseBatchPrompt(r.prompt ?? ''));
    assert.deepEqual(sent.map((f) => [f.firstLine, f.changed]), [[1, undefined]], 'whole file, no change marks');
    assert.deepEqual(findingsOf(result), ['empty-catch@69', 'eqeqeq@51', 'no-eval@24']);

    const small = rewritten.replace('x = x + 9;', 'x = x + 10;');
    mark = lastSeq();
    await engine.analyze({ root, paths: [PATH], contents: new Map([[PATH, small]]), lane: 'interactive' });
    const plain = emulator.requests({ since: mark, includeBodies: true }).flatMap((r) => parseBatchPrompt(r.prompt ?? ''));
    assert.deepEqual(plain.map((f) => f.firstLine), [1], 'without incremental the save is analyzed whole');
  });
});
