/**
 * The fault matrix: each fault the emulator can inject, through the real engine and SDK, on a
 * sped-up clock. Whatever happens, every file leaves the run once (analyzed, or skipped/failed with a
 * reason), no finding is reported twice and no promise rejects unhandled.
 */
import assert from 'node:assert/strict';
import { defaultConfig, type ChorusConfig } from '../../src/core/config';
import type { AnalyzeResult } from '../../src/core/engine';
import { defaultEmulatorConfig, type EmulatorFault, type RunningEmulator } from '../../src/emulator';
import { cliEnv, parseReport, runChorus, SAMPLE, sampleWorkspace, tempDir as cliTempDir } from '../integration/cli/helpers';
import {
  assertAccounted, assertNoDuplicateFindings, engineFor, LLAMA, NOVA, removeAfter,
  settledInFlight, startTestEmulator, tempDir, useEmulatorPerTest, waitFor, writeTree,
} from './helpers';

/** Twelve small files in four folders: several batches on both models, each with an `eval(` to find. */
function workspace(): { root: string; paths: string[] } {
  const files: Record<string, string> = {};
  for (const dir of ['api', 'core', 'jobs', 'web']) {
    for (let i = 0; i < 3; i++) files[`${dir}/mod${i}.js`] = `export function run${i}(x) {\n  if (x == ${i}) return 0;\n  return eval(x);\n}\n`;
  }
  return { root: writeTree(tempDir('faults'), files), paths: Object.keys(files) };
}

/** Small batches (a few files each): several calls, so a run can be interrupted mid-way. */
const SMALL_BATCHES = { maxBatchInputTokens: 800 };

