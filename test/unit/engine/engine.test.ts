import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, createInterimScorer, type EngineEvent } from '../../../src/core/engine';
import { writeBaseline } from '../../../src/core/findings';
import { ProviderError } from '../../../src/core/providers/provider';
import { accessDenied, FakeModels, testConfig, workspace } from './fakes';

const SOURCES = {
  'src/app.js': ['const x = load();', 'if (x == 1) {', '  eval(x);', '}', ''].join('\n'),
  'src/util.ts': ['try {', '  run();', '} catch (e) {}', '// TODO: tidy', ''].join('\n'),
  'lib/tool.py': ['def f():', '    try:', '        g()', '    except:', '        pass', ''].join('\n'),
  'README.md': '# demo\n',
  'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0]),
};

describe('engine', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'chorus-engine-cache-'));
    dirs.push(d);
    return d;
  };
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('turns a folder into findings, one outcome per file, and caches them', async () => {
    const root = workspace(SOURCES);
    dirs.push(root);
    const models = new FakeModels();
    const engine = createEngine({ config: testConfig(), providerFor: models.providerFor, scorer: createInterimScorer(), cacheDir: tmp() });
    const events: EngineEvent[] = [];
    engine.onEvent((e) => events.push(e));
    const first = await engine.analyze({ root, lane: 'background' });
    assert.deepEqual(first.files.map((f) => [f.path, f.status]), [
      ['README.md', 'analyzed'], ['lib/tool.py', 'analyzed'], ['logo.png', 'skipped'], ['src/app.js', 'analyzed'], ['src/util.ts', 'analyzed'],
    ]);
    const app = first.files.find((f) => f.path === 'src/app.js')!;
    assert.deepEqual(app.findings.map((f) => [f.ruleId, f.startLine]), [['eqeqeq', 2], ['no-eval', 3]]);
    assert.ok(app.findings.every((f) => f.fingerprint.length === 32 && f.model === app.model));
    assert.equal(events.filter((e) => e.type === 'file-done').length, 5);
    assert.ok(events.some((e) => e.type === 'run-finished'));
    assert.ok(first.models.reduce((s, m) => s + m.requests, 0) >= 1);
    assert.ok(first.routing.length >= 1 && first.routing.every((r) => r.model && r.reasons.length > 0));

    const calls = models.calls.length;
    const second = await engine.analyze({ root, lane: 'background' });
    assert.equal(models.calls.length, calls, 'an unchanged tree spends zero tokens');
    assert.ok(second.files.filter((f) => f.status === 'analyzed').every((f) => f.cached));
    assert.deepEqual(second.files.find((f) => f.path === 'src/app.js')!.findings, app.findings);
    assert.equal(second.models.reduce((s, m) => s + m.inputTokens, 0), 0);

    await engine.analyze({ root, lane: 'background', noCache: true });
    assert.ok(models.calls.length > calls);
    engine.dispose();
  });

  it('never sends secrets or .env files, and keeps line numbers', async () => {
    const key = 'AKIA' + Array.from(randomBytes(16), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[b % 32]).join('');
    const root = workspace({
      '.env': `AWS_ACCESS_KEY_ID=${key}\n`,
      'src/config.js': [`const id = "${key}";`, 'if (a == b) {}', ''].join('\n'),
    });
    dirs.push(root);
    const models = new FakeModels();
    const engine = createEngine({ config: testConfig(), providerFor: models.providerFor, scorer: createInterimScorer() });
    const result = await engine.analyze({ root, lane: 'interactive' });
    assert.ok(models.calls.every((c) => !c.prompt.includes(key)));
    assert.deepEqual(models.filesSent(), ['src/config.js']);
    assert.match(result.files.find((f) => f.path === '.env')!.reason!, /environment file/);
    const config = result.files.find((f) => f.path === 'src/config.js')!;
    assert.deepEqual(config.findings.map((f) => [f.ruleId, f.startLine]), [['eqeqeq', 2]]);
    assert.equal(result.redactions, 1);
    engine.dispose();
  });

  it('stops at the budget and reports the rest skipped with the reason', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 6; i++) files[`d${i}/f.js`] = `if (a == ${i}) {}\n`.repeat(200);
    const root = workspace(files);
    dirs.push(root);
    const models = new FakeModels();
    const engine = createEngine({ config: testConfig({ budget: { maxTokens: 2_500 } }), providerFor: models.providerFor, scorer: createInterimScorer() });
    const result = await engine.analyze({ root, lane: 'background' });
    const skipped = result.files.filter((f) => f.status === 'skipped');
    assert.equal(result.files.length, 6);
    assert.ok(skipped.length > 0, 'some files are over budget');
    assert.ok(skipped.every((f) => /budget reached/.test(f.reason!)));
    const spent = result.models.reduce((s, m) => s + m.inputTokens + m.outputTokens, 0);
    assert.ok(spent <= 2_500, `spent ${spent}`);
    engine.dispose();
  });

  it('asks again after malformed output, then fails the files with the reason', async () => {
    const root = workspace({ 'a.js': 'eval(x);\n' });
    dirs.push(root);
    const models = new FakeModels();
    models.behaviour = (_r, call) => (call === 1 ? { text: 'Sorry, no JSON here', usage: { inputTokens: 10, outputTokens: 5 }, stopReason: 'end_turn', latencyMs: 1 } : undefined);
    const engine = createEngine({ config: testConfig(), providerFor: models.providerFor, scorer: createInterimScorer() });
    const ok = await engine.analyze({ root, lane: 'interactive' });
    assert.equal(ok.files[0]!.status, 'analyzed');
    models.behaviour = () => ({ toolInput: { findings: 'none' }, usage: { inputTokens: 10, outputTokens: 5 }, stopReason: 'tool_use', latencyMs: 1 });
    const bad = await engine.analyze({ root, lane: 'interactive', noCache: true });
    assert.equal(bad.files[0]!.status, 'failed');
    assert.match(bad.files[0]!.reason!, /malformed model output/);
    engine.dispose();
  });

  it('falls back when one model is denied, and suppresses baselined findings', async () => {
    const root = workspace(SOURCES);
    dirs.push(root);
    const models = new FakeModels();
    const config = testConfig();
    const denied = config.models[1]!.id;
    models.behaviour = (r) => (r.modelId === denied ? accessDenied() : undefined);
    const engine = createEngine({ config, providerFor: models.providerFor, scorer: createInterimScorer() });
    const result = await engine.analyze({ root, lane: 'background' });
    assert.ok(result.files.filter((f) => f.path !== 'logo.png').every((f) => f.status === 'analyzed'), JSON.stringify(result.files));
    assert.ok(result.files.every((f) => f.model !== denied));
    engine.dispose();

    const baselinePath = join(tmp(), 'baseline.json');
    await writeBaseline(baselinePath, result.files.find((f) => f.path === 'src/app.js')!.findings.filter((f) => f.ruleId === 'no-eval'));
    const again = createEngine({ config: testConfig(), providerFor: new FakeModels().providerFor, scorer: createInterimScorer(), baselinePath });
    const filtered = await again.analyze({ root, lane: 'background' });
    assert.deepEqual(filtered.files.find((f) => f.path === 'src/app.js')!.findings.map((f) => f.ruleId), ['eqeqeq']);
    again.dispose();
  });

  it('cancels: every file still leaves with an outcome', async () => {
    const root = workspace(SOURCES);
    dirs.push(root);
    const models = new FakeModels();
    const controller = new AbortController();
    models.behaviour = () => {
      controller.abort();
      return new Error('aborted mid-call');
    };
    const engine = createEngine({ config: testConfig(), providerFor: models.providerFor, scorer: createInterimScorer() });
    const result = await engine.analyze({ root, lane: 'background', signal: controller.signal });
    assert.equal(result.cancelled, true);
    assert.equal(result.files.length, 5);
    assert.ok(result.files.filter((f) => f.path !== 'logo.png').every((f) => f.status === 'skipped' && f.reason === 'cancelled'));
    engine.dispose();
  });

  it('routes by size when the scorer breaks, and attributes events to their run', async () => {
    const root = workspace(SOURCES);
    dirs.push(root);
    const broken = { score: () => Promise.reject(new Error('worker died')), dispose() {} };
    const engine = createEngine({ config: testConfig(), providerFor: new FakeModels().providerFor, scorer: broken });
    const events: EngineEvent[] = [];
    engine.onEvent((e) => events.push(e));
    const result = await engine.analyze({ root, lane: 'background' });
    assert.equal(result.files.filter((f) => f.status === 'analyzed').length, 4);
    const batchEvents = events.filter((e) => e.type === 'batch-started' || e.type === 'batch-finished');
    assert.ok(batchEvents.length > 0 && batchEvents.every((e) => e.runId === result.runId));
    engine.dispose();
  });

  it('analyzes a file too large for one batch in chunks, with findings on original lines', async () => {
    const lines = Array.from({ length: 400 }, (_, i) => `const v${i} = compute(${i}); // padding padding padding`);
    lines[9] = 'eval(first);';
    lines[389] = 'eval(last);';
    const root = workspace({ 'big.js': lines.join('\n') + '\n' });
    dirs.push(root);
    const config = testConfig();
    config.models = config.models.map((m) => ({ ...m, maxKbPerBatch: 8 }));
    const models = new FakeModels();
    const engine = createEngine({ config, providerFor: models.providerFor, scorer: createInterimScorer(), cacheDir: tmp() });
    const result = await engine.analyze({ root, lane: 'background' });
    assert.ok(models.calls.length >= 3, `${models.calls.length} calls`);
    const big = result.files[0]!;
    assert.equal(big.status, 'analyzed');
    assert.deepEqual(big.findings.map((f) => [f.ruleId, f.startLine]), [['no-eval', 10], ['no-eval', 390]]);
    const again = await engine.analyze({ root, lane: 'background' });
    assert.equal(again.files[0]!.cached, true);
    assert.deepEqual(again.files[0]!.findings, big.findings);
    engine.dispose();
  });

  it('serves a file whose chunks went to two models from the cache whole: a rerun sends nothing', async () => {
    const lines = Array.from({ length: 400 }, (_, i) => `const v${i} = compute(${i}); // padding padding padding`);
    lines[9] = 'eval(first);';
    const root = workspace({ 'big.js': lines.join('\n') + '\n' });
    dirs.push(root);
    const config = testConfig();
    config.models = config.models.map((m) => ({ ...m, maxKbPerBatch: 8 }));
    const models = new FakeModels();
    // The light model throttles its second call once: that chunk moves to the strong one.
    let lightCalls = 0;
    models.behaviour = (request) =>
      request.modelId === config.models[1]!.id && ++lightCalls === 2 ? new ProviderError('throttled', 'ThrottlingException', 'Too many tokens, please wait before trying again.', 429) : undefined;
    const engine = createEngine({ config, providerFor: models.providerFor, scorer: createInterimScorer(), cacheDir: tmp() });
    const first = await engine.analyze({ root, lane: 'background' });
    assert.equal(first.files[0]!.status, 'analyzed', first.files[0]!.reason);
    assert.match(first.files[0]!.model ?? '', /, /, 'the chunks were analyzed by two models');
    const calls = models.calls.length;
    const again = await engine.analyze({ root, lane: 'background' });
    assert.equal(models.calls.length, calls, 'an unchanged tree sends 0 requests');
    assert.equal(again.files[0]!.cached, true);
    assert.deepEqual(again.files[0]!.findings.map((f) => [f.ruleId, f.startLine]), first.files[0]!.findings.map((f) => [f.ruleId, f.startLine]));
    engine.dispose();
  });

  it('estimates files, bytes, cached files and tokens without calling a model', async () => {
    const root = workspace(SOURCES);
    dirs.push(root);
    const models = new FakeModels();
    const engine = createEngine({ config: testConfig(), providerFor: models.providerFor, scorer: createInterimScorer() });
    const estimate = await engine.estimate({ root, lane: 'background' });
    assert.equal(estimate.files, 4);
    assert.equal(estimate.cachedFiles, 0);
    assert.ok(estimate.inputTokens > 0 && estimate.costUsd > 0);
    assert.equal(models.calls.length, 0);
    const report = await engine.testConnection();
    assert.ok(report.every((r) => r.ok));
    engine.dispose();
  });
});
