// One build, one entry per runtime (DESIGN.md): the extension host (CommonJS, `vscode` external),
// the CLI, the scorer's and the engine's worker threads, the emulator and the dashboard webview (browser).
// Type-checking is separate (`npm run typecheck`); esbuild only strips types.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** @type {esbuild.BuildOptions} */
const node = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'info',
  // `import.meta.url` has no meaning in a CommonJS bundle: give it the bundle's own file URL.
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

const builds = [
  { ...node, entryPoints: { extension: 'src/extension/activate.ts' }, outdir: 'dist', external: ['vscode'] },
  { ...node, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist',
    banner: { js: '#!/usr/bin/env node\n' + node.banner.js } },
  { ...node, entryPoints: { scoreWorker: 'src/core/score/worker.ts' }, outdir: 'dist' },
  // The engine's worker thread in the extension host (src/extension/host/engineLoader.ts).
  { ...node, entryPoints: { engineWorker: 'src/extension/worker/engineWorker.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { emulator: 'src/emulator/main.ts' }, outdir: 'dist' },
  {
    bundle: true, platform: 'browser', format: 'iife', target: 'es2022', logLevel: 'info',
    sourcemap: production ? false : 'linked', minify: production,
    entryPoints: { dashboard: 'src/webview/dashboard.ts' }, outdir: 'dist/webview',
    loader: { '.css': 'css' },
  },
];

/** Grammars are loaded at run time from dist/grammars, next to the bundles that need them. */
function copyAssets() {
  mkdirSync('dist/grammars', { recursive: true });
  cpSync('node_modules/@vscode/tree-sitter-wasm/wasm', 'dist/grammars', {
    recursive: true, filter: (src) => !src.endsWith('.js') && !src.endsWith('.d.ts'),
  });
  cpSync('node_modules/tree-sitter-c/tree-sitter-c.wasm', 'dist/grammars/tree-sitter-c.wasm');
  cpSync('node_modules/web-tree-sitter/web-tree-sitter.wasm', 'dist/grammars/web-tree-sitter.wasm');
}

copyAssets();
if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
