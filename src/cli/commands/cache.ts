/** `chorus cache clear` (and `chorus cache info`): the result cache in the user's cache directory. */
import { Command } from 'commander';
import { ResultCache, userCacheDir } from '../../core/cache';
import { terminalSafeLine } from '../../core/text';
import { runCli } from './analyze';

export function cacheCommand(): Command {
  const cache = new Command('cache').description('Manage the result cache.');
  cache
    .command('clear')
    .description('Delete every cached result.')
    .action(async () => {
      process.exitCode = await runCli(async () => {
        const dir = userCacheDir();
        await new ResultCache(dir).clear();
        // The folder comes from the environment (CHORUS_CACHE_DIR, XDG_CACHE_HOME): printed as data.
        process.stderr.write(`chorus: cache cleared (${terminalSafeLine(dir)})\n`);
        return 0;
      });
    });
  cache
    .command('info')
    .description('Show where the cache is and how big it is.')
    .action(async () => {
      process.exitCode = await runCli(async () => {
        const dir = userCacheDir();
        const { entries, bytes } = await new ResultCache(dir).size();
        process.stdout.write(`${terminalSafeLine(dir)}: ${entries} entries, ${(bytes / 1024).toFixed(1)} KB\n`);
        return 0;
      });
    });
  return cache;
}
