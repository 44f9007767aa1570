import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliEnv, parseReport, runChorus, sampleWorkspace, SAMPLE, tempDir, useCliSuite, writeTree } from './helpers';

const pick = (alphabet: string, n: number) => Array.from(randomBytes(n), (b) => alphabet[b % alphabet.length]).join('');
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

describe('chorus analyze workflows (CLI against the emulator)', function () {
  this.timeout(600_000); // each CLI run is a fresh Node process; slow on a busy machine
  const suite = useCliSuite();

  it('never lets a planted secret reach the model, skips .env and key files, keeps line numbers', async () => {
    // Generated now, never committed.
    const secrets = {
      aws: 'AKIA' + pick(UPPER, 16),
      github: 'ghp_' + pick(ALNUM, 36),
      password: pick(ALNUM, 24),
      keyLine: pick(ALNUM, 64),
      envToken: pick(ALNUM, 32),
    };
    const root = suite.dir(writeTree(tempDir('secrets'), {
      'src/deploy.ts': [
        `const accessKeyId = "${secrets.aws}";`,
        `const token = "${secrets.github}";`,
        `db.connect({ password: "${secrets.password}" });`,
        'const key = `-----BEGIN RSA PRIVATE KEY-----',
        secrets.keyLine,
        secrets.keyLine,
        '-----END RSA PRIVATE KEY-----`;',
        'if (mode == "prod") {',
        '  eval(script);',
        '}',
        '',
      ].join('\n'),
      '.env': `API_TOKEN=${secrets.envToken}\n`,
      'keys/id_rsa': `-----BEGIN OPENSSH PRIVATE KEY-----\n${secrets.keyLine}\n-----END OPENSSH PRIVATE KEY-----\n`,
    }));
    const before = suite.emu.requests().length;
    const run = await runChorus(['analyze', root, '--endpoint', suite.emu.url, '--format', 'json'], cliEnv(suite.dir(tempDir('cache'))));
    assert.equal(run.code, 0, run.stderr);
    const sent = suite.emu.requests({ includeBodies: true }).slice(before);
    assert.ok(sent.length > 0);
    for (const request of sent) {
      for (const [name, secret] of Object.entries(secrets)) assert.ok(!request.body!.includes(secret), `${name} reached the model`);
      assert.deepEqual(request.files, ['src/deploy.ts']);
    }
    const report = parseReport(run);
    const byPath = Object.fromEntries(report.files.map((f) => [f.path, f]));
    assert.match(byPath['.env']!.reason!, /environment file/);
    assert.match(byPath['keys/id_rsa']!.reason!, /private key/);
    const rules = byPath['src/deploy.ts']!.findings.map((f) => [f.ruleId, f.startLine]);
    assert.deepEqual(rules, [['hardcoded-secret', 3], ['eqeqeq', 8], ['no-eval', 9]]);
  });

  it('baseline: suppresses known findings, even after lines shift, and reports new ones', async () => {
    const root = suite.dir(sampleWorkspace());
    const env = cliEnv(suite.dir(tempDir('cache')));
    const baseline = join(root, 'chorus-baseline.json');
    const made = await runChorus(['baseline', root, '--endpoint', suite.emu.url, '--output', baseline], env);
    assert.equal(made.code, 0, made.stderr);
    const recorded = JSON.parse(readFileSync(baseline, 'utf8')) as { findings: { fingerprint: string }[] };
    assert.ok(recorded.findings.length >= 5);

    const quiet = parseReport(await runChorus(['analyze', root, '--endpoint', suite.emu.url, '--format', 'json', '--baseline', baseline], env));
    assert.deepEqual(quiet.files.flatMap((f) => f.findings), []);

    writeFileSync(join(root, 'src/app.js'), '// header\n// more header\n' + SAMPLE['src/app.js'] + 'eval(other);\n');
    const shifted = parseReport(await runChorus(['analyze', root, '--endpoint', suite.emu.url, '--format', 'json', '--baseline', baseline], env));
    const fresh = shifted.files.flatMap((f) => f.findings);
    assert.deepEqual(fresh.map((f) => [f.file, f.ruleId, f.startLine]), [['src/app.js', 'no-eval', 7]]);

    const missing = await runChorus(['analyze', root, '--endpoint', suite.emu.url, '--baseline', join(root, 'nope.json')], env);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /chorus baseline/);
  });

  it('baseline without --output adds to the folder\'s .chorus/baseline.json: dismissals stay, and a plain analyze honours it', async () => {
    const root = suite.dir(sampleWorkspace());
    const env = cliEnv(suite.dir(tempDir('cache')));
    const committed = join(root, '.chorus/baseline.json');
    mkdirSync(join(root, '.chorus'));
    // A dismissal made in the editor, of a finding the model no longer reports.
    const dismissed = { fingerprint: 'f'.repeat(16), file: 'src/gone.js', ruleId: 'no-eval', startLine: 1, message: 'gone' };
    writeFileSync(committed, JSON.stringify({ version: 1, createdAt: new Date().toISOString(), findings: [dismissed], ignoredRules: [{ file: 'src/x.js', ruleId: 'eqeqeq' }] }));
    for (let i = 0; i < 2; i++) {
      const made = await runChorus(['baseline', root, '--endpoint', suite.emu.url], env);
      assert.equal(made.code, 0, made.stderr);
      assert.match(made.stderr, /written to .*\.chorus\/baseline\.json/);
    }
    const file = JSON.parse(readFileSync(committed, 'utf8')) as { findings: { fingerprint: string }[]; ignoredRules?: unknown[] };
    assert.ok(file.findings.some((f) => f.fingerprint === dismissed.fingerprint), 'the editor\'s dismissal stays');
    assert.deepEqual(file.ignoredRules, [{ file: 'src/x.js', ruleId: 'eqeqeq' }]);
    assert.ok(file.findings.length >= 6, `${file.findings.length} entries`);
    assert.equal(new Set(file.findings.map((f) => f.fingerprint)).size, file.findings.length, 'a second baseline adds nothing twice');
    const quiet = await runChorus(['analyze', root, '--endpoint', suite.emu.url, '--format', 'json'], env);
    assert.deepEqual(parseReport(quiet).files.flatMap((f) => f.findings), []);
    assert.match(quiet.stderr, /dismissed in \.chorus\/baseline\.json/);
  });

  it('--changed-since limits the run to files changed since a git ref', async () => {
    const root = suite.dir(sampleWorkspace());
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: root, stdio: 'pipe' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'base');
    writeFileSync(join(root, 'src/util.ts'), 'if (a == b) {}\n');
    writeFileSync(join(root, 'src/new.js'), 'eval(x);\n');
    const env = cliEnv(suite.dir(tempDir('cache')));
    const report = parseReport(await runChorus(['analyze', root, '--endpoint', suite.emu.url, '--format', 'json', '--changed-since', 'HEAD'], env));
    assert.deepEqual(report.files.map((f) => f.path).sort(), ['src/new.js', 'src/util.ts']);
    const bad = await runChorus(['analyze', root, '--endpoint', suite.emu.url, '--changed-since', 'no-such-ref'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /no-such-ref/);
  });

  it('exits 2 with how to fix it when there are no credentials', async () => {
    const root = suite.dir(sampleWorkspace());
    const home = suite.dir(tempDir('home'));
    const noCredentials = {
      AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SESSION_TOKEN: undefined, AWS_PROFILE: undefined,
      AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined, AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined, AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
      HOME: home, AWS_CONFIG_FILE: join(home, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    };
    const before = suite.emu.requests().length;
    const run = await runChorus(['analyze', root, '--endpoint', suite.emu.url], cliEnv(suite.dir(tempDir('cache')), noCredentials));
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /No usable AWS credentials/);
    assert.match(run.stderr, /aws sso login/);
    assert.match(run.stderr, /AWS_ACCESS_KEY_ID/);
    assert.equal(suite.emu.requests().length, before, 'nothing was sent');
    const withProfile = await runChorus(['analyze', root, '--endpoint', suite.emu.url, '--profile', 'ci-missing'], cliEnv(suite.dir(tempDir('cache')), noCredentials));
    assert.equal(withProfile.code, 2);
    assert.match(withProfile.stderr, /profile "ci-missing".*aws sso login --profile ci-missing/s);
  });
});
