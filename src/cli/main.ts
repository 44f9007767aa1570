/**
 * The `chorus` command line: the same core as the extension, headless, for CI and for people.
 * Each subcommand lives in its own file under ./commands and registers itself here.
 */
import { Command } from 'commander';
import { version } from '../../package.json';
import { terminalSafe } from '../core/text';
import { analyzeCommand } from './commands/analyze';
import { baselineCommand } from './commands/baseline';
import { cacheCommand } from './commands/cache';
import { emulatorCommand } from './commands/emulator';
import { quotasCommand } from './commands/quotas';
import { scoreCommand } from './commands/score';
// `--report` renders the throughput dashboard page; registering it here keeps analyze free of the webview.
import './report/register';

export function buildProgram(): Command {
  const program = new Command('chorus')
    .description('Analyze code with several Amazon Bedrock models at once.')
    .version(version)
    .showHelpAfterError()
    // Commander exits 1 on an unknown command or flag; for us 1 means "findings", usage errors are 2.
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));
  program.addCommand(analyzeCommand());
  program.addCommand(baselineCommand());
  program.addCommand(cacheCommand());
  program.addCommand(emulatorCommand());
  program.addCommand(quotasCommand());
  program.addCommand(scoreCommand());
  return program;
}

if (require.main === module) {
  buildProgram()
    .parseAsync(process.argv)
    .catch((err: unknown) => {
      // e.g. `chorus score DIR` quoting a folder name: shown as data (src/core/text).
      process.stderr.write(`chorus: ${terminalSafe(err instanceof Error ? err.message : String(err))}\n`);
      process.exitCode = 2;
    });
}
