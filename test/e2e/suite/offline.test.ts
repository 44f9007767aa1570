/**
 * Issue 18 item 5 in the real extension host: the first-run walkthrough is contributed with its
 * media, and "Try It Offline" starts the bundled emulator in the extension host on 127.0.0.1 with
 * chorus.endpoint pointed at it and no AWS keys anywhere (not in the environment, not in settings),
 * its findings marked as the emulator's, with exact ranges and rule links; stopping it puts the
 * previous endpoint back.
 */
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { chorusDiagnostics, codeOf, eventually, EXTENSION_ID, setSettings, writeWorkspaceFile } from './chorusHelpers';

interface Walkthrough {
  id: string;
  steps: { id: string; media: { markdown?: string }; completionEvents?: string[] }[];
}

const PREVIOUS = 'http://127.0.0.1:9';

describe('first run: the walkthrough and "Try It Offline"', function () {
  this.timeout(120_000);
  const savedKeys = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };

  before(async () => {
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    await vscode.workspace.getConfiguration('files').update('autoSave', 'off', vscode.ConfigurationTarget.Global);
    await setSettings({ askBeforeSending: false, 'watch.enabled': false, endpoint: PREVIOUS });
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });

  after(async () => {
    await setSettings({ askBeforeSending: undefined, 'watch.enabled': undefined, endpoint: undefined });
    if (savedKeys.id !== undefined) process.env.AWS_ACCESS_KEY_ID = savedKeys.id;
    if (savedKeys.secret !== undefined) process.env.AWS_SECRET_ACCESS_KEY = savedKeys.secret;
  });

  it('contributes the walkthrough: destination, offline, Test Connection, consent, analyze — each with its media', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const [walkthrough] = (extension.packageJSON as { contributes: { walkthroughs: Walkthrough[] } }).contributes.walkthroughs;
    assert.equal(walkthrough?.id, 'chorus.firstRun');
    assert.deepEqual(walkthrough.steps.map((s) => s.id), ['destination', 'offline', 'testConnection', 'consent', 'analyze']);
    for (const step of walkthrough.steps) assert.ok(existsSync(join(extension.extensionPath, step.media.markdown ?? '-')), `${step.id}: ${step.media.markdown}`);
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['chorus.tryOffline', 'chorus.stopOffline', 'chorus.testConnection', 'chorus.resetConsent', 'chorus.analyzeFile']) assert.ok(commands.includes(id), id);
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#chorus.firstRun`, false);
  });

  it('"Try It Offline" starts the emulator on 127.0.0.1 and points chorus.endpoint at it, without keys in env or settings', async () => {
    void vscode.commands.executeCommand('chorus.tryOffline');
    const endpoint = await eventually('chorus.endpoint on the offline emulator', () => {
      const value = vscode.workspace.getConfiguration('chorus').inspect<string>('endpoint')?.globalValue;
      return value !== PREVIOUS && value;
    });
    assert.match(endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(process.env.AWS_ACCESS_KEY_ID, undefined, 'no keys put in the environment');
    const settings = JSON.stringify(vscode.workspace.getConfiguration('chorus'));
    assert.doesNotMatch(settings, /AKIDOFFLINE|secretAccessKey/);
  });

  it('its findings are marked as the emulator\'s, on the exact code, with the rule linked', async () => {
    const uri = writeWorkspaceFile('src/offline.js', `function run(input) {\n  return eval(input);\n}\n// ${Date.now()}\n`);
    await vscode.window.showTextDocument(uri);
    await vscode.commands.executeCommand('chorus.analyzeFile');
    const d = await eventually('an emulator finding', () => chorusDiagnostics(uri).find((x) => codeOf(x) === 'no-eval'), 90_000);
    assert.match(d.message, /^\[emulator\] /);
    assert.deepEqual([d.range.start.line, d.range.start.character, d.range.end.character], [1, '  return '.length, '  return eval(input)'.length]);
    assert.equal(typeof d.code === 'object' ? String(d.code.target) : '', 'https://cwe.mitre.org/data/definitions/95.html');
  });

  it('"Stop the Offline Emulator" puts the previous endpoint back', async () => {
    await vscode.commands.executeCommand('chorus.stopOffline');
    await eventually('the previous chorus.endpoint', () => vscode.workspace.getConfiguration('chorus').inspect<string>('endpoint')?.globalValue === PREVIOUS);
  });
});
