/**
 * Hostile input, part 1: a pull request chooses neither where the code goes nor what the cache
 * serves. The CLI runs as CI runs it, against the emulator (the user's destination) and a second,
 * "attacker" server on loopback that records whatever reaches it.
 */
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliEnv, parseReport, runChorus, SAMPLE, tempDir, useCliSuite, writeTree } from '../integration/cli/helpers';
import { converseBody, startHostileBedrock, type HostileBedrock } from './hostileBedrock';

const FILES = Object.keys(SAMPLE).length;

/** Every file of the run analyzed, and at least the sample's. */
function assertAllAnalyzed(run: Parameters<typeof parseReport>[0]): ReturnType<typeof parseReport> {
  const report = parseReport(run);
  assert.ok(report.files.length >= FILES, `${report.files.length} files`);
  assert.deepEqual(report.files.filter((f) => f.status !== 'analyzed').map((f) => `${f.path}: ${f.reason}`), []);
  return report;
}

describe('hostile input: where code goes and what the cache serves (CLI)', function () {
  this.timeout(180_000);
  const suite = useCliSuite();
  let attacker: HostileBedrock;
  before(async () => (attacker = await startHostileBedrock(() => ({ json: converseBody({ toolInput: { findings: [] } }) }))));
  after(async () => attacker.close());
  beforeEach(() => (attacker.calls.length = 0));

  /** A pull request's tree: the sample code plus a config that points everything at the attacker. */
  function pullRequest(extra: Record<string, string> = {}): string {
    const config = JSON.stringify({ endpoint: attacker.url, region: 'eu-west-3', profile: 'prod-admin', maxFileKb: 256 });
    return suite.dir(writeTree(tempDir('pr'), { ...SAMPLE, 'chorus.config.json': config, ...extra }));
  }

  it("a committed chorus.config.json cannot send the code elsewhere or sign with another profile", async () => {
    const repo = pullRequest();
    const before = suite.emu.requests().length;
    const env = cliEnv(suite.dir(tempDir('cache')), { AWS_SESSION_TOKEN: 'ci-session-token-' + Date.now() });
    const run = await runChorus(['analyze', repo, '--endpoint', suite.emu.url, '--format', 'json'], env);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(attacker.calls.length, 0, 'nothing reached the attacker');
    assert.ok(suite.emu.requests().length > before, 'the code went where the user said');
    assert.match(run.stderr, /chorus\.config\.json is inside the analyzed folder.*ignored "endpoint", "region", "profile"/);
    // "prod-admin" does not exist here: had it been used, the SDK would have failed to find credentials.
    assertAllAnalyzed(run);
  });

  it('--config is resolved against the working directory: a same-named file in the pull request does not win', async () => {
    const repo = pullRequest({ 'ci-chorus.json': JSON.stringify({ endpoint: attacker.url }) });
    const ci = suite.dir(writeTree(tempDir('ci'), { 'ci-chorus.json': JSON.stringify({ endpoint: suite.emu.url }) }));
    const run = await runChorus(['analyze', repo, '--config', 'ci-chorus.json', '--format', 'json'], cliEnv(suite.dir(tempDir('cache'))), ci);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(attacker.calls.length, 0);
    assertAllAnalyzed(run);
  });

  it('--trust-repo-config is the one way a file in the tree chooses the destination (the attacker then sees the code)', async () => {
    const repo = pullRequest({ 'chorus.config.json': JSON.stringify({ endpoint: attacker.url }) });
    const run = await runChorus(['analyze', repo, '--trust-repo-config', '--format', 'json'], cliEnv(suite.dir(tempDir('cache'))));
    assert.ok(attacker.calls.length > 0, `the trusted file chose the attacker (exit ${run.code}: ${run.stderr})`);
  });

  it('an answer from another destination is never served from the cache; tampered entries are re-analyzed', async () => {
    const repo = suite.dir(writeTree(tempDir('ws'), SAMPLE));
    const cacheDir = suite.dir(tempDir('cache'));
    const env = cliEnv(cacheDir);
    // 1. A run against the attacker, who says "no findings" for everything.
    const poisoned = await runChorus(['analyze', repo, '--endpoint', attacker.url, '--format', 'json'], env);
    assert.equal(poisoned.code, 0, poisoned.stderr);
    assert.ok(attacker.calls.length > 0);
    assert.ok(readdirSync(cacheDir).length > 0, 'the attacker’s verdicts were cached (under its destination)');
    // 2. The trusted run asks its own destination and reports real findings.
    const before = suite.emu.requests().length;
    const trusted = parseReport(await runChorus(['analyze', repo, '--endpoint', suite.emu.url, '--format', 'json'], env));
    assert.ok(suite.emu.requests().length > before, 'the trusted run was not served the attacker’s answers');
    assert.ok(trusted.files.some((f) => f.findings.length > 0), 'real findings');
    assert.ok(trusted.files.every((f) => f.cached !== true));
    // 3. Tamper with every entry: wrong shapes, a null list, a finding of the wrong type.
    const entries = readdirSync(cacheDir).filter((n) => n.endsWith('.json'));
    entries.forEach((name, i) => {
      const bodies = ['{"model":"x","findings":null}', '{"model":"us.amazon.nova-pro-v1:0","findings":[{"file":3,"startLine":"x"}]}', '[1,2', '{"model":"us.meta.llama3-3-70b-instruct-v1:0","findings":[null]}'];
      writeFileSync(join(cacheDir, name), bodies[i % bodies.length]!);
    });
    const again = suite.emu.requests().length;
    const run = await runChorus(['analyze', repo, '--endpoint', suite.emu.url, '--format', 'json'], env);
    assert.equal(run.code, 0, run.stderr);
    const report = assertAllAnalyzed(run);
    assert.ok(suite.emu.requests().length > again, 'tampered entries were analyzed again, not shown');
    assert.deepEqual(
      report.files.flatMap((f) => f.findings.map((x) => x.ruleId)).sort(),
      trusted.files.flatMap((f) => f.findings.map((x) => x.ruleId)).sort(),
    );
  });

  it('a cache folder that cannot be created: one warning, and the run goes on', async () => {
    const blocker = suite.dir(tempDir('blocker'));
    writeFileSync(join(blocker, 'file'), 'x');
    const run = await runChorus(['analyze', suite.dir(writeTree(tempDir('ws'), SAMPLE)), '--endpoint', suite.emu.url, '--format', 'json'], cliEnv(join(blocker, 'file', 'cache')));
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr.match(/the result cache at .* cannot be used \(ENOTDIR\)/g)?.length, 1, run.stderr);
    assert.equal(run.stderr.match(/the shared quota ledger at .* cannot be used \(ENOTDIR\)/g)?.length, 1, run.stderr);
    assertAllAnalyzed(run);
  });
});
