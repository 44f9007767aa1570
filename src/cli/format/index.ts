/** Report formats of `chorus analyze`. */
import type { AnalyzeResult } from '../../core/engine';
import { formatJson } from './json';
import { formatSarif } from './sarif';
import { formatText } from './text';

export const FORMATS = ['text', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

export function formatResult(format: Format, result: AnalyzeResult, meta: { version: string; color: boolean }): string {
  switch (format) {
    case 'json':
      return formatJson(result, meta);
    case 'sarif':
      return formatSarif(result, meta);
    case 'text':
      return formatText(result, { color: meta.color });
  }
}

export { countRun, allFindings, type RunCounts } from './summary';
export { formatJson, formatSarif, formatText };
