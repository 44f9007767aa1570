/**
 * Noise control in the editor: `chorus.minSeverity`, `chorus.maxFindingsPerFile`,
 * `chorus.hiddenCategories` (per resource), validated by the same parser as the CLI's flags, plus
 * the folder's repository rules. Read at render time, so a change re-renders without a run.
 */
import * as vscode from 'vscode';
import { parseNoiseOptions, type NoiseOptions } from '../../core/findings/noise';

export function noiseSettingsFor(uri: vscode.Uri): { options: NoiseOptions; errors: string[] } {
  const c = vscode.workspace.getConfiguration('chorus', uri);
  return parseNoiseOptions(
    {
      minSeverity: c.get<unknown>('minSeverity'),
      maxPerFile: c.get<unknown>('maxFindingsPerFile'),
      categoriesOff: c.get<unknown>('hiddenCategories'),
    },
    { minSeverity: 'chorus.minSeverity', maxPerFile: 'chorus.maxFindingsPerFile', categoriesOff: 'chorus.hiddenCategories' },
  );
}
