/**
 * The estimate and the run share one plan step (src/core/engine/plan.ts): over seeded random trees
 * they agree on every file — the same files cached, the same files sent, the same files skipped or
 * failed with the same code and reason — with a working scorer and with one that breaks.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseBatchPrompt } from '../../../src/core/contract';
import { createEngine, createInterimScorer, type EngineScorer, type PlannedFile } from '../../../src/core/engine';
import type { FileOutcome } from '../../../src/core/types';
import { FakeModels, testConfig, workspace } from './fakes';

type Kind = 'code' | 'eval' | 'big' | 'huge' | 'binary' | 'nul' | 'env' | 'secret' | 'ignored' | 'latin' | 'oneLongLine';

const FAKE_KEY = ['AKIA', 'Z7QX', '4N2M', 'R8VK', 'T3PL'].join(''); // assembled so no scanner flags the test file

function content(kind: Kind, i: number): string | Buffer {
  switch (kind) {
    case 'code':
      return `export const v${i} = ${i};\n`;
    case 'eval':
      return `if (x${i} == 1) {\n  eval(x${i});\n}\n`;
    case 'big': // chunked: larger than a batch (maxKbPerBatch 4), smaller than maxFileKb
      return Array.from({ length: 200 }, (_, n) => `const line${n} = compute(${n}); // padding padding`).join('\n') + '\n';
    case 'huge': // larger than maxFileKb (12 KB)
      return 'x'.repeat(13 * 1024);
    case 'oneLongLine': // one line larger than a batch: cannot be chunked
      return `const s = "${'y'.repeat(6 * 1024)}";\n`;
    case 'binary':
      return Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]);
    case 'nul':
      return Buffer.from([0x61, 0x00, 0x62]);
    case 'env':
      return `TOKEN=${i}\n`;
    case 'secret':
      return `const key = "${FAKE_KEY}";\nexport default key;\n`;
    case 'ignored':
      return `ignored ${i}\n`;
    case 'latin':
      return Buffer.from([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x0e, 0x0f, 0x10, 0x11, 0xe9, 0xff]);
  }
}

function nameOf(kind: Kind, i: number): string {
  if (kind === 'env') return i % 2 ? `.env` : `sub${i}/.env.local`;
  if (kind === 'binary') return `img${i}.png`;
  if (kind === 'ignored') return `ignored/f${i}.js`;
  if (kind === 'latin' || kind === 'nul') return `data${i}.js`;
  return `src/d${i % 3}/f${i}.${['js', 'ts', 'py'][i % 3]}`;
}

const KINDS: Kind[] = ['code', 'eval', 'big', 'huge', 'binary', 'nul', 'env', 'secret', 'ignored', 'latin', 'oneLongLine'];

const treeArb = fc.record({
  kinds: fc.array(fc.constantFrom(...KINDS), { minLength: 1, maxLength: 14 }),
  // Ask for some paths (a save, a burst), a path that does not exist and one outside the folder.
  asPaths: fc.boolean(),
  missing: fc.boolean(),
  // Analyze some files first, so that the estimate and the run both meet cache hits.
  warm: fc.array(fc.boolean(), { minLength: 14, maxLength: 14 }),
  brokenScorer: fc.boolean(),
  forceUnknownModel: fc.boolean(),
});

const broken: EngineScorer = { score: () => Promise.reject(new Error('worker died')), dispose() {} };

/** What the run did with a file, in the estimate's terms. */
function asPlanned(f: FileOutcome): PlannedFile {
  if (f.status === 'analyzed') return f.cached ? { path: f.path, status: 'cached', ...(f.model ? { model: f.model } : {}) } : { path: f.path, status: 'planned' };
  return { path: f.path, status: f.status, ...(f.code ? { code: f.code } : {}), ...(f.reason !== undefined ? { reason: f.reason } : {}) };
}

describe('plan step: the estimate and the run agree on every file', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('over seeded random trees (cache hits, secrets, binaries, chunks, broken scorer)', async () => {
    await fc.assert(
      fc.asyncProperty(treeArb, async (tree) => {
        const files: Record<string, string | Buffer> = { '.gitignore': 'ignored/\n' };
        tree.kinds.forEach((kind, i) => (files[nameOf(kind, i)] = content(kind, i)));
        const root = workspace(files);
        const cacheDir = mkdtempSync(join(tmpdir(), 'chorus-plan-cache-'));
        dirs.push(root, cacheDir);
        const config = testConfig({ maxFileKb: 12 });
        config.models = config.models.map((m) => ({ ...m, maxKbPerBatch: 4 }));
        const models = new FakeModels();
        const engine = createEngine({ config, providerFor: models.providerFor, scorer: tree.brokenScorer ? broken : createInterimScorer(), cacheDir });
        try {
          const paths = Object.keys(files).filter((p) => p !== '.gitignore');
          const warm = paths.filter((_, i) => tree.warm[i]);
          if (warm.length > 0) await engine.analyze({ root, paths: warm, lane: 'background' });
          const requested = tree.asPaths ? [...paths, ...(tree.missing ? ['gone.js', '../outside.js'] : [])] : undefined;
          const request = {
            root,
            lane: 'background' as const,
            ...(requested ? { paths: requested } : {}),
            ...(tree.forceUnknownModel ? { forceModel: 'no-such-model' } : {}),
          };
          const estimate = await engine.estimate(request);
          const callsBefore = models.calls.length;
          const result = await engine.analyze(request);
          assert.deepEqual(result.files.map(asPlanned), estimate.plan);
          // Every file the estimate plans is sent, and nothing else is.
          const sent = new Set(models.calls.slice(callsBefore).flatMap((c) => parseBatchPrompt(c.prompt).map((f) => f.path)));
          assert.deepEqual([...sent].sort(), estimate.plan.filter((p) => p.status === 'planned').map((p) => p.path));
        } finally {
          engine.dispose();
        }
      }),
      { seed: 1606, numRuns: 25 },
    );
  });

  it('the estimate falls back like the run when the scorer breaks (Analyze Workspace still gets its cost)', async () => {
    const root = workspace({ 'a.js': 'eval(a);\n', 'b.py': 'def f():\n    pass\n' });
    dirs.push(root);
    const engine = createEngine({ config: testConfig(), providerFor: new FakeModels().providerFor, scorer: broken });
    try {
      const estimate = await engine.estimate({ root, lane: 'background' });
      assert.deepEqual(estimate.plan.map((p) => [p.path, p.status]), [['a.js', 'planned'], ['b.py', 'planned']]);
      assert.ok(estimate.inputTokens > 0 && estimate.costUsd > 0);
    } finally {
      engine.dispose();
    }
  });
});
