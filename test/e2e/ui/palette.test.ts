/**
 * Through the screen, as a user: the palette lists Chorus' command and running it shows the
 * Chorus output channel. A screenshot of the workbench is kept as an artifact.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { useSession } from '../harness/useSession';

describe('Chorus in the workbench', function () {
  const vscode = useSession({ files: { 'src/main.c': 'int main(void) { return 0; }\n' } });

  it('lists "Chorus: Show Log" in the command palette', async () => {
    await vscode.driver.waitForCommand('Chorus: Show Log');
  });

  it('shows the Chorus output channel when "Chorus: Show Log" runs', async () => {
    await vscode.driver.runCommand('Chorus: Show Log');
    const output = await vscode.driver.visibleOutput();
    assert.equal(output.channel, 'Chorus');
  });

  it('saves a screenshot of the workbench', async () => {
    await vscode.driver.openFile('src/main.c');
    const file = await vscode.driver.screenshot('workbench');
    assert.ok(existsSync(file), `${file} was not written`);
  });
});
