import assert from 'node:assert/strict';
import { renderBatchPrompt, type PromptFile } from '../../../src/core/contract';
import type { BatchFile } from '../../../src/core/plan/types';
import { cutToFit } from '../../../src/core/schedule/split';
import { estimateTokens } from '../../../src/core/contract';

describe('changes: an excerpt the dispatcher cuts along its lines keeps the change layout', () => {
  it('both pieces keep their marked lines and the CHANGE block', () => {
    const text = Array.from({ length: 200 }, (_, i) => `  const v${i} = compute(${i}); // some padding to make lines longer`).join('\n') + '\n';
    const excerpt: BatchFile & PromptFile = {
      path: 'a.js', text, firstLine: 50, bytes: Buffer.byteLength(text), hash: 'h',
      changedLines: [60, 200], change: { outline: [{ line: 3, text: 'function other() {' }] },
    };
    const cut = cutToFit([excerpt], (piece) => estimateTokens(piece.map((f) => f.text).join('')) <= 1500);
    assert.ok(cut, 'cut along its lines');
    const head = cut.piece[0] as PromptFile;
    const tail = cut.rest[0] as PromptFile;
    assert.equal(head.firstLine, 50);
    assert.ok((tail.firstLine ?? 0) > 60 && (tail.firstLine ?? 0) <= 200);
    for (const piece of [head, tail]) assert.deepEqual(piece.change, excerpt.change);
    assert.match(renderBatchPrompt([head]), /^60\+\| /m);
    assert.match(renderBatchPrompt([tail]), /^200\+\| /m);
  });
});
