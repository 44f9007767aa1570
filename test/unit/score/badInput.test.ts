/** Bad input never crashes the analysis: always metrics, or size-only metrics with the reason. */
import { strict as assert } from 'node:assert';
import { analyzeFile } from '../../../src/core/score/analyzeFile';

describe('score: bad input', () => {
  it('scores the recoverable part of a file with syntax errors, and says so', async () => {
    const text = 'function ok(a) { return a && 1; }\nfunction broken( { if (x) {\nconst z = (b) => b ?? 2;\n';
    const analysis = await analyzeFile('bad.ts', text, text.length);
    assert.match(analysis.note ?? '', /partial: syntax errors/);
    const ok = analysis.functions.find((f) => f.name === 'ok');
    assert.equal(ok?.cyclomatic, 2);
  });

  it('treats binary content as size-only', async () => {
    const text = 'PNG\u0000\u0001\u0002binary';
    const analysis = await analyzeFile('image.ts', text, text.length);
    assert.equal(analysis.note, 'size-only: binary file');
    assert.deepEqual(analysis.functions, []);
  });

  it('scores files above the parse limit by size only, naming the limit', async () => {
    const text = 'const a = 1;\n'.repeat(100_000);
    const analysis = await analyzeFile('huge.js', text, text.length, { timeoutMs: 2000, maxParseBytes: 1024 * 1024 });
    assert.match(analysis.note ?? '', /^size-only: 1\.2 MB is above the 1\.0 MB parse limit$/);
    assert.equal(analysis.loc, 100_000);
  });

  it('cuts off a parse that exceeds its (CPU) time budget', async () => {
    // A few MB of nested expressions takes far longer than 1 ms to parse.
    const text = `const x = ${'[1, (a && b) || c, '.repeat(20_000)}${']'.repeat(20_000)};`;
    const analysis = await analyzeFile('slow.js', text, text.length, { timeoutMs: 1, maxParseBytes: Infinity });
    assert.match(analysis.note ?? '', /^size-only: (parse|analysis) timed out after 1 ms$/);
  });

  it('parses a minified one-line bundle and flags it', async () => {
    const body = Array.from({ length: 400 }, (_, i) => `function f${i}(a){return a?a+${i}:a||${i}}`).join(';');
    const analysis = await analyzeFile('bundle.min.js', body, body.length);
    assert.match(analysis.note ?? '', /looks minified or generated \(a \d+-character line\)/);
    assert.equal(analysis.functions.length, 400);
    assert.ok(analysis.functions.every((f) => f.cyclomatic === 3 && f.startLine === 1));
  });

  it('survives very deep nesting (no recursion in the metrics)', async () => {
    const depth = 5000;
    const text = `function deep(a) {${'if (a) {'.repeat(depth)}${'}'.repeat(depth)}}`;
    const analysis = await analyzeFile('deep.js', text, text.length, { timeoutMs: 20_000, maxParseBytes: Infinity });
    const [deep] = analysis.functions;
    assert.equal(deep?.cyclomatic, depth + 1);
    assert.equal(deep?.maxNesting, depth);
  });

  it('analyses text decoded from invalid UTF-8, and says so', async () => {
    const text = new TextDecoder().decode(Buffer.from([0x63, 0x6f, 0x6e, 0x73, 0x74, 0x20, 0x61, 0x3d, 0xff, 0xfe, 0x3b]));
    const analysis = await analyzeFile('latin.js', text, 11);
    assert.match(analysis.note ?? '', /not valid UTF-8/);
  });

  it('gives files without a parser size-only metrics with the reason', async () => {
    const analysis = await analyzeFile('README.md', '# Title\n\ntext\n', 15);
    assert.deepEqual(analysis, { language: 'text', loc: 2, functions: [], rawImports: [], note: 'size-only: no parser for .md' });
    const none = await analyzeFile('Makefile', 'all:\n', 5);
    assert.equal(none.note, 'size-only: no parser for files without an extension');
  });

  it('handles empty files', async () => {
    const analysis = await analyzeFile('empty.py', '', 0);
    assert.deepEqual({ loc: analysis.loc, functions: analysis.functions, note: analysis.note }, { loc: 0, functions: [], note: undefined });
  });
});
