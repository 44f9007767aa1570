import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseUnifiedDiff, wholeFileChange } from '../../../src/core/changes/diff';
import { estimateTokens, renderBatchPrompt } from '../../../src/core/contract';
import { testConfig, workspace } from '../engine/fakes';
import { diffOf, Reviewer } from './helpers';

/** Three functions with one known problem each, and enough body that sending one is visibly less. */
function threeFunctions(edit = ''): string {
  const body = (name: string, problem: string) => [`function ${name}(x) {`, ...Array.from({ length: 12 }, (_, i) => `  const v${i} = x + ${i};`), `  ${problem}`, '  return x;', '}'];
  return [
    "import { load } from './load';",
    '',
    ...body('first', 'if (x == 1) go();'),
    '',
    ...body('second', `eval(x);${edit}`),
    '',
    ...body('third', 'try { go(); } catch (e) {}'),
    '',
  ].join('\n');
}

describe('changes/review: what is sent for a change, and what comes back', () => {
  const dirs: string[] = [];
  const reviewers: Reviewer[] = [];
  const reviewer = () => {
    const r = new Reviewer();
    reviewers.push(r);
    return r;
  };
  after(() => {
    reviewers.forEach((r) => r.dispose());
    dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  });

  it('sends the enclosing function of a changed line with true line numbers and the outline it calls, not the file', async () => {
    const before = threeFunctions();
    const after = threeFunctions(' third(x);');
    const root = workspace({ 'src/a.js': after });
    dirs.push(root);
    const r = reviewer();
    const result = await r.review({ root, changes: diffOf('src/a.js', before, after) });
    const sent = r.sent();
    assert.equal(sent.length, 1);
    const [excerpt] = sent;
    // `second` spans lines 20..35 of the file; its eval line (33) is the changed one.
    assert.equal(excerpt!.firstLine, 20);
    assert.equal(excerpt!.lines[0], 'function second(x) {');
    assert.deepEqual(excerpt!.changed, [33]);
    const prompt = r.models.calls[0]!.prompt;
    // The outline names what the excerpt calls (third), not what it never mentions (first).
    assert.match(prompt, /^outline 37\| function third\(x\) \{$/m);
    assert.doesNotMatch(prompt, /^outline 3\|/m);
    assert.doesNotMatch(prompt, /v11 = x \+ 11;\n.*if \(x == 1\)/, 'the first function body is not sent');
    const file = result.files.find((f) => f.path === 'src/a.js')!;
    assert.equal(file.status, 'analyzed');
    assert.deepEqual(file.findings.map((f) => [f.ruleId, f.startLine]), [['no-eval', 33]]);
    const whole = renderBatchPrompt([{ path: 'src/a.js', text: after }]);
    assert.ok(estimateTokens(prompt) < 0.75 * estimateTokens(whole), `well under the whole file (${estimateTokens(prompt)} vs ${estimateTokens(whole)})`);
    assert.deepEqual(result.changes, { files: 1, regions: 1, regionsSent: 1, regionsCached: 0, changedLines: 1, linesSent: 16 });
  });

  it('keeps only findings on changed lines by default; scope "all" shows everything said about the sent context', async () => {
    const before = 'function f(x) {\n  if (x == 1) go();\n  return x;\n}\n';
    const after = 'function f(x) {\n  if (x == 1) go();\n  eval(x);\n  return x;\n}\n';
    const root = workspace({ 'f.js': after });
    dirs.push(root);
    const changes = diffOf('f.js', before, after);
    const scoped = await reviewer().review({ root, changes });
    assert.deepEqual(scoped.files[0]!.findings.map((f) => f.ruleId), ['no-eval']);
    const all = await reviewer().review({ root, changes, scope: 'all' });
    assert.deepEqual(all.files[0]!.findings.map((f) => f.ruleId), ['eqeqeq', 'no-eval']);
  });

  it('caches per function: after editing one function of three, only that one is sent and the others keep their findings, lines shifted', async () => {
    const root = workspace({ 'src/a.js': threeFunctions() });
    dirs.push(root);
    const r = reviewer();
    // A new file: every function is changed, and the import line around it.
    const first = await r.review({ root, changes: diffOf('src/a.js', '', threeFunctions()) });
    assert.equal(first.changes.regionsSent, 4);
    const rules = (res: typeof first) => res.files[0]!.findings.map((f) => [f.ruleId, f.startLine, f.fingerprint]);
    assert.deepEqual(rules(first).map(([id, line]) => [id, line]), [['eqeqeq', 16], ['no-eval', 33], ['empty-catch', 50]]);

    // Edit `first` so that it grows by two lines: everything below shifts.
    const edited = threeFunctions().replace('  return x;\n}\n\nfunction second', '  log(x);\n  log(x);\n  return x;\n}\n\nfunction second');
    writeFileSync(join(root, 'src/a.js'), edited);
    const calls = r.models.calls.length;
    const second = await r.review({ root, changes: diffOf('src/a.js', '', edited) });
    const sent = r.sent(calls);
    assert.deepEqual(sent.map((s) => s.lines[0]), ['function first(x) {'], 'one function sent');
    assert.equal(second.changes.regionsSent, 1);
    assert.equal(second.changes.regionsCached, 3);
    assert.deepEqual(rules(second).map(([id, line]) => [id, line]), [['eqeqeq', 16], ['no-eval', 35], ['empty-catch', 52]]);
    // Fingerprints do not depend on lines: the unrelated edit leaves them as they were.
    assert.deepEqual(rules(second).map(([, , fp]) => fp), rules(first).map(([, , fp]) => fp));
  });

  it('names deleted code instead of sending it, and widens the deletion point to its function', async () => {
    const before = 'function f(x) {\n  a();\n  // TODO remove\n  b();\n}\n';
    const after = 'function f(x) {\n  a();\n  b();\n}\n';
    const root = workspace({ 'f.js': after });
    dirs.push(root);
    const r = reviewer();
    await r.review({ root, changes: diffOf('f.js', before, after) });
    const prompt = r.models.calls[0]!.prompt;
    // Named where it stood: between lines 2 and 3 of the listing.
    assert.match(prompt, /^2\+\| {3}a\(\);\n\(removed 1 line\)\n3\+\| {3}b\(\);$/m);
    assert.doesNotMatch(prompt, /TODO remove/);
    assert.deepEqual(r.sent()[0]!.changed, [2, 3]);
  });

  it('every file of the diff leaves with an outcome: deleted, binary, outside the folder, not matching the disk', async () => {
    const root = workspace({ 'ok.js': 'eval(x);\n', 'stale.js': 'something else\n' });
    dirs.push(root);
    const diff = [
      'diff --git a/gone.js b/gone.js', 'deleted file mode 100644', '--- a/gone.js', '+++ /dev/null', '@@ -1 +0,0 @@', '-x',
      'diff --git a/img.png b/img.png', 'Binary files a/img.png and b/img.png differ',
      '--- a/../../etc/passwd', '+++ b/../../etc/passwd', '@@ -1 +1 @@', '-a', '+b',
      '--- a/stale.js', '+++ b/stale.js', '@@ -1 +1 @@', '-a', '+eval(y);',
      '--- /dev/null', '+++ b/ok.js', '@@ -0,0 +1 @@', '+eval(x);', '',
    ].join('\n');
    const r = reviewer();
    const result = await r.review({ root, changes: parseUnifiedDiff(diff) });
    const by = new Map(result.files.map((f) => [f.path, f]));
    assert.equal(result.files.length, 5);
    assert.match(by.get('gone.js')!.reason!, /deleted/);
    assert.match(by.get('img.png')!.reason!, /binary/);
    assert.match(by.get('../../etc/passwd')!.reason!, /outside the folder/);
    assert.match(by.get('stale.js')!.reason!, /does not match/);
    assert.deepEqual(by.get('ok.js')!.findings.map((f) => f.ruleId), ['no-eval']);
    assert.deepEqual(r.sent().map((s) => s.path), ['ok.js']);
  });

  it('sends redacted text only, and keeps never-send files home', async () => {
    const secret = `AKIA${'Q'.repeat(4)}${'7'.repeat(12)}`;
    const after = `function f() {\n  const key = "${secret}";\n  eval(key);\n}\n`;
    const root = workspace({ 'f.js': after, '.env': 'TOKEN=abc\n' });
    dirs.push(root);
    const r = reviewer();
    const changes = [...diffOf('f.js', '', after), ...diffOf('.env', '', 'TOKEN=abc\n')];
    const result = await r.review({ root, changes });
    const prompts = r.models.calls.map((c) => c.prompt).join('\n');
    assert.ok(!prompts.includes(secret), 'the secret never leaves');
    assert.match(prompts, /«redacted:/);
    assert.equal(result.files.find((f) => f.path === '.env')!.status, 'skipped');
    assert.ok(!prompts.includes('TOKEN=abc'));
  });

  it('outlines the signatures the changed file imports, through redaction; files that must not be sent are left out', async () => {
    const token = `ghp_${'A1b2C3d4'.repeat(4)}abcd`;
    const lib = [`export function helper(a, key = "${token}") {`, '  return a;', '}', 'function internal() {', '  return 1;', '}', 'export function other(b) {', '  return b;', '}', ''].join('\n');
    const after = "import { helper } from './lib';\nimport { k } from './.env.js';\n\nfunction f(x) {\n  return helper(x);\n}\n";
    const root = workspace({ 'src/a.js': after, 'src/lib.js': lib, 'src/.env.js': 'export function k() {\n  return 1;\n}\n' });
    dirs.push(root);
    const r = reviewer();
    await r.review({ root, changes: diffOf('src/a.js', after.replace('return helper(x);', 'return x;'), after) });
    const prompt = r.models.calls[0]!.prompt;
    assert.match(prompt, /^import src\/lib\.js 1\| export function helper\(a, key = "«redacted:/m);
    assert.ok(!prompt.includes(token), 'a secret in an imported signature never leaves');
    assert.doesNotMatch(prompt, /function internal|function other/, 'only what is imported');
    assert.doesNotMatch(prompt, /\.env\.js \d+\||function k/, 'a never-send file gives no signatures');
  });

  it('does not name the deletion of a rewritten line (its mark says it), but does when more lines went than came', async () => {
    const before = 'function f(x) {\n  a();\n  b();\n  c();\n  d();\n}\n';
    const root = workspace({ 'f.js': before.replace('  b();', '  bb();') });
    dirs.push(root);
    const r = reviewer();
    await r.review({ root, changes: diffOf('f.js', before, before.replace('  b();', '  bb();')) });
    assert.match(r.models.calls[0]!.prompt, /^3\+\| {3}bb\(\);$/m);
    assert.doesNotMatch(r.models.calls[0]!.prompt, /removed/);
    const shorter = before.replace('  b();\n  c();\n', '  bc();\n');
    const root2 = workspace({ 'f.js': shorter });
    dirs.push(root2);
    await r.review({ root: root2, changes: diffOf('f.js', before, shorter) });
    assert.match(r.models.calls[1]!.prompt, /^\(removed 2 lines\)\n3\+\| {3}bc\(\);$/m);
  });

  it('a file the change adds is sent as whole-file analysis sends it: one block, changed=all, nothing of another file', async () => {
    const lib = 'export function helper(a) {\n  return a;\n}\n';
    const added = "import { helper } from './lib';\n\nfunction f(x) {\n  return helper(x);\n}\n\nfunction g(y) {\n  eval(y);\n}\n";
    const root = workspace({ 'src/new.js': added, 'src/lib.js': lib });
    dirs.push(root);
    const r = reviewer();
    const result = await r.review({ root, changes: diffOf('src/new.js', '', added) });
    const prompt = r.models.calls[0]!.prompt;
    assert.equal(r.models.calls.length, 1);
    assert.equal(prompt.match(/<<<CHORUS FILE/g)!.length, 1, 'its functions share one block');
    assert.match(prompt, /<<<CHORUS FILE path="src\/new\.js" lines=\d+ changed=all>>>/);
    assert.doesNotMatch(prompt, /\d\+\| /, 'no mark on each line');
    assert.doesNotMatch(prompt, /CHORUS CHANGE|import src\/lib/, 'no imported signatures: whole-file analysis sends none');
    assert.deepEqual(result.files[0]!.findings.map((f) => [f.ruleId, f.startLine]), [['no-eval', 8]]);
  });

  it('cancelled mid-run: every file of the diff still leaves, the unsent ones skipped as cancelled', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 6; i++) files[`f${i}.js`] = `function f${i}(x) {\n  eval(x);\n}\n`;
    const root = workspace(files);
    dirs.push(root);
    const r = reviewer();
    const abort = new AbortController();
    r.models.behaviour = () => {
      abort.abort(new Error('stop'));
      return undefined;
    };
    const changes = Object.entries(files).flatMap(([path, text]) => diffOf(path, '', text));
    const result = await r.review({ root, changes, signal: abort.signal });
    assert.equal(result.files.length, 6);
    assert.ok(result.files.every((f) => f.status === 'analyzed' || (f.status === 'skipped' && f.code === 'cancelled')), JSON.stringify(result.files.map((f) => [f.path, f.status, f.reason])));
  });

  it('cuts a changed function larger than any batch into line ranges with true line numbers (not cached per function)', async () => {
    const body = Array.from({ length: 80 }, (_, i) => `  const value${i} = compute(x, ${i}); // padding padding padding`);
    const after = ['function big(x) {', ...body, '  eval(x);', '}', ''].join('\n');
    const root = workspace({ 'big.js': after });
    dirs.push(root);
    const config = testConfig();
    const r = new Reviewer({ ...config, models: config.models.map((m) => ({ ...m, maxKbPerBatch: 2 })) });
    reviewers.push(r);
    const first = await r.review({ root, changes: diffOf('big.js', '', after) });
    const sent = r.sent();
    assert.ok(sent.length >= 2, `cut into ${sent.length} piece(s)`);
    assert.equal(sent[0]!.firstLine, 1);
    assert.deepEqual(first.files[0]!.findings.filter((f) => f.ruleId === 'no-eval').map((f) => f.startLine), [82]);
    const calls = r.models.calls.length;
    await r.review({ root, changes: diffOf('big.js', '', after) });
    assert.ok(r.models.calls.length > calls, 'a cut function is not served from the function cache');
  });

  it('a save of a file reviewed before (wholeFileChange) sends only the edited function; CRLF files keep their lines', async () => {
    const text = 'function a(x) {\r\n  eval(x);\r\n  return x;\r\n}\r\n\r\nfunction b(y) {\r\n  return y == 1;\r\n}\r\n';
    const root = workspace({ 'c.js': text });
    dirs.push(root);
    const r = reviewer();
    const first = await r.review({ root, changes: [wholeFileChange('c.js')], lane: 'interactive' });
    assert.deepEqual(first.files[0]!.findings.map((f) => [f.ruleId, f.startLine]), [['no-eval', 2], ['eqeqeq', 7]]);
    writeFileSync(join(root, 'c.js'), text.replace('return y == 1;', 'return y == 2;'));
    const calls = r.models.calls.length;
    const second = await r.review({ root, changes: [wholeFileChange('c.js')], lane: 'interactive' });
    assert.deepEqual(r.sent(calls).map((e) => [e.firstLine, e.lines[0]]), [[6, 'function b(y) {']]);
    assert.deepEqual(second.files[0]!.findings.map((f) => [f.ruleId, f.startLine]), [['no-eval', 2], ['eqeqeq', 7]]);
  });

  it('suppresses baselined fingerprints like a whole-file run', async () => {
    const after = 'function f(x) {\n  eval(x);\n}\n';
    const root = workspace({ 'f.js': after });
    dirs.push(root);
    const first = await reviewer().review({ root, changes: diffOf('f.js', '', after) });
    const fp = first.files[0]!.findings[0]!.fingerprint;
    const second = await reviewer().review({ root, changes: diffOf('f.js', '', after) }, new Set([fp]));
    assert.deepEqual(second.files[0]!.findings, []);
  });
});
