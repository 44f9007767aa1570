/**
 * What a confused model can send and what survives it: only the offered tool's input, text only
 * when the model was free to choose, parse errors that never quote the text, and caps on the count
 * and size of findings that cut and say so.
 */
import assert from 'node:assert/strict';
import { FINDINGS_LIMITS, FINDINGS_INPUT_SCHEMA, FINDINGS_TOOL_NAME, type RawFinding } from '../../../src/core/contract';
import { describeParseError, extractFindingsInput, normalizeFindings, parseBatchFindings, validateFindingsInput } from '../../../src/core/findings';
import { mapConverseOutput } from '../../../src/core/providers';
import { chargedUsage } from '../../../src/core/schedule/usage';

const SECRET_CODE = 'const token = "ghp_notarealtokenbutlookslikeone1234567";';
const f = (over: Partial<RawFinding> = {}): RawFinding => ({
  file: 'a.js', startLine: 1, endLine: 1, severity: 'warning', ruleId: 'eqeqeq', message: 'loose', ...over,
});
const FILES = [{ path: 'a.js', text: 'line\n'.repeat(200) }];

describe('a confused model: what is accepted as findings', () => {
  it('takes only a single call to the offered tool; another tool or several calls are not findings', () => {
    const output = (content: unknown[]) => ({ $metadata: {}, output: { message: { role: 'assistant' as const, content: content as never } }, stopReason: 'tool_use' as const, usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 }, metrics: { latencyMs: 1 } });
    const call = (name: string) => ({ toolUse: { toolUseId: 't', name, input: { findings: [f()] } } });
    const own = mapConverseOutput(output([call(FINDINGS_TOOL_NAME)]), 1, 'tool');
    assert.deepEqual(own.toolInput, { findings: [f()] });
    const foreign = mapConverseOutput(output([call('run_shell')]), 1, 'tool');
    assert.equal(foreign.toolInput, undefined);
    assert.match(foreign.toolUseRejected!, /did not offer/);
    assert.doesNotMatch(foreign.toolUseRejected!, /run_shell/, 'the model chose the name: never quoted');
    const several = mapConverseOutput(output([call(FINDINGS_TOOL_NAME), call(FINDINGS_TOOL_NAME)]), 1, 'tool');
    assert.equal(several.toolInput, undefined);
    assert.match(several.toolUseRejected!, /2 tool calls/);
    const parsed = parseBatchFindings(foreign, FILES, 'm');
    assert.ok(!parsed.ok && /^not findings/.test(parsed.reason));
  });

  it('reads JSON from text only under toolChoice auto (Llama), never when the tool was forced', () => {
    const text = '{"findings": []}';
    assert.equal(extractFindingsInput({ text, toolChoice: 'auto' }).ok, true);
    assert.equal(extractFindingsInput({ text }).ok, true, 'an in-memory provider that does not say');
    const forced = extractFindingsInput({ text, toolChoice: 'tool' });
    assert.ok(!forced.ok && /required to call/.test(forced.reason));
  });

  it('never quotes the model text in a parse error: class and position only', () => {
    const text = `{"findings": [${SECRET_CODE}]}`;
    const out = extractFindingsInput({ text, toolChoice: 'auto' });
    assert.ok(!out.ok);
    assert.doesNotMatch(out.reason, /ghp_|token|const/);
    assert.match(out.reason, /SyntaxError (at position \d+ of|in) \d+ characters/);
    let err: unknown;
    try {
      JSON.parse('{x: "secret-value"}');
    } catch (e) {
      err = e;
    }
    assert.equal(describeParseError(err, 19), 'SyntaxError at position 1 of 19 characters');
  });

  it('names the schema keyword, not the values, when an item is invalid', () => {
    const out = validateFindingsInput({ findings: [f({ ruleId: SECRET_CODE }), f()] });
    assert.ok(out.ok);
    assert.equal(out.rejected.length, 1);
    assert.doesNotMatch(out.rejected[0]!.error, /ghp_/);
    assert.match(out.rejected[0]!.error, /\/ruleId fails (maxLength|pattern)/);
  });
});

