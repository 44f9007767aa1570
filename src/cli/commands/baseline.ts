/**
 * `chorus baseline [DIR] [--output F]`: analyze and record every finding's fingerprint, so later runs
 * report only new findings. By default into the folder's `.chorus/baseline.json` — the file the editor's
 * dismissals go to and `chorus analyze` reads without a flag — adding to what is there (the dismissals
 * stay); `--output F` writes a fresh file for `--baseline F`.
 */
import { join } from 'node:path';
import { Command } from 'commander';
import { addDismissals, writeBaseline } from '../../core/findings';
import { BASELINE_FILE } from '../../core/rules';
import { terminalSafeLine } from '../../core/text';
import { createProgress } from '../progress';
import { addEngineOptions, resolveRoot, runCli } from './analyze';
import { openEngine, type EngineFlags } from './engineSetup';

interface BaselineFlags extends EngineFlags {
  output?: string;
  cache: boolean;
}

export function baselineCommand(): Command {
  return addEngineOptions(
    new Command('baseline')
      .description('Record the current findings so that later runs report only new ones.')
      .argument('[dir]', 'folder to analyze', '.')
      .option('--output <file>', `baseline file to write (default: add to the folder's ${BASELINE_FILE})`)
      .option('--no-cache', 'ignore cached results'),
  ).action(async (dir: string | undefined, flags: BaselineFlags) => {
    process.exitCode = await runCli(async () => {
      const root = await resolveRoot(dir);
      // The baseline records everything, so an existing baseline must not filter this run.
      const output = flags.output ?? join(root, BASELINE_FILE);
      const { engine } = await openEngine(root, { ...flags, baseline: undefined }, [output]);
      const progress = createProgress(process.stderr);
      engine.onEvent(progress.listener);
      try {
        const result = await engine.analyze({ root, lane: 'background', noCache: !flags.cache });
        progress.finish();
        const findings = result.files.flatMap((f) => f.findings);
        if (flags.output) await writeBaseline(output, findings);
        else await addDismissals(output, { findings });
        const failed = result.files.filter((f) => f.status === 'failed').length;
        process.stderr.write(`chorus: baseline of ${findings.length} finding(s) written to ${terminalSafeLine(output)}${failed ? ` (${failed} file(s) failed and are not covered)` : ''}\n`);
        return failed > 0 ? 3 : 0;
      } finally {
        engine.dispose();
      }
    });
  });
}
