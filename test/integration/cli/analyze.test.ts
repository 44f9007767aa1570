import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { cliEnv, parseReport, runChorus, sampleWorkspace, SAMPLE, tempDir, useCliSuite, writeTree } from './helpers';

describe('chorus analyze (CLI against the emulator)', function () {
  this.timeout(600_000); // each CLI run is a fresh Node process; slow on a busy machine
  const suite = useCliSuite();

  it('reports JSON with every file accounted for and findings on the right lines', async () => {
    const root = suite.dir(sampleWorkspace());
    const run = await runChorus(['analyze', root, '--endpoint', suite.emu.url, '--format', 'json'], cliEnv(suite.dir(tempDir('cache'))));
    assert.equal(run.code, 0, run.stderr);
    const report = parseReport(run);
    assert.deepEqual(report.files.map((f) => f.path).sort(), Object.keys(SAMPLE).sort());
    assert.ok(report.files.every((f) => f.status === 'analyzed' && f.model), JSON.stringify(report.files));
    const app = report.files.find((f) => f.path === 'src/app.js')!;
    assert.deepEqual(app.findings.map((f) => [f.ruleId, f.startLine, f.severity]), [['eqeqeq', 2, 'warning'], ['no-eval', 3, 'error']]);
    assert.ok(app.findings.every((f) => f.file === 'src/app.js' && /^[0-9a-f]{32}$/.test(f.fingerprint) && f.model === app.model));
    assert.ok(report.models.length >= 2 && report.models.reduce((s, m) => s + m.requests, 0) >= 1);
    assert.ok(report.routing.length >= 1 && report.routing.every((r) => r.reasons.length > 0));
    assert.equal(typeof report.elapsedMs, 'number');
    assert.match(run.stderr, /analyzing 5 file\(s\)/);
  });

  it('writes SARIF 2.1.0 that validates against the official schema', async () => {
    const root = suite.dir(sampleWorkspace());
    const out = join(suite.dir(tempDir('out')), 'chorus.sarif');
    const run = await runChorus(['analyze', root, '--endpoint', suite.emu.url, '--format', 'sarif', '--output', out], cliEnv(suite.dir(tempDir('cache'))));
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, '');
    const text = readFileSync(out, 'utf8');
    interface SarifResult { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[]; partialFingerprints: Record<string, string>; properties: { model: string } }
    const sarif = JSON.parse(text) as { runs: { results: SarifResult[]; tool: { driver: { rules: { id: string }[] } } }[] };
    // The vendored schema is draft-04; ajv 8 reads it once its draft-04 `id`/`$schema` are dropped
    // (the schema uses no other draft-04-only keyword). Its `language` pattern has a stray `]` that
    // only non-unicode regular expressions accept, hence unicodeRegExp: false.
    const schema = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'sarif-2.1.0-rtm.5.json'), 'utf8'));
    delete schema.$schema;
    delete schema.id;
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false });
    const validate = ajv.compile(schema);
    assert.ok(validate(JSON.parse(text)), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    const results = sarif.runs[0]!.results;
    const evalResult = results.find((r) => r.ruleId === 'no-eval')!;
    assert.equal(evalResult.locations[0]!.physicalLocation.region.startLine, 3);
    assert.ok(Object.values(evalResult.partialFingerprints)[0]);
    assert.match(evalResult.properties.model, /^us\./);
    assert.ok(sarif.runs[0]!.tool.driver.rules.some((r) => r.id === 'no-eval'));
  });

  it('prints text grouped by file, then the per-model summary', async () => {
    const root = suite.dir(sampleWorkspace());
    const run = await runChorus(['analyze', root, '--endpoint', suite.emu.url], cliEnv(suite.dir(tempDir('cache'))));
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^src\/app\.js\n {2}2 +warning +\[emulator\] Loose equality/m);
    assert.match(run.stdout, /^ {2}3 +error +\[emulator\] `eval`/m);
    assert.match(run.stdout, /^model +requests +input tok/m);
    assert.match(run.stdout, /^us\.amazon\.nova-pro-v1:0 +\d+/m);
  });

  it('exits 1 on findings at or above --fail-on, 0 below it, 2 on usage errors', async () => {
    const root = suite.dir(sampleWorkspace());
    const env = cliEnv(suite.dir(tempDir('cache')));
    assert.equal((await runChorus(['analyze', root, '--endpoint', suite.emu.url, '--fail-on', 'error'], env)).code, 1);
    const clean = suite.dir(writeTree(tempDir('clean'), { 'a.py': 'x = 1\n', 'b.js': '// TODO: later\n' }));
    assert.equal((await runChorus(['analyze', clean, '--endpoint', suite.emu.url, '--fail-on', 'warning'], env)).code, 0);
    assert.equal((await runChorus(['analyze', clean, '--endpoint', suite.emu.url, '--fail-on', 'info'], env)).code, 1);
    const badFlag = await runChorus(['analyze', clean, '--fail-on', 'fatal'], env);
    assert.equal(badFlag.code, 2);
    assert.match(badFlag.stderr, /fatal/);
    const missing = await runChorus(['analyze', join(clean, 'nope')], env);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /is not a folder/);
    const budget = await runChorus(['analyze', clean, '--max-tokens', 'lots'], env);
    assert.equal(budget.code, 2);
    assert.match(budget.stderr, /--max-tokens expects a positive number/);
    writeTree(clean, { 'chorus.config.json': '{"modles": []}' });
    const badConfig = await runChorus(['analyze', clean], env);
    assert.equal(badConfig.code, 2);
    assert.match(badConfig.stderr, /chorus\.config\.json.*modles/);
  });

  it('sends nothing on a second run over an unchanged tree; --no-cache and cache clear send again', async () => {
    const root = suite.dir(sampleWorkspace());
    const cache = suite.dir(tempDir('cache'));
    const env = cliEnv(cache);
    const args = ['analyze', root, '--endpoint', suite.emu.url, '--format', 'json'];
    assert.equal((await runChorus(args, env)).code, 0);
    const afterFirst = suite.emu.requests().length;
    const second = await runChorus(args, env);
    assert.equal(suite.emu.requests().length, afterFirst, 'the second run sent requests');
    const report = parseReport(second);
    assert.ok(report.files.every((f) => f.cached === true));
    assert.equal(report.models.reduce((s, m) => s + m.inputTokens, 0), 0);
    assert.deepEqual(report.files.find((f) => f.path === 'src/app.js')!.findings.map((f) => f.startLine), [2, 3]);

    await runChorus([...args, '--no-cache'], env);
    const afterNoCache = suite.emu.requests().length;
    assert.ok(afterNoCache > afterFirst);
    const cleared = await runChorus(['cache', 'clear'], env);
    assert.equal(cleared.code, 0, cleared.stderr);
    assert.ok(!existsSync(cache) || readdirSync(cache).length === 0);
    await runChorus(args, env);
    assert.ok(suite.emu.requests().length > afterNoCache);
  });

  it('stops at --max-tokens and reports the rest skipped with the reason', async () => {
    const files: Record<string, string> = {};
    // Eight 60 KB files: more than one batch, so a budget can stop the run part-way.
    for (let i = 0; i < 8; i++) files[`pkg${i}/mod.js`] = `if (value == ${i}) { run(); }\n` + `export const v${i} = ${'1234567890'.repeat(5)};\n`.repeat(1000);
    const root = suite.dir(writeTree(tempDir('budget'), files));
    const run = await runChorus(['analyze', root, '--endpoint', suite.emu.url, '--format', 'json', '--max-tokens', '60000'], cliEnv(suite.dir(tempDir('cache'))));
    assert.equal(run.code, 0, run.stderr);
    const report = parseReport(run);
    assert.equal(report.files.length, 8);
    const skipped = report.files.filter((f) => f.status === 'skipped');
    assert.ok(skipped.length > 0 && skipped.length < 8, JSON.stringify(report.files.map((f) => f.status)));
    assert.ok(skipped.every((f) => /budget reached/.test(f.reason ?? '')));
    const spent = report.models.reduce((s, m) => s + m.inputTokens + m.outputTokens, 0);
    assert.ok(spent <= 60_000, `spent ${spent}`);
  });
});
