/**
 * The benchmark harness on a tiny workload (a dozen files, time at 300×): behaviour only, never
 * timing. Every batch of every strategy ends ok or lost, every file is in some batch, every save is
 * accounted for, and the results files carry the fields docs/benchmark.md documents.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBenchmark } from '../../../bench/harness';
import { writeResults } from '../../../bench/main';
import { throughputSvg } from '../../../bench/report/svg';
import type { BenchResults } from '../../../bench/results';

const FILES = 12;
const SAVES = 3;

describe('benchmark harness (tiny workload)', function () {
  this.timeout(180_000);
  let results: BenchResults;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chorus-bench-'));
    results = await runBenchmark({
      codebase: 'node_modules/eslint/lib', limit: FILES, timeScale: 300, saves: SAVES, saveStartMs: 1_000, saveEveryMs: 2_000, seed: 7, scorer: 'interim',
    });
    writeResults(results, dir);
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs every workload with its strategies', () => {
    const pairs = results.runs.map((r) => `${r.workload}/${r.strategy}`);
    for (const s of ['one-model', 'original', 'round-robin', 'chorus', 'chorus-small']) assert.ok(pairs.includes(`burst/${s}`), `burst/${s} missing`);
    for (const s of ['one-model', 'original', 'round-robin', 'chorus']) assert.ok(pairs.includes(`saves/${s}`), `saves/${s} missing`);
    assert.ok(pairs.includes('wrong-quotas/chorus'));
    assert.ok(pairs.includes('three-models/chorus') && pairs.includes('three-models/round-robin'));
    assert.ok(!pairs.includes('three-models/original'), 'the original strategy is defined for two models only');
    for (const w of ['tokenizer-skew-1.3', 'tokenizer-skew-0.8', 'foreign-tenant']) {
      for (const s of ['chorus', 'chorus-uncalibrated']) assert.ok(pairs.includes(`${w}/${s}`), `${w}/${s} missing`);
    }
  });

  it('charts a workload that has no runs without looping (a --workloads subset without the burst)', () => {
    const svg = throughputSvg({ ...results, runs: [], workloads: [] }, 'burst');
    assert.match(svg, /^<svg[\s\S]*<\/svg>\n$/);
  });

  it('accounts for every batch and every file of every strategy', () => {
    assert.equal(results.codebase.files, FILES);
    for (const run of results.runs) {
      const m = run.metrics;
      assert.ok(m.batches > 0, `${run.strategy}: no batches`);
      assert.equal(run.lost.length, m.lostBatches, `${run.workload}/${run.strategy}: lost list and count disagree`);
      assert.ok(m.lostBatches <= m.batches);
      // Chunks of a file larger than a batch count once each, so at least every file is there.
      assert.ok(m.files >= FILES, `${run.workload}/${run.strategy}: ${m.files} files in batches, expected ${FILES} or more`);
      assert.ok(m.analyzedShare >= 0 && m.analyzedShare <= 1);
      assert.ok(m.requests >= m.batches - m.lostBatches, `${run.strategy}: fewer requests than batches done`);
      assert.ok(m.throttled <= m.requests);
      assert.ok(m.tokensCharged > 0 && m.makespanMs > 0);
    }
  });

  it('accounts for every save', () => {
    assert.equal(results.unloadedSave.count, SAVES);
    for (const run of results.runs.filter((r) => r.workload === 'saves')) {
      assert.ok(run.saves, `${run.strategy}: no save stats`);
      assert.equal(run.saves.count, SAVES);
      assert.equal(run.saves.latenciesMs.length + run.saves.lost, SAVES);
    }
    for (const run of results.runs.filter((r) => r.workload !== 'saves')) assert.equal(run.saves, null);
  });

  it('writes the JSON, the table and the chart', () => {
    const json = JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8')) as BenchResults;
    for (const key of ['generatedAt', 'options', 'codebase', 'workloads', 'unloadedSave', 'runs', 'targets', 'realMs']) assert.ok(key in json, `latest.json lacks ${key}`);
    const run = json.runs[0]!;
    for (const key of ['workload', 'strategy', 'label', 'metrics', 'saves', 'transit', 'lost', 'series', 'realMs']) assert.ok(key in run, `a run lacks ${key}`);
    for (const key of ['makespanMs', 'achievedTpm', 'utilization', 'steadyUtilization', 'requests', 'throttled', 'throttledShare', 'batches', 'lostBatches', 'perModel']) {
      assert.ok(key in run.metrics, `run metrics lack ${key}`);
    }
    assert.ok(json.runs.find((r) => r.strategy === 'chorus' && r.workload === 'burst')?.vsOneModel !== undefined);
    assert.ok(json.targets.length >= 5);
    assert.match(readFileSync(join(dir, 'table.md'), 'utf8'), /\| Workload +\| Strategy/);
    const svg = readFileSync(join(dir, 'throughput.svg'), 'utf8');
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.match(svg, /<polyline /);
  });
});