describe('a confused model: caps on findings, in the schema and in normalization', () => {
  it('the caps are not sent (every request would carry them); the check refuses an over-long path and an over-long rule id', () => {
    const items = FINDINGS_INPUT_SCHEMA.properties.findings.items;
    assert.equal(JSON.stringify(FINDINGS_INPUT_SCHEMA).includes('maxLength'), false);
    assert.equal(JSON.stringify(FINDINGS_INPUT_SCHEMA).includes('maxItems'), false);
    assert.equal(items.properties.ruleId.pattern, `^[a-z0-9][a-z0-9-]{0,${FINDINGS_LIMITS.ruleIdChars - 1}}$`);
    const out = validateFindingsInput({ findings: [f({ file: 'x'.repeat(FINDINGS_LIMITS.fileChars + 1) }), f({ ruleId: 'r'.repeat(FINDINGS_LIMITS.ruleIdChars + 1) }), f()] });
    assert.ok(out.ok);
    assert.deepEqual(out.rejected.map((r) => r.index), [0, 1]);
  });

  it('drops a snippet over its cap (the finding stays, on its whole lines) and says so', () => {
    const { byFile, cuts } = normalizeFindings([f({ snippet: 's'.repeat(FINDINGS_LIMITS.snippetChars + 1) }), f({ ruleId: 'short', snippet: 'eval(x)' })], FILES, 'm');
    const list = byFile.get('a.js')!;
    assert.equal(list.find((x) => x.ruleId === 'eqeqeq')!.snippet, undefined);
    assert.equal(list.find((x) => x.ruleId === 'short')!.snippet, 'eval(x)');
    assert.deepEqual(cuts.get('a.js'), [`1 snippet(s) over ${FINDINGS_LIMITS.snippetChars} characters dropped`]);
  });

  it('keeps at most perFile findings per file, the most severe first, and says how many were cut', () => {
    const raw = Array.from({ length: 250 }, (_, i) => f({ startLine: (i % 200) + 1, endLine: (i % 200) + 1, ruleId: `r${i}`, severity: i === 249 ? 'error' : 'info' }));
    const { byFile, cuts } = normalizeFindings(raw, FILES, 'm');
    const kept = byFile.get('a.js')!;
    assert.equal(kept.length, FINDINGS_LIMITS.perFile);
    assert.ok(kept.some((x) => x.ruleId === 'r249'), 'the one error survives the cut');
    assert.ok(kept.every((x, i) => i === 0 || x.startLine >= kept[i - 1]!.startLine), 'in line order');
    assert.deepEqual(cuts.get('a.js'), [`50 finding(s) over the cap of ${FINDINGS_LIMITS.perFile} per file were cut`]);
  });

  it('shortens long messages and drops oversized suggestions, counted per file', () => {
    const raw = [
      f({ message: 'm'.repeat(50_000) }),
      f({ ruleId: 'big-fix', suggestion: 'x'.repeat(FINDINGS_LIMITS.suggestionChars + 1) }),
      f({ ruleId: 'small-fix', suggestion: 'y' }),
    ];
    const { byFile, cuts } = normalizeFindings(raw, FILES, 'm');
    const list = byFile.get('a.js')!;
    const long = list.find((x) => x.ruleId === 'eqeqeq')!;
    assert.equal([...long.message].length, FINDINGS_LIMITS.messageChars);
    assert.ok(long.message.endsWith('…'));
    assert.equal(list.find((x) => x.ruleId === 'big-fix')!.suggestion, undefined);
    assert.equal(list.find((x) => x.ruleId === 'small-fix')!.suggestion, 'y');
    assert.deepEqual(cuts.get('a.js'), [`1 message(s) shortened to ${FINDINGS_LIMITS.messageChars} characters`, `1 suggestion(s) over ${FINDINGS_LIMITS.suggestionChars} characters dropped`]);
  });

  it('reads at most perBatch items of one answer and tells every file of the batch', () => {
    const raw = Array.from({ length: 100_000 }, (_, i) => f({ ruleId: `r${i % 500}`, startLine: (i % 200) + 1, endLine: (i % 200) + 1 }));
    const parsed = parseBatchFindings({ toolInput: { findings: raw } }, [...FILES, { path: 'b.js', text: 'x\n' }], 'm');
    assert.ok(parsed.ok);
    assert.equal(parsed.byFile.get('a.js')!.length, FINDINGS_LIMITS.perFile);
    assert.match(parsed.notes.get('a.js')!.join('; '), /99000 finding\(s\) past the cap of 1000 per answer were not read/);
    assert.match(parsed.notes.get('b.js')!.join('; '), /past the cap/);
  });

  it('says when findings naming a file did not match the schema', () => {
    const parsed = parseBatchFindings({ toolInput: { findings: [f(), f({ severity: 'fatal' as never })] } }, FILES, 'm');
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.notes.get('a.js'), ['1 finding(s) not matching the schema were dropped']);
  });
});

describe('a confused model: usage that cannot be true is charged at the reservation', () => {
  const est = 1_000;
  const cap = 600;
  const cases: [string, unknown][] = [
    ['missing', undefined],
    ['empty', {}],
    ['input missing', { outputTokens: 5 }],
    ['non-numeric', { inputTokens: '900', outputTokens: 5 }],
    ['negative', { inputTokens: -16_000_000, outputTokens: 5 }],
    ['NaN', { inputTokens: Number.NaN, outputTokens: 5 }],
    ['fractional', { inputTokens: 900.5, outputTokens: 5 }],
    ['zero input', { inputTokens: 0, outputTokens: 0 }],
    ['far below', { inputTokens: 99, outputTokens: 5 }],
    ['far above', { inputTokens: 10_001, outputTokens: 5 }],
    ['output above the cap', { inputTokens: 900, outputTokens: 601 }],
  ];
  for (const [name, usage] of cases) {
    it(`${name} → input estimate + cap, with the reason`, () => {
      const out = chargedUsage(usage as never, est, cap);
      assert.deepEqual(out.usage, { inputTokens: est, outputTokens: cap });
      assert.match(out.estimated!, /charged the reservation \(1000 \+ 600 tokens\)/);
    });
  }
  it('plausible usage is charged as reported', () => {
    assert.deepEqual(chargedUsage({ inputTokens: 1_900, outputTokens: 600 }, est, cap), { usage: { inputTokens: 1_900, outputTokens: 600 } });
    assert.deepEqual(chargedUsage({ inputTokens: 101, outputTokens: 0 }, est, cap), { usage: { inputTokens: 101, outputTokens: 0 } });
  });
});
