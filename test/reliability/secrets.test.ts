/**
 * Secrets never leave the machine: a corpus of 30 kinds, generated now, planted in a workspace and
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

  it('redacts or withholds ≥ 25 kinds of secret, and findings keep the original line numbers', async () => {
    const corpus = generateSecretCorpus();
    assert.ok(new Set(corpus.map((s) => s.kind)).size >= 25, 'at least 25 kinds');
    const { files, probes } = plant(corpus);
    const root = writeTree(tempDir('secrets'), files);
    suite.dirs.push(root);

    const engine = engineFor(suite.emu.url);
    const result = await engine.analyze({ root, lane: 'background', noCache: true }).finally(() => engine.dispose());

    const sent = suite.emu.requests({ includeBodies: true });
    assert.ok(sent.length > 0, 'something was analyzed');
    const wire = sent.map((r) => `${r.body ?? ''}\n${r.prompt ?? ''}\n${r.system ?? ''}`).join('\n');
    for (const secret of corpus) {
      for (const value of secret.values) assert.ok(value.length >= 12 && !wire.includes(value), `${secret.kind} reached the model`);
    }

    const outcome = (path: string) => result.files.find((f) => f.path === path);
    assert.match(outcome('.env')?.reason ?? '', /never sent/);
    assert.ok(!sent.some((r) => r.files.includes('.env')), '.env was sent');
    for (const path of Object.keys(files).filter((p) => p !== '.env')) assert.equal(outcome(path)?.status, 'analyzed', path);
    assert.ok(result.redactions >= corpus.length - 1, `only ${result.redactions} redactions`);

    const evalLines = outcome('src/settings.ts')!.findings.filter((f) => f.ruleId === 'no-eval').map((f) => f.startLine);
    assert.deepEqual(evalLines, probes, 'each eval( finding is on its line in the original file');
  });
});
