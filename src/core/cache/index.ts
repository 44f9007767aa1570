import { homedir } from 'node:os';
import { join } from 'node:path';

export { ResultCache, cacheKey, DEFAULT_CACHE_LIMITS, type CacheEntry, type CacheLimits } from './resultCache';

/** The user cache directory for the CLI: $XDG_CACHE_HOME/chorus, ~/Library/Caches/chorus, %LOCALAPPDATA%\chorus. */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.CHORUS_CACHE_DIR) return env.CHORUS_CACHE_DIR;
  if (platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'chorus', 'cache');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'chorus');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'chorus');
}
