/**
 * `chorus baseline [DIR] [--output F]`: analyze and record every finding's fingerprint, so later runs
 * (`chorus analyze --baseline F`, the extension's setting) report only new findings.
 */
import { Command } from 'commander';
import { writeBaseline } from '../../core/findings';
import { terminalSafeLine } from '../../core/text';
import { createProgress } from '../progress';
import { addEngineOptions, resolveRoot, runCli } from './analyze';
import { openEngine, type EngineFlags } from './engineSetup';

interface BaselineFlags extends EngineFlags {
  output: string;
  cache: boolean;
}

export function baselineCommand(): Command {
  return addEngineOptions(
    new Command('baseline')
      .description('Record the current findings so that later runs report only new ones.')
      .argument('[dir]', 'folder to analyze', '.')
      .option('--output <file>', 'baseline file to write', 'chorus-baseline.json')
      .option('--no-cache', 'ignore cached results'),
  ).action(async (dir: string | undefined, flags: BaselineFlags) => {
    process.exitCode = await runCli(async () => {
      const root = await resolveRoot(dir);
      // The baseline records everything, so an existing baseline must not filter this run.
      const { engine } = await openEngine(root, { ...flags, baseline: undefined }, [flags.output]);
      const progress = createProgress(process.stderr);
      engine.onEvent(progress.listener);
      try {
        const result = await engine.analyze({ root, lane: 'background', noCache: !flags.cache });
        progress.finish();
        const findings = result.files.flatMap((f) => f.findings);
        await writeBaseline(flags.output, findings);
        const failed = result.files.filter((f) => f.status === 'failed').length;
        process.stderr.write(`chorus: baseline of ${findings.length} finding(s) written to ${terminalSafeLine(flags.output)}${failed ? ` (${failed} file(s) failed and are not covered)` : ''}\n`);
        return failed > 0 ? 3 : 0;
      } finally {
        engine.dispose();
      }
    });
  });
}
