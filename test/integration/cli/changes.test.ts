/**
 * Change review through the CLI against the emulator: `--changed-since REF` (hunk-level) and
 * `--diff FILE|-`, findings on changed lines only by default, SARIF and the baseline still working.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeFileSync } from 'node:fs';
import { cliEnv, parseReport, runChorus, tempDir, useCliSuite, writeTree, type CliRun } from './helpers';

const BEFORE = [
  'function first(x) {',
  '  if (x == 1) go();',
  '  return x;',
  '}',
  '',
  'function second(x) {',
  '  // TODO later',
  '  return x;',
  '}',
  '',
].join('\n');
// `second` gains an eval (line 8) below its old TODO; `first` keeps its old eqeqeq. Neither old
// problem is on a changed line.
const AFTER = BEFORE.replace('  // TODO later\n', '  // TODO later\n  eval(x);\n');

const REPO = resolve(__dirname, '..', '..', '..');
const TSX = pathToFileURL(join(REPO, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

/** `chorus` with a diff on stdin. */
function runWithStdin(args: string[], env: NodeJS.ProcessEnv, stdin: string): Promise<CliRun> {
  return new Promise((done) => {
    const child = execFile(process.execPath, ['--import', TSX, join(REPO, 'src', 'cli', 'main.ts'), ...args], { env, cwd: REPO, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
    child.stdin!.end(stdin);
  });
}

describe('chorus analyze: change review (CLI against the emulator)', function () {
  this.timeout(600_000);
  const suite = useCliSuite();

  function repo(): { root: string; git: (...args: string[]) => string } {
    const root = suite.dir(writeTree(tempDir('changes'), { 'src/a.js': BEFORE, 'src/untouched.js': 'eval(y);\n' }));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: root, stdio: 'pipe' }).toString();
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'base');
    writeFileSync(join(root, 'src/a.js'), AFTER);
    return { root, git };
  }

  it('--changed-since HEAD sends the changed function only and reports findings on changed lines', async () => {
    const { root } = repo();
    const env = cliEnv(suite.dir(tempDir('cache')));
    const since = suite.emu.requests().length;
    const run = await runChorus(['analyze', root, '--endpoint', suite.emu.url, '--format', 'json', '--changed-since', 'HEAD'], env);
    assert.equal(run.code, 0, run.stderr);
    const report = parseReport(run);
    assert.deepEqual(report.files.map((f) => f.path), ['src/a.js'], 'an unchanged file is not reviewed');
    assert.deepEqual(report.files[0]!.findings.map((f) => [f.ruleId, f.startLine]), [['no-eval', 8]]);
    assert.match(run.stderr, /change review: 1 changed line\(s\) in 1 file\(s\), 1 function\(s\) or excerpt\(s\): 1 sent, 0 from the cache/);
    const requests = suite.emu.requests({ since });
    assert.equal(requests.length, 1);

    // --all-findings: everything the model said about the code sent (the TODO in the same function);
    // `first` was not sent, so its eqeqeq is not there either way.
    const all = parseReport(await runChorus(['analyze', root, '--endpoint', suite.emu.url, '--format', 'json', '--changed-since', 'HEAD', '--all-findings'], env));
    assert.deepEqual(all.files[0]!.findings.map((f) => [f.ruleId, f.startLine]), [['todo-comment', 7], ['no-eval', 8]]);

    const bad = await runChorus(['analyze', root, '--endpoint', suite.emu.url, '--changed-since', '--upload-pack=evil'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /Invalid git ref/);
  });

  it('--diff FILE and --diff - review a pull request\'s diff; SARIF and the baseline keep working', async () => {
    const { root, git } = repo();
    const diff = git('diff');
    const diffFile = join(suite.dir(tempDir('diff')), 'pr.diff');
    writeFileSync(diffFile, diff);
    const env = cliEnv(suite.dir(tempDir('cache')));
    const sarifRun = await runChorus(['analyze', root, '--endpoint', suite.emu.url, '--format', 'sarif', '--diff', diffFile], env);
    assert.equal(sarifRun.code, 0, sarifRun.stderr);
    const sarif = JSON.parse(sarifRun.stdout) as { runs: { results: { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[] };
    assert.deepEqual(sarif.runs[0]!.results.map((r) => [r.ruleId, r.locations[0]!.physicalLocation.region.startLine]), [['no-eval', 8]]);

    const fromStdin = parseReport(await runWithStdin(['analyze', root, '--endpoint', suite.emu.url, '--format', 'json', '--diff', '-'], env, diff));
    assert.deepEqual(fromStdin.files[0]!.findings.map((f) => [f.ruleId, f.startLine]), [['no-eval', 8]]);

    const baseline = join(root, 'chorus-baseline.json');
    const made = await runChorus(['baseline', root, '--endpoint', suite.emu.url, '--output', baseline], env);
    assert.equal(made.code, 0, made.stderr);
    const quiet = parseReport(await runChorus(['analyze', root, '--endpoint', suite.emu.url, '--format', 'json', '--diff', diffFile, '--baseline', baseline], env));
    assert.deepEqual(quiet.files.flatMap((f) => f.findings), [], 'a baselined finding stays suppressed in change mode (same fingerprint)');

    const broken = await runWithStdin(['analyze', root, '--endpoint', suite.emu.url, '--diff', '-'], env, '--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n');
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /Malformed diff at line/);
    const both = await runChorus(['analyze', root, '--endpoint', suite.emu.url, '--diff', diffFile, '--changed-since', 'HEAD'], env);
    assert.equal(both.code, 2);
  });
});
