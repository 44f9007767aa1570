/**
 * Plugs the dashboard report into `chorus analyze --report F.html` (src/cli/format/htmlReport.ts
 * holds the hook and a plain fallback). Imported for its effect by the CLI entry.
 */
import { registerHtmlReportRenderer } from '../format/htmlReport';
import { renderReportHtmlSync } from './html';
import { reportPartOf } from './reportPart';

registerHtmlReportRenderer(({ result, snapshots, version }) => renderReportHtmlSync(snapshots, {
  title: `Chorus ${version} — run ${result.runId}`,
  runId: result.runId,
  cancelled: result.cancelled,
  report: reportPartOf(result, snapshots),
}));
