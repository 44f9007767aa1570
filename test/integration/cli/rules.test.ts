/**
 * Repository rules and noise flags through the CLI, against the emulator: what the rules files add
 * is read back from the emulator's request log (the prompt it received), what the flags hide from
 * the JSON report.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cliEnv, parseReport, runChorus, SAMPLE, tempDir, useCliSuite, writeTree } from './helpers';

describe('chorus analyze: repository rules and noise control (CLI against the emulator)', function () {
  this.timeout(600_000);
  const suite = useCliSuite();
  const promptsSince = (seq: number) => suite.emu.requests({ includeBodies: true }).filter((r) => r.seq > seq).map((r) => r.prompt ?? '');
  const lastSeq = () => suite.emu.requests().at(-1)?.seq ?? 0;

  it('AGENTS.md, .chorus/instructions.md and path instructions reach the prompt, redacted; --no-repo-rules leaves them out', async () => {
    const secret = `AKIA${randomBytes(8).toString('hex').toUpperCase()}`;
    const root = suite.dir(writeTree(tempDir('rules'), {
      ...SAMPLE,
      'AGENTS.md': `Team rule: money is in cents. Deploy key ${secret}\n`,
      '.chorus/instructions.md': 'Prefer early returns.\n',
      '.chorus/rules.json': JSON.stringify({ paths: [{ files: 'lib/**', instructions: 'Python here targets 3.12.' }] }),
    }));
    const before = lastSeq();
    const run = await runChorus(['analyze', root, '--endpoint', suite.emu.url, '--format', 'json', '--no-cache'], cliEnv(suite.dir(tempDir('cache'))));
    assert.equal(run.code, 0, run.stderr);
    const prompts = promptsSince(before);
    assert.ok(prompts.length > 0);
    for (const prompt of prompts) {
      assert.match(prompt, /Repository conventions \(from \.chorus\/instructions\.md, AGENTS\.md, \.chorus\/rules\.json\)/);
      assert.ok(prompt.includes('money is in cents') && prompt.includes('Prefer early returns.') && prompt.includes('For files matching "lib/**": Python here targets 3.12.'));
      assert.ok(!prompt.includes(secret), 'the secret in AGENTS.md was sent');
    }
    assert.match(run.stderr, /AGENTS\.md: 1 secret\(s\) redacted before sending/);
    assert.match(run.stderr, /repository rules from \.chorus\/instructions\.md, AGENTS\.md, \.chorus\/rules\.json; --no-repo-rules to ignore them/);
    // The rules files are analyzed like any file (AGENTS.md is documentation, still a file of the folder).
    const report = parseReport(run);
    assert.ok(report.files.every((f) => f.status !== 'failed'));

    const quiet = lastSeq();
    const off = await runChorus(['analyze', root, '--endpoint', suite.emu.url, '--format', 'json', '--no-cache', '--no-repo-rules'], cliEnv(suite.dir(tempDir('cache'))));
    assert.equal(off.code, 0, off.stderr);
    // AGENTS.md is still analyzed as a file of the folder; it is no longer guidance.
    assert.ok(promptsSince(quiet).every((p) => !p.includes('Repository conventions') && !p.includes('Prefer early returns.') && !/^Project guidance:/m.test(p)));
    // .chorus/ holds Chorus's own files (rules, the baseline a dismissal rewrites): never analyzed.
    assert.ok(!parseReport(off).files.some((f) => f.path.startsWith('.chorus/')));
  });

  it('an invalid rules file stops the run with exit 2 naming the file and field, before anything is sent', async () => {
    const root = suite.dir(writeTree(tempDir('rules-bad'), { ...SAMPLE, '.chorus/rules.json': JSON.stringify({ paths: [{ files: 'src/**', severity: { 'no-eval': 'loud' } }] }) }));
    const before = lastSeq();
    const run = await runChorus(['analyze', root, '--endpoint', suite.emu.url], cliEnv(suite.dir(tempDir('cache'))));
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /\.chorus\/rules\.json: paths\[0\]\.severity\.no-eval: expected error, warning, info or off/);
    assert.equal(lastSeq(), before, 'requests were sent');
  });

  it('rules.json quiets findings per path; noise flags filter what is shown and what --fail-on counts', async () => {
    const root = suite.dir(writeTree(tempDir('noise'), {
      ...SAMPLE,
      '.chorus/rules.json': JSON.stringify({ paths: [{ files: 'src/util.ts', severity: { 'todo-comment': 'off' } }, { files: 'lib/**', categoriesOff: ['error-handling'] }] }),
    }));
    const env = cliEnv(suite.dir(tempDir('cache')));
    const all = parseReport(await runChorus(['analyze', root, '--endpoint', suite.emu.url, '--format', 'json'], env));
    const rules = (r: typeof all, path: string) => r.files.find((f) => f.path === path)!.findings.map((f) => f.ruleId);
    assert.deepEqual(rules(all, 'src/util.ts'), ['empty-catch'], 'todo-comment is off in src/util.ts');
    assert.deepEqual(rules(all, 'lib/tool.py'), [], 'error-handling is off under lib/');
    assert.deepEqual(rules(all, 'src/app.js'), ['eqeqeq', 'no-eval']);

    // Same cache: noise is applied to what is shown, so the second run costs no request.
    const before = lastSeq();
    const run = await runChorus(['analyze', root, '--endpoint', suite.emu.url, '--format', 'json', '--min-severity', 'error', '--fail-on', 'warning'], env);
    assert.equal(lastSeq(), before);
    assert.equal(run.code, 1, 'no-eval is an error: still counted');
    const strict = parseReport(run);
    assert.deepEqual(rules(strict, 'src/app.js'), ['no-eval']);
    assert.deepEqual(rules(strict, 'src/util.ts'), []);
    assert.match(run.stderr, /not shown: .*2 below error/);

    const capped = parseReport(await runChorus(['analyze', root, '--endpoint', suite.emu.url, '--format', 'json', '--max-findings-per-file', '1', '--hide-category', 'security'], env));
    assert.deepEqual(rules(capped, 'src/app.js'), ['eqeqeq']);

    const bad = await runChorus(['analyze', root, '--endpoint', suite.emu.url, '--max-findings-per-file', 'ten', '--hide-category', 'loud'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--max-findings-per-file: expected a whole number above 0\n.*--hide-category: expected categories among security/);
  });

  it('dismissals in the folder\'s .chorus/baseline.json (written by the editor) hold for the CLI too', async () => {
    const root = suite.dir(writeTree(tempDir('dismissed'), {
      ...SAMPLE,
      '.chorus/baseline.json': JSON.stringify({ version: 1, createdAt: '2026-01-01T00:00:00.000Z', findings: [], ignoredRules: [{ file: 'src/app.js', ruleId: 'eqeqeq' }] }),
    }));
    const env = cliEnv(suite.dir(tempDir('cache')));
    const run = await runChorus(['analyze', root, '--endpoint', suite.emu.url, '--format', 'json'], env);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(parseReport(run).files.find((f) => f.path === 'src/app.js')!.findings.map((f) => f.ruleId), ['no-eval']);
    assert.match(run.stderr, /findings dismissed in \.chorus\/baseline\.json are not shown/);
    const all = parseReport(await runChorus(['analyze', root, '--endpoint', suite.emu.url, '--format', 'json', '--no-repo-rules'], env));
    assert.deepEqual(all.files.find((f) => f.path === 'src/app.js')!.findings.map((f) => f.ruleId), ['eqeqeq', 'no-eval']);
  });
});
