/**
 * cutToFit when the whole files that fit are too few for a call: small files before a large one are
 * taken with the large one's first lines, so a batch far above the room can always be cut (the queue
 * cuts a head larger than a learned quota, cutOversize, admission.ts).
 */
import assert from 'node:assert/strict';
import { estimateTokens } from '../../../src/core/contract';
import type { BatchFile } from '../../../src/core/plan/types';
import { cutToFit, MIN_PIECE_CODE_TOKENS } from '../../../src/core/schedule/split';

function file(name: string, lines: number): BatchFile {
  const text = Array.from({ length: lines }, (_, i) => `const v${i} = ${'x'.repeat(24)}; // ${i}`).join('\n') + '\n';
  return { path: `src/${name}.ts`, text, bytes: Buffer.byteLength(text, 'utf8'), hash: `h-${name}` };
}

const code = (files: readonly BatchFile[]) => files.reduce((s, f) => s + estimateTokens(f.text), 0);

describe('cutToFit: small files before a large one', () => {
  const small = [file('a', 3), file('b', 4)];
  const large = file('c', 400);
  const budget = MIN_PIECE_CODE_TOKENS * 3;
  const fits = (piece: BatchFile[]) => code(piece) <= budget;

  it('takes the small files and the large one’s first lines, not nothing', () => {
    assert.ok(code(small) < MIN_PIECE_CODE_TOKENS, 'the small files alone are below a piece (the case)');
    const cut = cutToFit([...small, large], fits);
    assert.ok(cut, 'a piece was cut');
    assert.deepEqual(cut.piece.slice(0, 2).map((f) => f.path), ['src/a.ts', 'src/b.ts']);
    const head = cut.piece[2]!;
    assert.equal(head.path, 'src/c.ts');
    assert.ok(code(cut.piece) <= budget && code(cut.piece) >= MIN_PIECE_CODE_TOKENS, `fits and is worth a call: ${code(cut.piece)}`);
    const tail = cut.rest[0]!;
    assert.equal(tail.path, 'src/c.ts');
    assert.equal(tail.firstLine, 1 + head.text.split('\n').length - 1, 'the rest continues at the next line');
    assert.equal(head.text + tail.text, large.text, 'every line of the large file once');
    assert.equal(cut.rest.length, 1);
  });

  it('still refuses when even the first lines cannot make a piece worth a call', () => {
    assert.equal(cutToFit([...small, large], (piece) => code(piece) <= code(small) + 20), undefined);
  });
});
