/**
 * A file with more findings than a model may write in one answer (a finding on every line): the answer
 * stops at max_tokens mid-JSON, even at the model's largest cap, and asking again gets the same cut.
 * The engine splits the batch — files, then lines — like a context overflow, so every piece's answer
 * fits; a piece too small to split that still overflows leaves its file partial, not failed.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { parseBatchPrompt } from '../../../src/core/contract';
import { createEngine, createInterimScorer } from '../../../src/core/engine';
import type { ModelResponse } from '../../../src/core/providers/provider';
import { FakeModels, testConfig, workspace } from './fakes';

/** The lines of code a prompt carries (every file and piece of it). */
const linesSent = (prompt: string) => parseBatchPrompt(prompt).reduce((n, f) => n + f.lines.filter(Boolean).length, 0);

/** What Converse returns when a tool call is cut at max_tokens: no usable input. */
const cutAnswer = (): ModelResponse => ({ toolInput: {}, usage: { inputTokens: 300, outputTokens: 400 }, stopReason: 'max_tokens', latencyMs: 1 });

describe('an answer longer than the output cap', function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('is split until each piece answers: every line of the file gets its finding, the file is analyzed', async () => {
    const lines = Array.from({ length: 150 }, (_, i) => `if (a == ${i}) { b(${i}); }`).join('\n') + '\n';
    const root = workspace({ 'dense.js': lines, 'small.js': 'x = 1;\n' });
    dirs.push(root);
    const models = new FakeModels();
    // More than 40 lines of dense code do not fit one answer.
    models.behaviour = (r) => (linesSent(r.prompt) > 40 ? cutAnswer() : undefined);
    const engine = createEngine({ config: testConfig(), providerFor: models.providerFor, scorer: createInterimScorer() });
    const result = await engine.analyze({ root, lane: 'background', noCache: true });
    const dense = result.files.find((f) => f.path === 'dense.js')!;
    assert.equal(dense.status, 'analyzed', dense.reason);
    assert.equal(new Set(dense.findings.map((f) => f.startLine)).size, 150, 'a finding on each of the 150 lines, at its own line');
    assert.ok(dense.findings.every((f) => lines.split('\n')[f.startLine - 1]!.includes(`== ${f.startLine - 1})`)), 'line numbers stay true across pieces');
    assert.equal(result.files.find((f) => f.path === 'small.js')!.status, 'analyzed');
    const answered = models.calls.filter((c) => linesSent(c.prompt) <= 40).length;
    assert.ok(answered >= 4 && models.calls.length < 40, `${models.calls.length} calls, ${answered} answered: bounded`);
    engine.dispose();
  });

  it('a piece that cannot be split further leaves the file partial with the lines it misses; alone, the file fails with output-exceeded', async () => {
    const dense = Array.from({ length: 120 }, (_, i) => `if (a == ${i}) { b(${i}); }`).join('\n') + '\n';
    const root = workspace({ 'dense.js': dense });
    dirs.push(root);
    const models = new FakeModels();
    // The piece holding line 7 always overflows (a line the model cannot stop talking about).
    models.behaviour = (r) => (parseBatchPrompt(r.prompt).some((f) => f.lines.some((l) => l.includes('a == 6)'))) ? cutAnswer() : undefined);
    const engine = createEngine({ config: testConfig(), providerFor: models.providerFor, scorer: createInterimScorer() });
    const file = (await engine.analyze({ root, lane: 'background', noCache: true })).files[0]!;
    assert.equal(file.status, 'analyzed', file.reason);
    assert.match(file.partial ?? '', /did not fit .*largest output cap \(max_tokens\), and lines 1–\d+ of dense\.js cannot be split further/);
    assert.ok(file.findings.some((f) => f.startLine === 120) && !file.findings.some((f) => f.startLine === 7));

    models.behaviour = () => cutAnswer();
    const alone = (await engine.analyze({ root, lane: 'background', noCache: true })).files[0]!;
    assert.deepEqual([alone.status, alone.code], ['failed', 'output-exceeded']);
    engine.dispose();
  });
});
