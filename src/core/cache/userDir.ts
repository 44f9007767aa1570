import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The user cache directory, shared by the CLI and every VS Code window of this user:
 * $CHORUS_CACHE_DIR, else $XDG_CACHE_HOME/chorus, ~/Library/Caches/chorus, %LOCALAPPDATA%\chorus\cache.
 */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.CHORUS_CACHE_DIR) return env.CHORUS_CACHE_DIR;
  if (platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'chorus', 'cache');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'chorus');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'chorus');
}
