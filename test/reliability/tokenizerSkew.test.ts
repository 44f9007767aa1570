/**
 * The engine against an emulator that counts tokens its own way (tokenRatio ≠ 1) or shares its
 * quota with another tenant (foreignTokensPerMinute), with quotas small enough that a run spans
 * several windows. The engine must learn the service's count from its answers (calibration.ts) and
 * the quota that is left (learnedQuota.ts): once it has, (almost) nothing is throttled, and every
 * file is analyzed.
 */
import assert from 'node:assert/strict';
import type { ChorusConfig } from '../../src/core/config';
import type { AnalyzeResult } from '../../src/core/engine';
import type { EmulatorModelConfig, EmulatorRequestRecord } from '../../src/emulator';
import { ScaledClock } from '../../src/core/clock';
import { defaultConfig } from '../../src/core/config';
import { createEngine, createInterimScorer, type Engine } from '../../src/core/engine';
import { startEmulator } from '../../src/emulator';
import { LEARNED_QUOTA_MARGIN } from '../../src/core/schedule/modelQueue';
import { assertAccounted, LLAMA, NOVA, tempDir, useEmulatorPerTest, writeTree } from './helpers';

/**
 * Half the suite's TIME_SCALE: with quotas this small each call is a tenth of a window, and a loaded
 * machine's stalls at the start of a burst (tens of real ms) must stay small against the window's
 * edges and the engine's 120 s request timeout (one real second at 120×).
 */
const SCALE = 60;

function engineFor(endpoint: string, overrides: Partial<ChorusConfig>, maxBatchInputTokens: number): Engine {
  return createEngine({ config: { ...defaultConfig(), endpoint, ...overrides }, clock: new ScaledClock(SCALE), scorer: createInterimScorer(), maxBatchInputTokens });
}

const QUOTA = { [NOVA]: 15_000, [LLAMA]: 10_000 };
/** Input tokens a batch may have (as the model counts them, once learned): one or two files. */
const MAX_BATCH_INPUT = 1_200;

/** `count` files of `lines` lines (40 lines ≈ 2 KB ≈ 550 estimated tokens, 8 lines ≈ 130). */
function workspace(count: number, lines: number): { root: string; paths: string[] } {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const body = Array.from({ length: lines }, (_, l) => `  total += values[${l}] * ${i + l}; // step ${l}`).join('\n');
    files[`src/m${String(i).padStart(2, '0')}.js`] = `export function f${i}(values) {\n  let total = 0;\n${body}\n  if (total == ${i}) return eval('total');\n  return total;\n}\n`;
  }
  return { root: writeTree(tempDir('skew'), files), paths: Object.keys(files) };
}

/** The engine's view: the same quotas the emulator enforces (the ceiling is right; the count is not). */
const engineModels = (): Partial<ChorusConfig> => ({
  models: [
    { id: NOVA, tokensPerMinute: QUOTA[NOVA], maxKbPerBatch: 350, minComplexity: 0.7 },
    { id: LLAMA, tokensPerMinute: QUOTA[LLAMA], maxKbPerBatch: 200, minComplexity: 0 },
  ],
});

interface Outcome {
  results: AnalyzeResult[];
  /** The emulator's records of each run's requests. */
  perRun: EmulatorRequestRecord[][];
  requests: EmulatorRequestRecord[];
  /** Requests started after the first `settleMs` of traffic, and how many of them were throttled. */
  late: { total: number; throttled: number };
  ratios: Record<string, number | undefined>;
  effective: Record<string, number>;
}

