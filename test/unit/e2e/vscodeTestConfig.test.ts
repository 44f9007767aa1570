/**
 * The @vscode/test-cli setup (.vscode-test.mjs, `npm run test:vscode`) cannot run here (it downloads
 * VS Code), so this checks what can be checked offline with the real tools: the suites are bundled
 * by test/e2e/vscodeTest/bundle.ts, and the real `vscode-test --list-configuration` (which loads
 * .vscode-test.mjs through @vscode/test-cli's own loader) resolves its `files` glob to exactly
 * those bundles, and the extension it would test is this folder's.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../e2e/harness/paths';
import { bundleAll, bundledPath, suiteFiles, workspaceDir } from '../../e2e/vscodeTest/bundle';

interface ListedConfig {
  path: string;
  config: { label: string; files: string; workspaceFolder: string };
  extensionDevelopmentPath: string[];
  env: { VSCODE_TEST_OPTIONS: string };
}

describe('.vscode-test.mjs with @vscode/test-cli', function () {
  this.timeout(180_000); // esbuild bundles every suite; the machine is shared

  let listed: ListedConfig[] = [];
  let bundled: string[] = [];
  before(async () => {
    bundled = await bundleAll();
    const cli = join(repoRoot, 'node_modules/@vscode/test-cli/out/bin.mjs');
    const { stdout } = await promisify(execFile)(process.execPath, [cli, '--list-configuration'], { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 });
    listed = JSON.parse(stdout) as ListedConfig[];
  });

  it('bundles every in-host suite, and the files glob matches exactly those bundles', () => {
    const suites = suiteFiles();
    assert.ok(suites.length > 0, 'there are in-host suites');
    assert.deepEqual(bundled, suites.map(bundledPath));
    for (const file of bundled) assert.ok(existsSync(file), `${file} was written`);
    assert.equal(listed.length, 1);
    const [entry] = listed;
    assert.equal(entry!.path, join(repoRoot, '.vscode-test.mjs'));
    assert.equal(entry!.config.label, 'in-host');
    const options = JSON.parse(entry!.env.VSCODE_TEST_OPTIONS) as { files: string[] };
    assert.deepEqual([...options.files].sort(), [...bundled].sort());
  });

  it('tests this folder\'s extension in the workspace the bundler made', () => {
    const [entry] = listed;
    assert.deepEqual(entry!.extensionDevelopmentPath, [repoRoot]);
    assert.equal(join(repoRoot, entry!.config.workspaceFolder), workspaceDir);
    assert.ok(existsSync(join(workspaceDir, 'README.md')));
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { main: string; scripts: Record<string, string>; devDependencies: Record<string, string> };
    assert.equal(manifest.main, './dist/extension.js');
    // The script bundles the suites before vscode-test runs them.
    assert.match(manifest.scripts['test:vscode'] ?? '', /vscodeTest\/bundle\.ts.*&&.*vscode-test/);
    assert.ok(manifest.devDependencies['@vscode/test-cli'] && manifest.devDependencies['@vscode/test-electron']);
  });
});
