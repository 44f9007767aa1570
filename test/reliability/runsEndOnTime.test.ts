/**
 * Runs end on time and say why (issue 13 item 6, issue 19 item 2), through the CLI as CI runs it:
 * - an endpoint that never answers (the hostile stand-in hangs every request) or refuses connections
 *   ends within about two request timeouts, every file failed naming the endpoint, exit 3;
 * - a model that hangs from the start leaves after one timeout and the other model does the work;
 * - a quota below one batch fails every file with the reason and exits 3 (it used to skip all, exit 0);
 * - a daily quota running out mid-run takes that model out, the other model takes its work;
 * - a concurrency-limited model (503 "Too many connections") loses no work.
 * The CLI runs at CHORUS_TIME_SCALE 60 (the emulator too), so the 120 s request timeout is 2 real s;
 * `elapsedMs` in the JSON report is on that emulated clock.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultEmulatorConfig, type EmulatorConfig, type RunningEmulator } from '../../src/emulator';
import { cliEnv, emulator, parseReport, runChorus, SAMPLE, sampleWorkspace, tempDir, writeTree, type CliRun } from '../integration/cli/helpers';
import { closedPort } from '../support/closedPort';
import { startHostileBedrock, type HostileBedrock } from './hostileBedrock';
import { LLAMA, NOVA } from './helpers';

const REQUEST_TIMEOUT_MS = 120_000;

/** A small file of ~700 bytes: with maxKbPerBatch 1, each goes into a batch of its own. */
function oneBatchEach(i: number): string {
  const body = Array.from({ length: 20 }, (_, n) => `  total += x * ${n} + ${i};`).join('\n');
  return `export function f${i}(x) {\n  let total = 0;\n${body}\n  return eval(total);\n}\n`;
}

