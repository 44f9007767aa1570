/**
 * esbuild for the code that runs inside the extension host: the host runner (with mocha bundled
 * in, so it needs nothing from the repository at run time) and each in-host suite.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { e2eRoot } from './paths';

const forExtensionHost: esbuild.BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  // Inline maps: stack traces of failed in-host tests still name the .ts lines.
  sourcemap: 'inline',
  logLevel: 'warning',
};

/** Builds test/e2e/host-runner into `outDir` as an unpacked extension folder; returns it. */
export async function buildHostRunner(outDir: string): Promise<string> {
  const source = join(e2eRoot, 'host-runner');
  mkdirSync(join(outDir, 'dist'), { recursive: true });
  copyFileSync(join(source, 'package.json'), join(outDir, 'package.json'));
  await esbuild.build({
    ...forExtensionHost,
    entryPoints: [join(source, 'src/runner.ts')],
    outfile: join(outDir, 'dist/runner.js'),
    external: ['vscode'],
    // mocha picks reporters and file loaders with dynamic require()s that resolve at run time.
    logOverride: {
      'unsupported-require-call': 'silent',
      'unsupported-dynamic-import': 'silent',
      'require-resolve-not-external': 'silent', // mocha's parallel mode, unused here
    },
  });
  return outDir;
}

/** Bundles one in-host suite; `vscode` and mocha's globals come from the host at run time. */
export async function bundleSuite(suiteFile: string, outFile: string): Promise<string> {
  await esbuild.build({
    ...forExtensionHost,
    entryPoints: [suiteFile],
    outfile: outFile,
    external: ['vscode', 'mocha'],
  });
  return outFile;
}
