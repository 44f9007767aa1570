import { strict as assert } from 'node:assert';
import type { Finding } from '../../../src/core/types';
import { mapFinding, relatedLocations, ruleLink } from '../../../src/extension/diagnostics/mapFinding';
import { DEFAULT_SEVERITY } from '../../../src/extension/settings/settings';

const lines = (lengths: number[]) => ({ lineCount: lengths.length, lineLength: (i: number) => lengths[i] ?? 0 });

function finding(over: Partial<Finding> = {}): Finding {
  return { file: 'src/a.ts', startLine: 2, endLine: 2, severity: 'warning', ruleId: 'eqeqeq', message: 'Use ===.', model: 'us.amazon.nova-pro-v1:0', fingerprint: 'fp1', ...over };
}

describe('mapFinding', () => {
  it('turns 1-based inclusive lines into a 0-based range covering the whole lines', () => {
    const spec = mapFinding(finding({ startLine: 2, endLine: 3 }), DEFAULT_SEVERITY, lines([5, 10, 20, 7]))!;
    assert.deepEqual(spec.range, { startLine: 1, startCharacter: 0, endLine: 2, endCharacter: 20 });
    assert.equal(spec.source, 'Chorus');
    assert.deepEqual(spec.code, { value: 'eqeqeq', target: 'https://eslint.org/docs/latest/rules/eqeqeq' });
    assert.equal(spec.level, 'warning');
  });

  it('clamps lines beyond the document and inverted ranges', () => {
    const past = mapFinding(finding({ startLine: 40, endLine: 50 }), DEFAULT_SEVERITY, lines([5, 9]))!;
    assert.deepEqual(past.range, { startLine: 1, startCharacter: 0, endLine: 1, endCharacter: 9 });
    const inverted = mapFinding(finding({ startLine: 2, endLine: 1 }), DEFAULT_SEVERITY, lines([5, 9, 3]))!;
    assert.equal(inverted.range.endLine, 1);
    const empty = mapFinding(finding({ startLine: 3 }), DEFAULT_SEVERITY, lines([]))!;
    assert.deepEqual(empty.range, { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0 });
  });

  it('follows the severity mapping, and "off" hides the finding', () => {
    const map = { error: 'warning', warning: 'hint', info: 'off' } as const;
    assert.equal(mapFinding(finding({ severity: 'error' }), map, lines([1, 1]))!.level, 'warning');
    assert.equal(mapFinding(finding({ severity: 'warning' }), map, lines([1, 1]))!.level, 'hint');
    assert.equal(mapFinding(finding({ severity: 'info' }), map, lines([1, 1])), undefined);
  });

  it('names the model in the message', () => {
    const spec = mapFinding(finding(), DEFAULT_SEVERITY, lines([1, 1]), (id) => (id.includes('nova-pro') ? 'Nova Pro' : id))!;
    assert.equal(spec.message, 'Use ===. (Nova Pro)');
  });

  it('links CWE rule ids and catalogued rules, and nothing it cannot be sure of', () => {
    assert.equal(ruleLink('cwe-79'), 'https://cwe.mitre.org/data/definitions/79.html');
    assert.equal(ruleLink('no-eval'), 'https://cwe.mitre.org/data/definitions/95.html');
    assert.equal(ruleLink('possible-sql-thing'), undefined);
    assert.deepEqual(mapFinding(finding({ ruleId: 'cwe-798' }), DEFAULT_SEVERITY, lines([1, 1]))!.code, {
      value: 'cwe-798', target: 'https://cwe.mitre.org/data/definitions/798.html',
    });
  });
});

describe('relatedLocations', () => {
  it('links one problem reported in several files (same rule, message and code), and leaves single-file findings alone', () => {
    const a = finding({ file: 'a.ts', ruleId: 'duplicate-code', message: 'Same code.', startLine: 4, snippet: 'const x = parse(input);' });
    const b = finding({ file: 'b.ts', ruleId: 'duplicate-code', message: 'Same code.', startLine: 9, snippet: 'const x  =  parse(input);' });
    const c = finding({ file: 'a.ts', ruleId: 'eqeqeq' });
    const related = relatedLocations([a, b, c]);
    assert.deepEqual(related.get(a), [{ file: 'b.ts', line: 8, message: 'Also reported in b.ts' }]);
    assert.deepEqual(related.get(b), [{ file: 'a.ts', line: 3, message: 'Also reported in a.ts' }]);
    assert.equal(related.has(c), false);
  });

  it('never links on rule and message alone: different code, or no snippet to compare', () => {
    const a = finding({ file: 'a.ts', ruleId: 'long-function', message: 'Too long.', snippet: 'function parse() {' });
    const b = finding({ file: 'b.ts', ruleId: 'long-function', message: 'Too long.', snippet: 'function render() {' });
    const c = finding({ file: 'c.ts', ruleId: 'long-function', message: 'Too long.' });
    const d = finding({ file: 'd.ts', ruleId: 'long-function', message: 'Too long.' });
    assert.equal(relatedLocations([a, b, c, d]).size, 0);
  });
});

describe('suggestionEdit', () => {
  it('replaces the whole flagged lines and keeps the final line break', async () => {
    const { suggestionEdit } = await import('../../../src/extension/diagnostics/suggestion');
    const edit = suggestionEdit(finding({ startLine: 2, endLine: 3, suggestion: 'a === b;\n' }), lines([4, 10, 12, 1]))!;
    assert.deepEqual(edit, { range: { startLine: 1, startCharacter: 0, endLine: 2, endCharacter: 12 }, text: 'a === b;' });
    assert.equal(suggestionEdit(finding(), lines([4, 10])), undefined, 'no suggestion, no edit');
    const clamped = suggestionEdit(finding({ startLine: 9, endLine: 12, suggestion: 'x' }), lines([4, 10]))!;
    assert.deepEqual(clamped.range, { startLine: 1, startCharacter: 0, endLine: 1, endCharacter: 10 });
  });
});
