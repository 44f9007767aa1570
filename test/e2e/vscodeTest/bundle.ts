/**
 * For `@vscode/test-cli` (.vscode-test.mjs): bundles each in-host suite (test/e2e/suite/*.test.ts)
 * to out/e2e-suites/<name>.test.js the way the code-server runner does (esbuild, `vscode` and
 * `mocha` external), and makes the workspace folder they open. Run before `vscode-test`.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleSuite } from '../harness/bundle';
import { repoRoot, suitesDir } from '../harness/paths';

export const outDir = join(repoRoot, 'out/e2e-suites');
export const workspaceDir = join(repoRoot, 'out/e2e-workspace');

async function main(): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  mkdirSync(workspaceDir, { recursive: true });
  writeFileSync(join(workspaceDir, 'README.md'), '# Chorus e2e workspace\n');
  const suites = readdirSync(suitesDir).filter((f) => f.endsWith('.test.ts'));
  for (const file of suites) await bundleSuite(join(suitesDir, file), join(outDir, file.replace(/\.ts$/, '.js')));
  console.log(`${suites.length} suite(s) bundled into ${outDir}`);
}

void main();
