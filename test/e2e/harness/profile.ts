/**
 * The per-launch state VS Code reads at startup: a fresh user-data-dir with the test's settings,
 * an extensions dir holding the freshly built Chorus (unpacked, as a .vsix would install it) and
 * the in-host test runner, and the workspace folder to open.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot } from './paths';

/** Quiet, deterministic workbench: no welcome page, tips, update checks or AI side panels. */
const baseSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'files.hotExit': 'off',
  'window.confirmBeforeClose': 'never',
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.untrustedFiles': 'open',
};

export function writeUserSettings(userDataDir: string, settings: Record<string, unknown>, trusted: boolean): void {
  const file = join(userDataDir, 'User/settings.json');
  mkdirSync(dirname(file), { recursive: true });
  // Trust off means every folder is trusted; an untrusted test turns it on and, since the
  // fresh profile has no trusted folders yet, its workspace opens in restricted mode.
  const trust = { 'security.workspace.trust.enabled': !trusted };
  const all = { ...baseSettings, ...trust, ...settings };
  writeFileSync(file, JSON.stringify(all, null, 2));
  // code-server's extension host is a *remote* one: settings with `"scope": "machine"` (Chorus's
  // endpoint, region, profile, askBeforeSending) are read there from the remote machine settings,
  // `<user-data-dir>/Machine/settings.json`, not reliably from the user settings above. Write the
  // same settings there too, so the extension sees exactly what the test configured.
  const machine = join(userDataDir, 'Machine/settings.json');
  mkdirSync(dirname(machine), { recursive: true });
  writeFileSync(machine, JSON.stringify(all, null, 2));
}

interface Manifest { publisher: string; name: string; version: string }

function readManifest(folder: string): Manifest {
  return JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as Manifest;
}

/**
 * Copies an extension the way VS Code lays out an installed one: `publisher.name-version/` with
 * the manifest and the files a package would carry (what .vscodeignore lets through).
 */
export function stageExtension(sourceFolder: string, extensionsDir: string, parts: string[]): string {
  const { publisher, name, version } = readManifest(sourceFolder);
  const target = join(extensionsDir, `${publisher}.${name}-${version}`);
  mkdirSync(target, { recursive: true });
  for (const part of ['package.json', ...parts]) {
    const from = join(sourceFolder, part);
    if (existsSync(from)) cpSync(from, join(target, part), { recursive: true });
  }
  return target;
}

/** The Chorus extension as built by `npm run build`: fails clearly when dist/ is missing. */
export function stageChorus(extensionsDir: string): string {
  if (!existsSync(join(repoRoot, 'dist/extension.js'))) {
    throw new Error('dist/extension.js is missing: run `npm run build` first (npm run test:e2e does).');
  }
  return stageExtension(repoRoot, extensionsDir, ['dist', 'media', 'README.md', 'CHANGELOG.md', 'LICENSE']);
}

/** Writes a workspace folder from a map of relative path → content. */
export function writeFiles(folder: string, files: Record<string, string>): void {
  for (const [relative, content] of Object.entries(files)) {
    const file = join(folder, relative);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}
