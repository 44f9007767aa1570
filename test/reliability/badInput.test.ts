/**
 * Hostile and unusual input: every file that enters a run leaves it once, with a reason when it was
 * not analyzed; huge files are refused from their size without being read, and the run ends by
 * itself (mocha's timeout is the bound, not a timed assertion).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { VirtualClock } from '../../src/core/clock';
import { defaultConfig } from '../../src/core/config';
import { discover } from '../../src/core/discover';
import { createInterimScorer } from '../../src/core/engine';
import { BurstCoalescer } from '../../src/extension/triggers/burstCoalescer';
import { assertAccounted, assertNoDuplicateFindings, engineFor, tempDir, useEmulatorSuite, writeTree } from './helpers';

const NESTED = Array.from({ length: 40 }, (_, i) => `d${i}`).join('/') + '/deep.js';
const ODD_NAME = 'src/my folder/ünïcødé файл 名前.js';

/** A 50 MB file, written in 1 MB chunks (fast, and never held in memory at once). */
function writeHuge(path: string): void {
  const chunk = Buffer.alloc(1024 * 1024, 'let a = 1; // padding\n');
  const fd = openSync(path, 'w');
  try {
    for (let i = 0; i < 50; i++) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

describe('bad input (engine against the emulator)', function () {
  this.timeout(120_000);
  const suite = useEmulatorSuite();

  it('binary, 50 MB, minified, Latin-1, UTF-16, empty, odd paths, deep nesting, symlink loops: each accounted', async () => {
    const minified = 'var a=1;' + Array.from({ length: 4000 }, (_, i) => `function f${i}(x){return x==${i}?eval(x):x}`).join(';');
    const root = writeTree(tempDir('bad'), {
      'assets/blob.dat': Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), randomBytes(4096)]),
      'dist/bundle.min.js': minified, // excluded by name by default: never enters a run
      'src/bundle.js': minified, // the same bundle under an ordinary name: one 250 KB line
      'src/latin1.js': Buffer.from('// café crème brûlée\nif (a == b) eval(c);\n', 'latin1'),
      'src/utf16.js': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('// ünïcødé\nif (a == b) eval(c);\n', 'utf16le')]),
      'src/empty.js': '',
      [ODD_NAME]: 'eval(x);\n',
      [NESTED]: 'eval(x);\n',
    });
    suite.dirs.push(root);
    writeHuge(join(root, 'huge.js'));
    mkdirSync(join(root, 'loops'));
    symlinkSync('..', join(root, 'loops', 'up')); // loops/up → root → loops/up → …
    symlinkSync('self', join(root, 'loops', 'self')); // a link to itself

    const engine = engineFor(suite.emu.url);
    const result = await engine.analyze({ root, lane: 'background', noCache: true }).finally(() => engine.dispose());
    const expected = ['assets/blob.dat', 'src/bundle.js', 'src/latin1.js', 'src/utf16.js', 'src/empty.js', ODD_NAME, NESTED, 'huge.js'];
    const byPath = new Map(result.files.map((f) => [f.path, f]));
    // Symlinks may be listed and skipped, or not listed at all; everything else must be there once.
    assertAccounted(result, [...expected, ...[...byPath.keys()].filter((p) => p.startsWith('loops/'))]);
    assertNoDuplicateFindings(result);
    for (const path of [...byPath.keys()].filter((p) => p.startsWith('loops/'))) assert.notEqual(byPath.get(path)!.status, 'analyzed', path);

    assert.match(byPath.get('huge.js')!.reason!, /larger than maxFileKb/);
    assert.equal(byPath.get('assets/blob.dat')!.status, 'skipped');
    const evalLine = (path: string) => byPath.get(path)!.findings.filter((f) => f.ruleId === 'no-eval').map((f) => f.startLine);
    assert.deepEqual(evalLine('src/latin1.js'), [2], 'Latin-1 decoded, lines kept');
    assert.deepEqual(evalLine('src/utf16.js'), [2], 'UTF-16 with BOM decoded, lines kept');
    assert.deepEqual(evalLine(ODD_NAME), [1]);
    assert.deepEqual(evalLine(NESTED), [1]);
    assert.ok(['analyzed', 'skipped'].includes(byPath.get('src/empty.js')!.status));
    const sentPaths = suite.emu.requests().flatMap((r) => r.files);
    for (const never of ['huge.js', 'assets/blob.dat', 'dist/bundle.min.js']) assert.ok(!sentPaths.includes(never), never);
  });

  it('files deleted or renamed while queued end skipped with a reason', async () => {
    const root = writeTree(tempDir('gone'), { 'src/kept.js': 'eval(x);\n', 'src/renamed-to.js': 'eval(y);\n' });
    suite.dirs.push(root);
    // A save queued `src/deleted.js` and `src/renamed-from.js`; by the time the run reads them they are gone.
    const engine = engineFor(suite.emu.url);
    const paths = ['src/kept.js', 'src/deleted.js', 'src/renamed-from.js'];
    const result = await engine.analyze({ root, paths, lane: 'interactive', noCache: true }).finally(() => engine.dispose());
    assertAccounted(result, paths);
    for (const gone of ['src/deleted.js', 'src/renamed-from.js']) {
      const outcome = result.files.find((f) => f.path === gone)!;
      assert.equal(outcome.status, 'skipped');
      assert.match(outcome.reason!, /not found/);
    }
    assert.equal(result.files.find((f) => f.path === 'src/kept.js')!.status, 'analyzed');
  });

  it('a 10,000-file workspace: discovery and scoring account for every file', async function () {
    this.timeout(300_000);
    const root = tempDir('10k');
    suite.dirs.push(root);
    for (let d = 0; d < 100; d++) {
      mkdirSync(join(root, `pkg${d}`));
      for (let f = 0; f < 100; f++) writeFileSync(join(root, `pkg${d}`, `m${f}.js`), `export const v${f} = ${d * 100 + f};\n`);
    }
    const config = defaultConfig();
    const found = await discover({ root, include: config.include, exclude: config.exclude, maxFileKb: config.maxFileKb });
    assert.equal(found.files.length + found.skipped.length, 10_000);
    assert.equal(found.files.length, 10_000);
    const scorer = createInterimScorer();
    try {
      const { groups } = await scorer.score(found.files.map((f) => ({ path: f.path, text: f.text, bytes: f.bytes })));
      const grouped = groups.flatMap((g) => g.files);
      assert.equal(new Set(grouped).size, 10_000, 'every file in exactly one group');
      assert.equal(grouped.length, 10_000);
    } finally {
      scorer.dispose();
    }
  });

  it('1,000 saves in 10 seconds are coalesced into a few runs, each file in one of them', async () => {
    const clock = new VirtualClock();
    const flushes: string[][] = [];
    // The extension's defaults: a 1.5 s quiet window, at most 10 s of waiting.
    const coalescer = new BurstCoalescer({ quietMs: 1500, maxWaitMs: 10_000, clock, onFlush: (paths) => flushes.push(paths) });
    for (let i = 0; i < 1000; i++) {
      coalescer.add(`src/file${i % 250}.ts`);
      await clock.advance(10);
    }
    await clock.runAll();
    assert.ok(flushes.length >= 1 && flushes.length <= 2, `${flushes.length} runs`);
    const all = flushes.flat();
    assert.equal(new Set(all).size, 250, 'every saved file analyzed');
    for (const paths of flushes) assert.equal(new Set(paths).size, paths.length, 'a file once per run');
  });
});
