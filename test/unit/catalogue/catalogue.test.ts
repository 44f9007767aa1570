/**
 * Issue 18 items 6-7: the rules catalogue (titles, descriptions, help pages; CWE ids to MITRE) used by
 * diagnostics and SARIF, and exact ranges located from the findings tool's `snippet`.
 */
import { strict as assert } from 'node:assert';
import { knownRules, ruleEntry } from '../../../src/core/catalogue';
import { FINDINGS_INPUT_SCHEMA, parseBatchPrompt, renderBatchPrompt } from '../../../src/core/contract';
import { validateFindingsInput } from '../../../src/core/findings/validate';
import { locateSnippet } from '../../../src/core/text/locateSnippet';
import type { Finding } from '../../../src/core/types';
import { findFindings } from '../../../src/emulator/rules';
import { mapFinding } from '../../../src/extension/diagnostics/mapFinding';
import { DEFAULT_SEVERITY } from '../../../src/extension/settings/settings';
import { formatSarif } from '../../../src/cli/format/sarif';
import type { AnalyzeResult } from '../../../src/core/engine';

const doc = (text: string) => {
  const lines = text.split('\n');
  return { lineCount: lines.length, lineLength: (i: number) => lines[i]?.length ?? 0, lineText: (i: number) => lines[i] ?? '' };
};

describe('rules catalogue', () => {
  it('every rule the emulator reports has a title, a description and (but for fault injection) a help page', () => {
    const source = ['const password = "hunter22";', 'if (a == b) eval(x); // TODO later', 'try { f(); } catch (e) {}', ''].join('\n');
    const py = ['try:', '    f()', 'except:', '    pass', ''].join('\n');
    const files = parseBatchPrompt(renderBatchPrompt([{ path: 'a.js', text: source }, { path: 'b.py', text: py }]));
    const ids = new Set(findFindings(files).map((f) => f.ruleId));
    assert.ok(ids.size >= 5, [...ids].join(', '));
    for (const id of ids) {
      const entry = ruleEntry(id);
      assert.equal(entry.emulator, true, `${id} is catalogued as an emulator rule`);
      assert.ok(entry.title && entry.description && entry.helpUri, `${id}: ${JSON.stringify(entry)}`);
    }
    assert.ok(knownRules().every((r) => r.id === 'emulator-fault' || r.helpUri?.startsWith('https://')));
  });

  it('CWE ids link to MITRE; an unknown id gets its category and no guessed link', () => {
    assert.deepEqual(ruleEntry('cwe-89'), { id: 'cwe-89', title: 'CWE-89', description: "An instance of CWE-89 (MITRE's Common Weakness Enumeration).", helpUri: 'https://cwe.mitre.org/data/definitions/89.html', cwe: 89 });
    const unknown = ruleEntry('sql-injection-maybe');
    assert.equal(unknown.title, 'Security problem');
    assert.equal(unknown.helpUri, undefined);
    assert.equal(ruleEntry('whatever-else').title, 'Other finding');
  });

  it('SARIF rules[] describe the rule from the catalogue, not from one finding, with helpUri and CWE tags', () => {
    const f = (ruleId: string, message: string): Finding => ({ file: 'a.js', startLine: 1, endLine: 1, severity: 'error', ruleId, message, model: 'm', fingerprint: ruleId + message });
    const result = { files: [{ path: 'a.js', status: 'analyzed', findings: [f('no-eval', 'this eval in run() is bad'), f('made-up', 'x')] }] } as unknown as AnalyzeResult;
    const sarif = JSON.parse(formatSarif(result, { version: '0.0.0' })) as { runs: { tool: { driver: { rules: Record<string, unknown>[] } } }[] };
    const [made, evalRule] = sarif.runs[0]!.tool.driver.rules;
    assert.deepEqual(evalRule!.shortDescription, { text: 'Use of eval' });
    assert.equal(evalRule!.helpUri, 'https://cwe.mitre.org/data/definitions/95.html');
    assert.deepEqual(evalRule!.properties, { tags: ['external/cwe/cwe-95'] });
    assert.equal(made!.helpUri, undefined);
  });
});

describe('exact ranges from the snippet', () => {
  it('the findings tool asks for the snippet, and a finding carrying one validates', () => {
    const items = FINDINGS_INPUT_SCHEMA.properties.findings.items;
    assert.ok('snippet' in items.properties);
    const v = validateFindingsInput({ findings: [{ file: 'a.js', startLine: 1, endLine: 1, severity: 'error', ruleId: 'no-eval', message: 'm', snippet: 'eval(x)' }] });
    assert.ok(v.ok && v.findings[0]!.snippet === 'eval(x)');
  });

  it('the emulator reports the offending code as the snippet', () => {
    const files = parseBatchPrompt(renderBatchPrompt([{ path: 'a.js', text: 'function run(input) {\n  return eval(input);\n}\nif (a == b) run(1);\n' }]));
    const findings = findFindings(files);
    assert.equal(findings.find((f) => f.ruleId === 'no-eval')?.snippet, 'eval(input)');
    assert.equal(findings.find((f) => f.ruleId === 'eqeqeq')?.snippet, 'a == b');
  });

  it('locates the snippet on the reported line, a line or two off, across lines, else falls back', () => {
    const text = ['function run(input) {', '  return eval(input);', '}', 'if (a == b) run(1);'].join('\n');
    const d = doc(text);
    assert.deepEqual(locateSnippet('eval(input)', d.lineText, d.lineCount, 1, 1), { startLine: 1, startCharacter: 9, endLine: 1, endCharacter: 20 });
    assert.deepEqual(locateSnippet('a == b', d.lineText, d.lineCount, 1, 1), { startLine: 3, startCharacter: 4, endLine: 3, endCharacter: 10 }, 'two lines off');
    assert.deepEqual(locateSnippet('function run(input) {\n  return eval(input);', d.lineText, d.lineCount, 0, 1), { startLine: 0, startCharacter: 0, endLine: 1, endCharacter: 21 });
    assert.equal(locateSnippet('nowhere()', d.lineText, d.lineCount, 1, 1), undefined);
    assert.equal(locateSnippet('  \n ', d.lineText, d.lineCount, 1, 1), undefined);
    assert.equal(locateSnippet(undefined, d.lineText, d.lineCount, 1, 1), undefined);
    const far = ['x', 'x', 'x', 'x', 'x', 'x', 'eval(y)'].join('\n');
    assert.equal(locateSnippet('eval(y)', doc(far).lineText, 7, 0, 0), undefined, 'too far from the reported line to be believed');
  });

  it('mapFinding uses the located range and keeps the whole lines without one', () => {
    const f: Finding = { file: 'a.js', startLine: 2, endLine: 2, severity: 'error', ruleId: 'no-eval', message: 'm', model: 'm', fingerprint: 'f', snippet: 'eval(input)' };
    const d = doc('function run(input) {\n  return eval(input);\n}');
    assert.deepEqual(mapFinding(f, DEFAULT_SEVERITY, d)!.range, { startLine: 1, startCharacter: 9, endLine: 1, endCharacter: 20 });
    assert.deepEqual(mapFinding({ ...f, snippet: 'gone()' }, DEFAULT_SEVERITY, d)!.range, { startLine: 1, startCharacter: 0, endLine: 1, endCharacter: 21 });
    assert.deepEqual(mapFinding(f, DEFAULT_SEVERITY, d)!.code, { value: 'no-eval', target: 'https://cwe.mitre.org/data/definitions/95.html' });
  });
});
