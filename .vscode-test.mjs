// The standard @vscode/test-cli configuration: the in-host suites (test/e2e/suite/*.test.ts) under
// @vscode/test-electron, for anyone with internet access (it downloads VS Code). Beside it, the
// code-server runner (npm run test:e2e) runs the same suites offline, plus the Playwright UI tests.
//
//   npm run test:vscode     (build, bundle the suites, vscode-test; needs internet the first time)
//
// @vscode/test-cli and @vscode/test-electron are devDependencies; test/unit/e2e/vscodeTestConfig.test.ts
// checks offline that `vscode-test --list-configuration` resolves `files` to exactly the bundles.
//
// The suites are TypeScript importing src/; bundle.ts turns each into one CommonJS file, as the
// code-server runner does. They start the emulator themselves, inside the extension host.
import { defineConfig } from '@vscode/test-cli';

export default defineConfig([
  {
    label: 'in-host',
    files: 'out/e2e-suites/*.test.js',
    version: 'stable',
    workspaceFolder: 'out/e2e-workspace',
    // The extension under test is this folder (package.json "main": dist/extension.js).
    extensionDevelopmentPath: '.',
    launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
    env: { AWS_EC2_METADATA_DISABLED: 'true' },
    mocha: { ui: 'bdd', timeout: 120_000, color: true },
  },
]);
