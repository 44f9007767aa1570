/**
 * Security checks that need no VS Code: logs hold neither credentials nor code; where code is sent
 * cannot come from the repository; the dashboard's document carries a strict CSP.
 * (An untrusted workspace sending nothing is proved in the real VS Code: test/e2e/ui/chorusTrust.test.ts.)
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryLogger } from '../../src/core/logger';
import { contentSecurityPolicy, dashboardHtml } from '../../src/extension/dashboard/html';
import { cliEnv, runChorus } from '../integration/cli/helpers';
import { pick } from './secretCorpus';
import { engineFor, LLAMA, tempDir, useEmulatorSuite, writeTree } from './helpers';

const REPO = join(__dirname, '..', '..');

// Generated now: an access key pair of the real shapes, and markers that only exist in the code.
const credentials = { id: 'AKIA' + pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16), secret: randomBytes(30).toString('base64') };
const markers = Array.from({ length: 3 }, () => 'marker_' + randomBytes(8).toString('hex'));
// A planted secret makes the engine log its redaction: the line must name the file, never the value.
const planted = pick('abcdefghijklmnopqrstuvwxyz0123456789', 24);

function markedWorkspace(): string {
  return writeTree(tempDir('logs'), {
    'src/a.js': `function ${markers[0]}(x) {\n  if (x == 1) return eval(x);\n}\n`,
    'src/b.ts': `const ${markers[1]} = "${markers[2]}";\ntry { run(); } catch (e) {}\nconst password = "${planted}";\n`,
    'lib/c.py': `def ${markers[0]}_py():\n    try:\n        g()\n    except:\n        pass\n`,
  });
}

function assertClean(text: string, where: string): void {
  for (const value of [credentials.id, credentials.secret, planted, ...markers]) assert.ok(!text.includes(value), `${where} holds ${value.slice(0, 6)}…`);
}

describe('security: no credentials or code in logs', function () {
  this.timeout(180_000);
  const suite = useEmulatorSuite(credentials);

  it('the engine logger (every level), through throttles, retries and malformed answers', async () => {
    suite.emu.setFaults([{ kind: 'throttle', model: LLAMA, rate: 0.5 }, { kind: 'malformed-tool', rate: 0.3 }, { kind: 'reset', rate: 0.2 }]);
    const root = markedWorkspace();
    suite.dirs.push(root);
    const logger = new MemoryLogger();
    const engine = engineFor(suite.emu.url, {}, { logger });
    const result = await engine.analyze({ root, lane: 'background', noCache: true }).finally(() => engine.dispose());
    suite.emu.setFaults([]);
    assert.equal(result.files.length, 3);
    assert.ok(logger.lines.some((l) => l.includes('src/b.ts')), `the redaction was logged: ${logger.lines.join(' | ')}`);
    assertClean(logger.lines.join('\n'), 'the engine log');
  });

  it('the CLI (stderr, --verbose), with AWS keys in its environment', async () => {
    const root = markedWorkspace();
    const cache = tempDir('cache');
    suite.dirs.push(root, cache);
    const env = cliEnv(cache, { AWS_ACCESS_KEY_ID: credentials.id, AWS_SECRET_ACCESS_KEY: credentials.secret });
    const run = await runChorus(['analyze', root, '--endpoint', suite.emu.url, '--verbose'], env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /redacted 1 secret.*src\/b\.ts/, 'the verbose log was written');
    assertClean(run.stderr, 'stderr');
  });
});

describe('security: where code is sent is a machine setting', () => {
  const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { scope?: string }> } };
    capabilities: { untrustedWorkspaces: { supported: string | boolean } };
  };
  const settings = manifest.contributes.configuration.properties;

  it('endpoint, region, profile and the consent switch are machine-scoped in the manifest', () => {
    for (const key of ['chorus.endpoint', 'chorus.region', 'chorus.profile', 'chorus.askBeforeSending']) {
      assert.equal(settings[key]?.scope, 'machine', `${key} must be machine-scoped`);
    }
  });

  it('no setting holds a credential, and untrusted workspaces are limited', () => {
    const credentialLike = Object.keys(settings).filter((k) => /secret|password|token|accesskey|credential/i.test(k.replace(/^chorus\./, '')));
    // budget.maxTokens is a count of model tokens, not a credential.
    assert.deepEqual(credentialLike.filter((k) => k !== 'chorus.budget.maxTokens'), []);
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  });
});

describe('security: the dashboard document', () => {
  const nonce = randomBytes(18).toString('base64');
  const cspSource = 'https://file+.vscode-resource.vscode-cdn.net';
  const html = dashboardHtml({ cspSource, nonce, scriptUri: `${cspSource}/dist/webview/dashboard.js`, styleUri: `${cspSource}/media/dashboard.css` });
  const directives = new Map(contentSecurityPolicy({ cspSource, nonce }).split(';').map((d) => {
    const [name, ...values] = d.trim().split(/\s+/);
    return [name!, values] as const;
  }));

  it('denies by default and allows scripts only by nonce', () => {
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    assert.deepEqual(directives.get('script-src'), [`'nonce-${nonce}'`]);
    for (const [name, values] of directives) {
      for (const bad of ["'unsafe-inline'", "'unsafe-eval'", '*', 'http:', 'https:']) assert.ok(!values.includes(bad), `${name} allows ${bad}`);
    }
    assert.match(html, new RegExp(`<meta http-equiv="Content-Security-Policy" content="[^"]*default-src 'none'`.replace(/'/g, '&#39;')));
  });

  it('every script is external and carries the nonce; no inline handlers', () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.ok(scripts.length > 0);
    for (const [, attrs, body] of scripts) {
      assert.match(attrs!, new RegExp(`nonce="${nonce.replace(/[+/=]/g, '\\$&')}"`));
      assert.match(attrs!, /src="/);
      assert.equal(body!.trim(), '', 'no inline script');
    }
    assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'no inline event handler');
  });

  it('escapes what it interpolates', () => {
    const hostile = dashboardHtml({ cspSource, nonce: '"><script>alert(1)</script>', scriptUri: 'x" onload="alert(1)', styleUri: 'y' });
    assert.equal([...hostile.matchAll(/<script\b/g)].length, 1, 'no injected script element');
    assert.doesNotMatch(hostile, /\sonload="/);
  });
});
