/**
 * Secrets never leave the machine: a corpus of 94 kinds and shapes (token formats, secret-named keys
 * in configuration, credential files by name and by content), generated now, planted in a workspace and
 * analyzed by the real engine against the emulator. The emulator's request log (full bodies) is the
 * proof of what was sent; `eval(` probes after each secret prove line numbers still match the file.
 */
import assert from 'node:assert/strict';
import { generateSecretCorpus, type PlantedSecret } from './secretCorpus';
import { engineFor, tempDir, useEmulatorSuite, writeTree } from './helpers';

/** Lays the corpus out: each source secret followed by an `eval(` probe line whose number we know. */
function plant(corpus: PlantedSecret[]): { files: Record<string, string>; probes: number[] } {
  const byFile = new Map<string, string[]>();
  const probes: number[] = [];
  for (const secret of corpus) {
    const lines = byFile.get(secret.file) ?? [];
    lines.push(...secret.lines.flatMap((l) => l.split('\n')));
    if (secret.file.endsWith('.ts')) {
      lines.push(`eval(probe${probes.length});`);
      probes.push(lines.length);
    }
    byFile.set(secret.file, lines);
  }
  const files = Object.fromEntries([...byFile].map(([file, lines]) => [file, lines.join('\n') + '\n']));
  return { files, probes };
}

describe('secrets corpus: nothing planted reaches the model', function () {
  this.timeout(120_000);
  const suite = useEmulatorSuite();

  it('redacts or withholds ≥ 60 kinds of secret, skips credential files with a reason, and keeps line numbers', async () => {
    const corpus = generateSecretCorpus();
    const kinds = new Set(corpus.map((s) => s.kind));
    assert.ok(kinds.size >= 60, `only ${kinds.size} kinds`);
    const { files, probes } = plant(corpus);
    const root = writeTree(tempDir('secrets'), files);
    suite.dirs.push(root);

    const engine = engineFor(suite.emu.url);
    const result = await engine.analyze({ root, lane: 'background', noCache: true }).finally(() => engine.dispose());

    const sent = suite.emu.requests({ includeBodies: true });
    assert.ok(sent.length > 0, 'something was analyzed');
    const wire = sent.map((r) => `${r.body ?? ''}\n${r.prompt ?? ''}\n${r.system ?? ''}`).join('\n');
    const leaked = corpus.filter((secret) => secret.values.some((value) => wire.includes(value))).map((s) => s.kind);
    assert.deepEqual(leaked, [], 'these kinds reached the model');
    for (const secret of corpus) for (const value of secret.values) assert.ok(value.length >= 12, `${secret.kind}: a value too short to search for`);

    const outcome = (path: string) => result.files.find((f) => f.path === path);
    const neverSent = new Set(corpus.filter((s) => s.neverSent).map((s) => s.file));
    for (const path of neverSent) {
      assert.equal(outcome(path)?.status, 'skipped', path);
      assert.match(outcome(path)?.reason ?? '', /never sent/, path);
      assert.ok(!sent.some((r) => r.files.includes(path)), `${path} was sent`);
    }
    for (const path of Object.keys(files).filter((p) => !neverSent.has(p))) assert.equal(outcome(path)?.status, 'analyzed', path);
    const redactedKinds = corpus.filter((s) => !s.neverSent).length;
    assert.ok(result.redactions >= redactedKinds, `only ${result.redactions} redactions for ${redactedKinds} planted`);

    const evalLines = outcome('src/settings.ts')!.findings.filter((f) => f.ruleId === 'no-eval').map((f) => f.startLine);
    assert.deepEqual(evalLines, probes, 'each eval( finding is on its line in the original file');
  });
});
