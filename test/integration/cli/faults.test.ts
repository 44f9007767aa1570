import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultEmulatorConfig, type RunningEmulator } from '../../../src/emulator';
import { cliEnv, emulator, parseReport, runChorus, SAMPLE, sampleWorkspace, tempDir, type JsonReport } from './helpers';

const NOVA = 'us.amazon.nova-pro-v1:0';
const LLAMA = 'us.meta.llama3-3-70b-instruct-v1:0';

/** Every file that entered the run left it exactly once, with a reason unless analyzed. */
function assertAccounted(report: JsonReport): void {
  assert.deepEqual(report.files.map((f) => f.path).sort(), Object.keys(SAMPLE).sort());
  for (const f of report.files) {
    assert.ok(['analyzed', 'skipped', 'failed'].includes(f.status));
    if (f.status !== 'analyzed') assert.ok(f.reason, `${f.path} has no reason`);
  }
}

describe('chorus analyze under faults (CLI against the emulator)', function () {
  this.timeout(600_000); // each CLI run is a fresh Node process; slow on a busy machine
  const dirs: string[] = [];
  const dir = (d: string) => (dirs.push(d), d);
  let emu: RunningEmulator | undefined;
  afterEach(async () => {
    await emu?.close();
    emu = undefined;
  });
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  const analyze = async (extra: string[] = []) => {
    const run = await runChorus(['analyze', dir(sampleWorkspace()), '--endpoint', emu!.url, '--format', 'json', ...extra], cliEnv(dir(tempDir('cache'))));
    return { run, report: parseReport(run) };
  };

  it('rides out a throttle storm: throttles are counted, work moves, every file is analyzed', async () => {
    emu = await emulator();
    // Every call to Nova is throttled and a third of Llama's; the config routes everything to Nova first.
    emu.setFaults([{ kind: 'throttle', model: NOVA }, { kind: 'throttle', model: LLAMA, rate: 0.3 }]);
    const root = dir(sampleWorkspace());
    writeFileSync(join(root, 'chorus.config.json'), JSON.stringify({ models: [{ id: NOVA, minComplexity: 0 }, { id: LLAMA, minComplexity: 0.99 }] }));
    const run = await runChorus(['analyze', root, '--endpoint', emu.url, '--format', 'json'], cliEnv(dir(tempDir('cache'))));
    const report = parseReport(run);
    assert.deepEqual(report.files.map((f) => f.path).sort(), [...Object.keys(SAMPLE), 'chorus.config.json'].sort());
    assert.ok(report.files.every((f) => f.status === 'analyzed' && f.model === LLAMA), JSON.stringify(report.files.map((f) => [f.path, f.status, f.reason])));
    const throttledAtEmulator = emu.requests().filter((r) => r.outcome === 'throttled').length;
    assert.ok(throttledAtEmulator > 0, 'the storm happened');
    assert.equal(report.models.reduce((s, m) => s + m.throttled, 0), throttledAtEmulator, 'every throttle is counted');
    assert.ok(report.models.find((m) => m.id === NOVA)!.fallbacksOut > 0);
    assert.equal(run.code, 0);
  });

  it('falls back when one model is AccessDenied; the other analyzes everything', async () => {
    const config = defaultEmulatorConfig();
    config.models = config.models.map((m) => (m.id === LLAMA ? { ...m, access: 'denied' as const } : m));
    emu = await emulator(config);
    const { run, report } = await analyze();
    assertAccounted(report);
    assert.ok(report.files.every((f) => f.status === 'analyzed' && f.model === NOVA), JSON.stringify(report.files));
    assert.equal(run.code, 0);
    if (emu.requests().some((r) => r.model === LLAMA)) {
      assert.match(run.stderr, /left the run/);
      assert.ok(report.models.find((m) => m.id === LLAMA)!.fallbacksOut > 0);
    }
  });

  it('malformed output: asked again, then every file fails with the reason and exit 3', async () => {
    emu = await emulator();
    emu.setFaults([{ kind: 'malformed-tool' }]);
    const { run, report } = await analyze();
    assertAccounted(report);
    assert.ok(report.files.every((f) => f.status === 'failed' && /malformed model output/.test(f.reason!)), JSON.stringify(report.files));
    assert.equal(run.code, 3);
    assert.match(run.stderr, /failed: malformed model output/);
  });

  it('drops findings for files outside the batch and clamps lines past the end', async () => {
    emu = await emulator();
    emu.setFaults([{ kind: 'foreign-files', model: NOVA }, { kind: 'lines-past-end', model: LLAMA }]);
    const { report } = await analyze();
    assertAccounted(report);
    const lineCount = (path: string) => SAMPLE[path]!.split('\n').length - 1;
    // Llama's findings all point past the end of their files: clamped, they must still be there.
    const llamaFiles = report.files.filter((f) => f.model === LLAMA && f.path !== 'docs/notes.md' && f.path !== 'lib/clean.py');
    assert.ok(llamaFiles.every((f) => f.findings.length > 0), JSON.stringify(llamaFiles));
    for (const file of report.files) {
      for (const f of file.findings) {
        assert.equal(f.file, file.path);
        assert.ok(f.startLine >= 1 && f.endLine <= Math.max(1, lineCount(file.path)), `${f.file}:${f.startLine}-${f.endLine}`);
      }
    }
  });
});
