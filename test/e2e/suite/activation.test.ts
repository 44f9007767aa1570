/**
 * Runs inside VS Code's extension host (see test/e2e/README.md): the real `vscode` API, the
 * freshly built Chorus installed as a user would have it.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';

const chorusId = 'chorus-dev.bedrock-chorus';

describe('Chorus in the extension host', () => {
  it('is installed and activates', async () => {
    const chorus = vscode.extensions.getExtension(chorusId);
    assert.ok(chorus, `${chorusId} is not installed`);
    await chorus.activate();
    assert.equal(chorus.isActive, true);
  });

  it('registers chorus.showLog', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('chorus.showLog'), 'chorus.showLog is not among the registered commands');
  });

  it('runs chorus.showLog without error', async () => {
    await vscode.commands.executeCommand('chorus.showLog');
  });
});
