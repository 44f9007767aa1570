import assert from 'node:assert/strict';
import { parseBatchPrompt, renderBatchPrompt, estimateTokens, estimateInputTokens } from '../../src/core/contract';

describe('shared contract', () => {
  it('round-trips a batch through the prompt layout, keeping original line numbers', () => {
    const files = [
      { path: 'src/a.ts', text: 'const a = 1;\neval(a);\n' },
      { path: 'dir with "quotes"/b.py', text: 'x = 1\r\n\r\ny = 2', firstLine: 40 },
      { path: 'empty.txt', text: '' },
    ];
    const parsed = parseBatchPrompt(renderBatchPrompt(files, 'be brief'));
    assert.deepEqual(parsed, [
      { path: 'src/a.ts', firstLine: 1, lines: ['const a = 1;', 'eval(a);'] },
      { path: 'dir with "quotes"/b.py', firstLine: 40, lines: ['x = 1', '', 'y = 2'] },
      { path: 'empty.txt', firstLine: 1, lines: [''] },
    ]);
  });

  it('numbers lines from firstLine so findings map to the original file', () => {
    const prompt = renderBatchPrompt([{ path: 'big.ts', text: 'a\nb', firstLine: 101 }]);
    assert.match(prompt, /^101\| a$/m);
    assert.match(prompt, /^102\| b$/m);
  });

  it('estimates tokens deterministically from UTF-8 bytes', () => {
    assert.equal(estimateTokens(''), 0);
    assert.equal(estimateTokens('abcd'), 1);
    assert.equal(estimateTokens('abcde'), 2);
    assert.equal(estimateTokens('ééé'), 2); // 6 bytes
    assert.equal(estimateInputTokens(['abcd', 'abcd']), 10);
  });
});