describe('runs end on time and say why (CLI)', function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  const dir = (d: string) => (dirs.push(d), d);
  let hostile: HostileBedrock | undefined;
  let emu: RunningEmulator | undefined;
  afterEach(async () => {
    await hostile?.close();
    await emu?.close();
    hostile = undefined;
    emu = undefined;
  });

  async function analyze(endpoint: string, extra: string[] = [], root = dir(sampleWorkspace())): Promise<{ run: CliRun; realMs: number }> {
    const started = Date.now();
    const run = await runChorus(['analyze', root, '--endpoint', endpoint, '--format', 'json', '--no-cache', ...extra], cliEnv(dir(tempDir('cache'))));
    return { run, realMs: Date.now() - started };
  }

  function configFile(models: object[]): string {
    const path = join(dir(tempDir('cfg')), 'chorus.config.json');
    writeFileSync(path, JSON.stringify({ models }));
    return path;
  }

  it('an endpoint that hangs every request: ends within about two request timeouts, every file failed naming it, exit 3', async () => {
    hostile = await startHostileBedrock(() => ({ hang: true }));
    const { run, realMs } = await analyze(hostile.url);
    const report = parseReport(run);
    assert.equal(run.code, 3, run.stderr);
    assert.equal(report.files.length, Object.keys(SAMPLE).length);
    for (const f of report.files) {
      assert.equal(f.status, 'failed');
      assert.match(f.reason!, new RegExp(`^no model answered: .*${NOVA.replace(/[.]/g, '\\.')} \\(TimeoutError\\).* — the endpoint ${hostile.url.replace(/[.]/g, '\\.')} is unreachable`));
    }
    // Before: 3 attempts per model, one timeout each (6 × 120 s, ≈ 12 emulated minutes).
    // Discovery and scoring count too (the report's clock starts with the run), hence 3, not 2.
    assert.ok(report.elapsedMs <= 3 * REQUEST_TIMEOUT_MS, `ended after ${report.elapsedMs} emulated ms (${realMs} real ms)`);
    const perModel = new Map<string, number>();
    // The account's quota read (Service Quotas, POST / with no model) hangs too; it is not a model call.
    const modelCalls = hostile.calls.filter((c) => c.modelId !== '');
    assert.ok(hostile.calls.length - modelCalls.length <= 1, 'at most one quota read');
    for (const c of modelCalls) perModel.set(c.modelId, (perModel.get(c.modelId) ?? 0) + 1);
    assert.deepEqual([...perModel.values()], [1, 1], `one call per model: ${JSON.stringify([...perModel])}`);
    assert.match(run.stderr, /has not answered anything yet — check that the endpoint .* is reachable/);
    console.log(`      hung endpoint: ${report.elapsedMs} emulated ms, ${realMs} real ms for the CLI run`);
  });

  it('connections refused: ends at once with the same clear reason, exit 3', async () => {
    const { run } = await analyze(`http://127.0.0.1:${await closedPort()}`);
    const report = parseReport(run);
    assert.equal(run.code, 3, run.stderr);
    for (const f of report.files) assert.match(f.reason!, /^no model answered: .*\(ECONNREFUSED\).* is unreachable or does not answer; check the network/, f.reason);
    assert.ok(report.elapsedMs < REQUEST_TIMEOUT_MS, `${report.elapsedMs} emulated ms`);
  });

  it('one model hangs from the start: it leaves after one timeout, the other analyzes every file, exit 0', async () => {
    emu = await emulator();
    emu.setFaults([{ kind: 'hang', model: LLAMA }]);
    const { run } = await analyze(emu.url);
    const report = parseReport(run);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(report.files.every((f) => f.status === 'analyzed' && f.model === NOVA), JSON.stringify(report.files.map((f) => [f.path, f.status, f.model])));
    const hung = emu.requests().filter((r) => r.model === LLAMA);
    const firstEnd = Math.min(...hung.map((r) => r.endTime ?? Infinity));
    assert.ok(hung.length > 0 && hung.every((r) => r.time <= firstEnd), 'no call to the hung model after its first timeout');
    assert.ok(report.elapsedMs <= 3 * REQUEST_TIMEOUT_MS, `${report.elapsedMs} emulated ms`);
  });

  it('a quota below one batch: every file failed with what one call needs and the largest quota, exit 3', async () => {
    emu = await emulator();
    const config = configFile([{ id: NOVA, tokensPerMinute: 1_500 }, { id: LLAMA, tokensPerMinute: 1_200 }]);
    const { run } = await analyze(emu.url, ['--config', config]);
    const report = parseReport(run);
    assert.equal(run.code, 3, 'it used to skip everything and exit 0');
    for (const f of report.files) {
      assert.equal(f.status, 'failed');
      assert.match(f.reason!, /^no model's quota fits this batch: needs \d+ tokens .* the largest quota is 1500 tokens\/min$/);
    }
    assert.equal(emu.requests().length, 0, 'nothing was sent');
  });

  it('a daily quota running out mid-run: that model leaves the run naming its daily quota, the other takes its work', async () => {
    const config: EmulatorConfig = defaultEmulatorConfig();
    // Room for about one Llama call; every file prefers Llama (low scores).
    config.models = config.models.map((m) => (m.id === LLAMA ? { ...m, tokensPerDay: 2_500 } : m));
    emu = await emulator(config);
    const files: Record<string, string> = {};
    for (let i = 0; i < 10; i++) files[`m${i}/f.js`] = oneBatchEach(i);
    const root = dir(writeTree(tempDir('daily'), files));
    const small = configFile([{ id: NOVA, maxKbPerBatch: 1 }, { id: LLAMA, maxKbPerBatch: 1 }]);
    const { run } = await analyze(emu.url, ['--config', small], root);
    const report = parseReport(run);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(report.files.every((f) => f.status === 'analyzed'), JSON.stringify(report.files.map((f) => [f.path, f.status, f.reason])));
    assert.ok(report.files.some((f) => f.model === NOVA), 'the other model took the work');
    const daily = emu.requests().filter((r) => r.model === LLAMA && r.outcome === 'throttled');
    assert.ok(daily.length > 0, 'the daily quota ran out');
    // Never asked again: no batch Llama refused for the day goes back to Llama. (By request, not by
    // time: calls already in flight when the first refusal came back may arrive after it.)
    const refused = new Set<string>();
    for (const r of emu.requests().filter((x) => x.model === LLAMA).sort((a, b) => a.seq - b.seq)) {
      for (const f of r.files) assert.ok(!refused.has(f), `${f} was sent to Llama again after its daily refusal`);
      if (r.outcome === 'throttled') r.files.forEach((f) => refused.add(f));
    }
    assert.match(run.stderr, /left the run: ThrottlingException: Too many tokens per day.*tokens-per-day quota/);
  });

  it('a concurrency-limited model (503 Too many connections): every file analyzed, none lost', async () => {
    const config: EmulatorConfig = defaultEmulatorConfig();
    config.models = config.models.map((m) => ({ ...m, maxConcurrency: 2 }));
    emu = await emulator(config);
    const files: Record<string, string> = {};
    for (let i = 0; i < 16; i++) files[`m${i}/f.js`] = oneBatchEach(i);
    const root = dir(writeTree(tempDir('conn'), files));
    const small = configFile([{ id: NOVA, maxKbPerBatch: 1 }, { id: LLAMA, maxKbPerBatch: 1 }]);
    const { run } = await analyze(emu.url, ['--config', small], root);
    const report = parseReport(run);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(report.files.length, 16);
    assert.ok(report.files.every((f) => f.status === 'analyzed'), JSON.stringify(report.files.map((f) => [f.path, f.status, f.reason])));
    const refused = emu.requests().filter((r) => r.outcome === 'ServiceUnavailableException').length;
    assert.ok(refused > 0, 'the limit was hit');
    console.log(`      concurrency limit 2: ${refused} of ${emu.requests().length} requests answered 503`);
  });

  after(async () => {
    const { rmSync } = await import('node:fs');
    dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  });
});