describe('fault matrix (engine against the emulator, time-scaled)', function () {
  this.timeout(120_000);
  const suite = useEmulatorPerTest();
  const { dirs } = suite;

  async function analyzeUnder(
    faults: EmulatorFault[],
    options = {},
    during?: (emu: RunningEmulator) => Promise<void>,
    config: Partial<ChorusConfig> = {},
  ): Promise<{ result: AnalyzeResult; paths: string[] }> {
    suite.emu ??= await startTestEmulator();
    suite.emu.setFaults(faults);
    const { root, paths } = workspace();
    dirs.push(root);
    const engine = engineFor(suite.emu.url, config, options);
    const running = engine.analyze({ root, lane: 'background', noCache: true }).finally(() => engine.dispose());
    await during?.(suite.emu);
    const result = await running;
    assertAccounted(result, paths);
    assertNoDuplicateFindings(result);
    return { result, paths };
  }

  const analyzedAll = (result: AnalyzeResult) =>
    assert.ok(result.files.every((f) => f.status === 'analyzed'), JSON.stringify(result.files.map((f) => [f.path, f.status, f.reason])));

  /**
   * Throttles `model` (or all) from the first request on, then ends the storm `seconds` emulated
   * seconds after its first throttle — windows are timed from the storm itself, not from the
   * emulator's start, which real start-up time at this scale would already have used up.
   */
  const storm = (seconds: number, model?: string) => async (e: RunningEmulator) => {
    const throttled = () => e.requests().find((r) => r.outcome === 'throttled');
    await waitFor(() => throttled() !== undefined);
    const startS = throttled()!.sinceStartMs / 1000;
    e.setFaults([{ kind: 'throttle', ...(model ? { model } : {}), until: startS + seconds }]);
  };

  // Small files score low: the light model (Llama) is the one they prefer.
  it('a throttle storm on the preferred model for a full emulated minute: every file is analyzed', async () => {
    const { result } = await analyzeUnder([{ kind: 'throttle', model: LLAMA }], {}, storm(60, LLAMA));
    analyzedAll(result);
    assert.ok(suite.emu!.requests().some((r) => r.model === LLAMA && r.outcome === 'throttled'), 'the storm happened');
  });

  it('a single-model setup throttled for a full emulated minute: the run waits the storm out', async () => {
    suite.emu = await startTestEmulator();
    const llamaOnly = { models: defaultConfig().models.filter((m) => m.id === LLAMA) };
    let stormEndMs = 0;
    const { result } = await analyzeUnder([{ kind: 'throttle' }], {}, async (e) => {
      await storm(60)(e);
      stormEndMs = (e.requests().find((r) => r.outcome === 'throttled')!.sinceStartMs) + 60_000;
    }, llamaOnly);
    analyzedAll(result);
    const answered = suite.emu.requests().filter((r) => r.outcome === 'ok');
    assert.ok(answered.length > 0 && answered.every((r) => r.sinceStartMs >= stormEndMs), 'answers came only after the storm');
  });

  it('both models throttling for 20 emulated seconds: the run waits it out', async () => {
    const { result } = await analyzeUnder([{ kind: 'throttle' }], {}, storm(20));
    analyzedAll(result);
    assert.ok(suite.emu!.requests().some((r) => r.outcome === 'throttled'));
  });

  const transient: [string, EmulatorFault['kind']][] = [
    ['bursts of 503', 'ServiceUnavailableException'],
    ['bursts of 500', 'InternalServerException'],
    ['408 model timeouts', 'ModelTimeoutException'],
    ['connections reset mid-response', 'reset'],
  ];
  for (const [title, kind] of transient) {
    it(`${title}: retried or failed with a reason, never lost`, async () => {
      await analyzeUnder([{ kind, rate: 0.5 }], SMALL_BATCHES);
      assert.ok(suite.emu!.requests().some((r) => r.fault === kind), 'the fault fired');
    });
  }

  it('hung connections: the request timeout fires and the work moves or fails with a reason', async () => {
    const { result } = await analyzeUnder([{ kind: 'hang', model: LLAMA }]);
    assert.ok(suite.emu!.requests().some((r) => r.model === LLAMA && r.fault === 'hang'), 'a request hung');
    for (const f of result.files) assert.ok(f.status !== 'analyzed' || f.model === NOVA, `${f.path} analyzed by a hung model`);
    assert.equal(await settledInFlight(suite.emu!), 0, 'nothing left hanging at the emulator');
  });

  it('prose instead of a tool call: each file fails as malformed, none is lost', async () => {
    const { result } = await analyzeUnder([{ kind: 'prose' }]);
    assert.ok(result.files.every((f) => f.status === 'failed' && /malformed/.test(f.reason!)), JSON.stringify(result.files));
  });

  it('truncated tool output on one model: the other answers', async () => {
    const { result } = await analyzeUnder([{ kind: 'truncated-tool', model: LLAMA }]);
    for (const f of result.files) if (f.status === 'analyzed') assert.ok(f.findings.every((x) => x.file === f.path));
  });

  it('foreign files and lines past the end: dropped or clamped, findings stay in their file', async () => {
    const { result } = await analyzeUnder([{ kind: 'foreign-files', model: NOVA }, { kind: 'lines-past-end', model: LLAMA }]);
    for (const f of result.files) {
      for (const x of f.findings) {
        assert.equal(x.file, f.path);
        assert.ok(x.startLine >= 1 && x.endLine <= 4, `${x.file}:${x.startLine}-${x.endLine}`);
      }
    }
  });

  it('AccessDenied on one model: the other analyzes everything', async () => {
    const config = defaultEmulatorConfig();
    config.models = config.models.map((m) => (m.id === LLAMA ? { ...m, access: 'denied' as const } : m));
    suite.emu = await startTestEmulator(config);
    const { result } = await analyzeUnder([]);
    analyzedAll(result);
    assert.ok(result.files.every((f) => f.model === NOVA));
  });

  it('credentials expiring mid-run: the rest fails with a message that says so', async () => {
    suite.emu = await startTestEmulator();
    const { root, paths } = workspace();
    dirs.push(root);
    const engine = engineFor(suite.emu.url, {}, SMALL_BATCHES);
    const running = engine.analyze({ root, lane: 'background', noCache: true }).finally(() => engine.dispose());
    await waitForRequests(suite.emu, 1);
    suite.emu.setFaults([{ kind: 'ExpiredTokenException' }]);
    const result = await running;
    assertAccounted(result, paths);
    assertNoDuplicateFindings(result);
    const failed = result.files.filter((f) => f.status !== 'analyzed');
    assert.ok(failed.length > 0, 'the expiry hit some files');
    for (const f of failed) assert.match(f.reason!, /expired|credential|ExpiredToken/i, `${f.path}: ${f.reason}`);
  });

  it('the emulator stopped mid-run and started again on the same port: every file accounted', async () => {
    suite.emu = await startTestEmulator();
    // Every call hangs until the stop, so the stop cuts requests that are truly in flight.
    suite.emu.setFaults([{ kind: 'hang' }]);
    const port = Number(new URL(suite.emu.url).port);
    const { root, paths } = workspace();
    dirs.push(root);
    const engine = engineFor(suite.emu.url, {}, SMALL_BATCHES);
    const running = engine.analyze({ root, lane: 'background', noCache: true }).finally(() => engine.dispose());
    await waitFor(() => suite.emu!.stats().totals.inFlight > 0);
    await suite.emu.close();
    suite.emu = await startTestEmulator(defaultEmulatorConfig(), port);
    const result = await running;
    assertAccounted(result, paths);
    assertNoDuplicateFindings(result);
    assert.ok(suite.emu.requests().length > 0, 'the run came back to the restarted emulator');
  });

  it('a cancel: the run settles, files are accounted and the emulator has nothing in flight', async () => {
    suite.emu = await startTestEmulator();
    // Calls hang: at the cancel there is work in flight that only the abort can end.
    suite.emu.setFaults([{ kind: 'hang' }]);
    const { root, paths } = workspace();
    dirs.push(root);
    const engine = engineFor(suite.emu.url, {}, SMALL_BATCHES);
    const abort = new AbortController();
    const running = engine.analyze({ root, lane: 'background', noCache: true, signal: abort.signal }).finally(() => engine.dispose());
    await waitFor(() => suite.emu!.stats().totals.inFlight > 0);
    abort.abort();
    const result = await running;
    assert.equal(result.cancelled, true);
    assertAccounted(result, paths);
    assertNoDuplicateFindings(result);
    assert.ok(result.files.every((f) => f.status !== 'analyzed' && /cancel/.test(f.reason!)), JSON.stringify(result.files));
    assert.equal(await settledInFlight(suite.emu), 0);
  });
});

async function waitForRequests(emu: RunningEmulator, n: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (emu.requests().length < n) {
    if (Date.now() > deadline) throw new Error(`fewer than ${n} requests arrived`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe('fault matrix through the CLI', function () {
  this.timeout(180_000); // a fresh Node process per run
  const dirs: string[] = [];
  removeAfter(dirs);

  it('expired credentials: every file fails with how to refresh them, and the exit code says files failed', async () => {
    const emu = await startTestEmulator();
    try {
      emu.setFaults([{ kind: 'ExpiredTokenException' }]);
      const root = sampleWorkspace();
      const cache = cliTempDir('cache');
      dirs.push(root, cache);
      const run = await runChorus(['analyze', root, '--endpoint', emu.url, '--format', 'json'], cliEnv(cache));
      assert.equal(run.code, 3, run.stderr);
      assert.match(run.stderr, /ExpiredTokenException: .*expired.*SSO login/);
      const report = parseReport(run);
      assert.equal(report.files.length, Object.keys(SAMPLE).length);
      for (const f of report.files) assert.match(f.reason ?? '', /expired/, f.path);
    } finally {
      await emu.close();
    }
  });
});
