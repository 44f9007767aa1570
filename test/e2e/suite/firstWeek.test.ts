/**
 * Issue 18 in the real extension host: the status bar tells the truth after a credentials error and
 * an unreachable endpoint (icon, tooltip, click action), a credentials file created after the error
 * is picked up without a reload, and Test Connection says one short line with the latency once.
 */
import { strict as assert } from 'node:assert';
import { closedPort } from '../../support/closedPort';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { defaultEmulatorConfig, startEmulator, type RunningEmulator } from '../../../src/emulator';
import { chorusDiagnostics, eventually, EXTENSION_ID, setSettings, writeWorkspaceFile } from './chorusHelpers';

interface StatusView {
  text: string;
  tooltip: string;
  state: string;
  command: { command: string };
}
interface FirstWeekApi {
  status(): StatusView | undefined;
  lastConnection(): { ok: boolean; message: string } | undefined;
}

const CHAIN_VARS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_BEARER_TOKEN_BEDROCK', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_WEB_IDENTITY_TOKEN_FILE'];


describe('the first week: honest status, credentials without a reload, Test Connection', function () {
  this.timeout(120_000);
  let emulator: RunningEmulator;
  let api: FirstWeekApi;
  let awsDir: string;
  const saved = new Map<string, string | undefined>();

  before(async () => {
    emulator = await startEmulator({ config: defaultEmulatorConfig(), port: 0, timeScale: 20 });
    // No credentials anywhere the SDK looks: the host's own env is this process's env.
    awsDir = mkdtempSync(join(tmpdir(), 'chorus-e2e-aws-'));
    for (const key of [...CHAIN_VARS, 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'AWS_EC2_METADATA_DISABLED']) saved.set(key, process.env[key]);
    for (const key of CHAIN_VARS) delete process.env[key];
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(awsDir, 'credentials');
    process.env.AWS_CONFIG_FILE = join(awsDir, 'config');
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    await vscode.workspace.getConfiguration('files').update('autoSave', 'off', vscode.ConfigurationTarget.Global);
    await setSettings({ endpoint: emulator.url, askBeforeSending: false, 'watch.enabled': false });
    api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as FirstWeekApi;
  });

  after(async () => {
    await setSettings({ endpoint: undefined, askBeforeSending: undefined, 'watch.enabled': undefined });
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    rmSync(awsDir, { recursive: true, force: true });
    await emulator?.close();
  });

  it('after a credentials error the status bar says so, with a click that tests the connection', async () => {
    const uri = writeWorkspaceFile('src/creds.js', `function f(x) { return eval(x); } // ${Date.now()}\n`);
    await vscode.window.showTextDocument(uri);
    await vscode.commands.executeCommand('chorus.analyzeFile');
    const view = await eventually('a blocked status after the credentials error', () => api.status()?.state === 'blocked' && api.status());
    assert.equal(view.text, '$(key) Chorus: no credentials');
    assert.equal(view.command.command, 'chorus.testConnection');
    assert.match(view.tooltip, /no valid AWS credentials/);
    assert.doesNotMatch(view.tooltip, /pass --profile/);
    assert.equal(emulator.requests().length, 0, 'nothing was sent without credentials');
  });

  it('a credentials file created after the error is used at once: Test Connection says one short line, saves analyze again', async () => {
    writeFileSync(join(awsDir, 'credentials'), `[default]\naws_access_key_id = AKIDE2E${Date.now()}\naws_secret_access_key = e2e-${Math.random().toString(36).slice(2)}\n`);
    void vscode.commands.executeCommand('chorus.testConnection');
    const summary = await eventually('a Test Connection result', () => api.lastConnection());
    assert.equal(summary.ok, true, summary.message);
    assert.match(summary.message, /^Chorus: connected — .+ \d+ ms/);
    assert.doesNotMatch(summary.message, /ms\) \(\d+ ms/, 'the latency is said once');
    assert.equal(summary.message.split('\n').length, 1);
    await eventually('the status bar no longer blocked', () => api.status()?.state !== 'blocked');
    const uri = writeWorkspaceFile('src/creds2.js', `function g(x) { return eval(x); } // ${Date.now()}\n`);
    await vscode.window.showTextDocument(uri);
    await vscode.commands.executeCommand('chorus.analyzeFile');
    await eventually('Chorus diagnostics with the new credentials', () => chorusDiagnostics(uri).length > 0);
  });

  it('an endpoint that refuses connections shows "unreachable"; pointing it back clears it', async () => {
    await setSettings({ endpoint: `http://127.0.0.1:${await closedPort()}` });
    const uri = writeWorkspaceFile('src/refused.js', `function h(x) { return eval(x); } // ${Date.now()}\n`);
    await vscode.window.showTextDocument(uri);
    const started = Date.now();
    await vscode.commands.executeCommand('chorus.analyzeFile');
    const view = await eventually('an unreachable status', () => api.status()?.state === 'blocked' && api.status());
    assert.ok(Date.now() - started < 30_000, `took ${Date.now() - started} ms`);
    assert.equal(view.text, '$(debug-disconnect) Chorus: unreachable');
    assert.equal(view.command.command, 'chorus.testConnection');
    await setSettings({ endpoint: emulator.url });
    await eventually('the status bar no longer blocked after the settings change', () => api.status()?.state !== 'blocked');
  });
});
