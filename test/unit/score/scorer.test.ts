/** createScorer end to end: metrics with resolved imports, groups, and the incremental memo. */
import { strict as assert } from 'node:assert';
import { createScorer, type Scorer, type ScoreInput } from '../../../src/core/score';

const input = (path: string, text: string): ScoreInput => ({ path, text, bytes: Buffer.byteLength(text) });

const workspace = (): ScoreInput[] => [
  input('src/app.ts', "import { util } from './util';\nexport function run(a?: number) { return util(a ?? 1) || 0; }\n"),
  input('src/util.ts', 'export function util(n: number) { if (n > 1) { return n; } return 0; }\n'),
  input('docs/readme.md', '# Readme\n'),
  input('py/a.py', 'from . import b\ndef f(x):\n    return x or b.g()\n'),
  input('py/b.py', 'def g():\n    return 1\n'),
];

describe('score: createScorer', function () {
  this.timeout(60_000);
  let scorer: Scorer | undefined;
  afterEach(() => scorer?.dispose());

  it('returns per-file metrics with resolved imports, and scored groups', async () => {
    scorer = createScorer({ workers: 1 });
    const result = await scorer.score(workspace());
    const app = result.files.find((f) => f.path === 'src/app.ts')!;
    assert.deepEqual(app.imports, ['src/util.ts']);
    assert.equal(app.maxComplexity, 3);
    assert.equal(result.files.find((f) => f.path === 'py/a.py')!.imports[0], 'py/b.py');
    assert.equal(result.files.find((f) => f.path === 'docs/readme.md')!.note, 'size-only: no parser for .md');
    assert.deepEqual(result.groups.map((g) => g.files), [['docs/readme.md'], ['py/a.py', 'py/b.py'], ['src/app.ts', 'src/util.ts']]);
    for (const g of result.groups) assert.ok(g.score > 0 && g.score <= 1 && g.complexity >= 0 && g.complexity <= 1);
  });

  it('re-parses only the changed file when scoring again, and updates its group', async () => {
    scorer = createScorer({ workers: 1 });
    const first = await scorer.score(workspace());
    assert.deepEqual(first.stats, { parsed: 5, reused: 0 });
    const edited = workspace().map((f) => (f.path === 'src/util.ts'
      ? input(f.path, 'export function util(n: number) { for (;;) { if (n > 1 && n < 9) { return n; } } }\n')
      : f));
    const second = await scorer.score(edited);
    assert.deepEqual(second.stats, { parsed: 1, reused: 4 });
    assert.equal(second.files.find((f) => f.path === 'src/util.ts')!.maxComplexity, 4);
    const before = first.groups.find((g) => g.files.includes('src/util.ts'))!;
    const after = second.groups.find((g) => g.files.includes('src/util.ts'))!;
    assert.ok(after.complexity > before.complexity, 'the edited group reflects the new complexity');
    assert.deepEqual(second.groups.filter((g) => g !== after), first.groups.filter((g) => g !== before));
  });

  it('parses identical copies once, and honours an aborted signal', async () => {
    scorer = createScorer({ workers: 1 });
    const same = 'export const x = (a: number) => a || 1;\n';
    const result = await scorer.score([input('a/x.ts', same), input('b/x.ts', same)]);
    assert.deepEqual(result.stats, { parsed: 1, reused: 1 });
    assert.equal(result.files[1]!.path, 'b/x.ts');
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(scorer.score(workspace(), controller.signal));
  });

  it('rejects bad options at construction with a TypeError naming the option', () => {
    assert.throws(() => createScorer({ workers: 0 }), /createScorer: workers must be a positive integer, got 0/);
    assert.throws(() => createScorer({ maxGroupSize: 2.5 }), TypeError);
    assert.throws(() => createScorer({ timeoutMsPerFile: -1 }), /timeoutMsPerFile must be a positive number/);
  });
});