describe('tokenizer skew and another tenant (engine against the emulator, time-scaled)', function () {
  this.timeout(240_000);
  const suite = useEmulatorPerTest();
  const { dirs } = suite;

  /**
   * `runs` analyses by one engine (a later run plans with what the earlier ones learned) against an
   * emulator whose models get `model(id)` on top of the quotas.
   */
  async function run(model: (id: string) => Partial<EmulatorModelConfig>, settleMs: number, files: { count: number; lines: number }, runs = 1): Promise<Outcome> {
    suite.emu = await startEmulator({
      timeScale: SCALE,
      config: {
      models: [
        { id: NOVA, tokensPerMinute: QUOTA[NOVA], ...model(NOVA) },
        { id: LLAMA, tokensPerMinute: QUOTA[LLAMA], toolChoice: ['auto'], ...model(LLAMA) },
        ],
      },
    });
    const { root, paths } = workspace(files.count, files.lines);
    dirs.push(root);
    // Small batches: many calls per window, so "1 % throttled" means something.
    const engine = engineFor(suite.emu.url, engineModels(), MAX_BATCH_INPUT);
    try {
      const results: AnalyzeResult[] = [];
      const perRun: EmulatorRequestRecord[][] = [];
      for (let i = 0; i < runs; i++) {
        const since = suite.emu.requests().length;
        const result = await engine.analyze({ root, lane: 'background', noCache: true });
        assertAccounted(result, paths);
        results.push(result);
        perRun.push(suite.emu.requests().slice(since));
      }
      const requests = suite.emu.requests();
      const first = Math.min(...requests.map((r) => r.sinceStartMs));
      const late = requests.filter((r) => r.sinceStartMs >= first + settleMs);
      const snapshot = engine.snapshot().models;
      return {
        results,
        perRun,
        requests,
        late: { total: late.length, throttled: late.filter((r) => r.outcome === 'throttled').length },
        ratios: Object.fromEntries(snapshot.map((m) => [m.id, m.tokenRatio])),
        effective: Object.fromEntries(snapshot.map((m) => [m.id, m.effectiveTpm])),
      };
    } finally {
      engine.dispose();
    }
  }

  const analyzedAll = (o: Outcome) => {
    for (const result of o.results) assert.ok(result.files.every((f) => f.status === 'analyzed'), JSON.stringify(result.files.filter((f) => f.status !== 'analyzed').map((f) => [f.path, f.status, f.reason])));
  };
  const describeRun = (o: Outcome) => `${o.late.throttled} of ${o.late.total} late requests throttled (${o.requests.filter((r) => r.outcome === 'throttled').length} of ${o.requests.length} in all); ratios ${JSON.stringify(o.ratios)}; effective ${JSON.stringify(o.effective)}`;

  it('another tenant spends 25 % of each quota: the learned quota settles on what is left, ≤ 2 % throttled after it has', async () => {
    const o = await run((id) => ({ tokenRatio: 1, foreignTokensPerMinute: QUOTA[id as keyof typeof QUOTA] * 0.25 }), 120_000, { count: 120, lines: 40 });
    if (process.env.CHORUS_TEST_VERBOSE) console.log(describeRun(o));
    analyzedAll(o);
    assert.ok(o.late.total >= 20, `enough traffic after two minutes: ${describeRun(o)}`);
    // Measured 0 of 90 here (2 in the first two minutes: one per model), since a measured cut rests
    // where the service refused and probing sends one call at a time above what it accepted; 2–4 of
    // ~91 before, when each recovery probe cost a throttle or two. The benchmark's foreign-tenant
    // workload measures the 2 % target at real quotas.
    assert.ok(o.late.throttled <= Math.max(1, o.late.total * 0.045), describeRun(o));
    // Settled near the 75 % that is left: background work fills a learned (cut) quota to
    // 1 − LEARNED_QUOTA_MARGIN of it, so that is the share it takes — not the ceiling, not collapsed.
    for (const id of [NOVA, LLAMA]) {
      const share = (o.effective[id]! * (1 - LEARNED_QUOTA_MARGIN)) / QUOTA[id as keyof typeof QUOTA];
      assert.ok(share > 0.6 && share <= 0.8, `${id}: effective ${o.effective[id]} of ${QUOTA[id as keyof typeof QUOTA]}. ${describeRun(o)}`);
    }
  });

  for (const skew of [1.3, 0.8]) {
    it(`the emulator counts ${skew}× the estimate: the engine learns it, reserves and plans by it, ≤ 1 % throttled once it has, all files analyzed`, async () => {
      const o = await run(() => ({ tokenRatio: skew }), 60_000, { count: 150, lines: 8 }, 2);
      if (process.env.CHORUS_TEST_VERBOSE) console.log(`${describeRun(o)}; requests per run ${o.perRun.map((r) => r.length).join(', ')}; largest input per run ${o.perRun.map((r) => Math.max(...r.map((x) => x.inputTokens))).join(', ')}`);
      analyzedAll(o);
      for (const id of [NOVA, LLAMA]) {
        const used = o.requests.some((r) => r.model === id && r.outcome === 'ok');
        if (used) assert.ok(Math.abs((o.ratios[id] ?? 1) - skew) < 0.05, `${id}: learned ${o.ratios[id]}, true ${skew}. ${describeRun(o)}`);
      }
      assert.ok(o.late.total >= 30, `enough traffic after the first minute: ${describeRun(o)}`);
      // Measured 0 of 71 (1.3×) and 0 of 36 (0.8×) once secretlint's profiler stopped stalling the
      // event loop of a long test process (redact/secretlint.ts).
      assert.ok(o.late.throttled <= o.late.total * 0.01, describeRun(o));
      // The second run was planned with the learned ratio: its batches fit MAX_BATCH_INPUT as the
      // model counts them (the first run's are planned at the calibration's prior), and a model that
      // counts less gets fuller batches, hence fewer calls.
      const largest = o.perRun.map((r) => Math.max(...r.filter((x) => x.outcome === 'ok').map((x) => x.inputTokens)));
      assert.ok(largest[1]! <= MAX_BATCH_INPUT * 1.02, `largest input of run 2: ${largest[1]}`);
      if (skew < 1) assert.ok(o.perRun[1]!.length < o.perRun[0]!.length, `requests per run: ${o.perRun.map((r) => r.length).join(', ')}`);
    });
  }
});
