/**
 * For `@vscode/test-cli` (.vscode-test.mjs, `npm run test:vscode`): bundles each in-host suite
 * (test/e2e/suite/*.test.ts) to out/e2e-suites/<name>.test.js the way the code-server runner does
 * (esbuild, `vscode` and `mocha` external), and makes the workspace folder they open. Run before
 * `vscode-test`.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { bundleSuite } from '../harness/bundle';
import { repoRoot, suitesDir } from '../harness/paths';

export const outDir = join(repoRoot, 'out/e2e-suites');
export const workspaceDir = join(repoRoot, 'out/e2e-workspace');

/** The in-host suites, as paths under test/e2e/suite. */
export function suiteFiles(): string[] {
  return readdirSync(suitesDir).filter((f) => f.endsWith('.test.ts')).sort().map((f) => join(suitesDir, f));
}

/** Where a suite's bundle goes: out/e2e-suites/<name>.test.js. */
export function bundledPath(suiteFile: string): string {
  return join(outDir, basename(suiteFile).replace(/\.ts$/, '.js'));
}

export async function bundleAll(): Promise<string[]> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  mkdirSync(workspaceDir, { recursive: true });
  writeFileSync(join(workspaceDir, 'README.md'), '# Chorus e2e workspace\n');
  const bundled: string[] = [];
  for (const file of suiteFiles()) bundled.push(await bundleSuite(file, bundledPath(file)));
  return bundled;
}

// Run as a script (tsx test/e2e/vscodeTest/bundle.ts); imported by the unit test, it only exports.
if (require.main === module) {
  bundleAll().then(
    (bundled) => console.log(`${bundled.length} suite(s) bundled into ${outDir}`),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
