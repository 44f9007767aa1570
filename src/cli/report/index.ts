/** The self-contained HTML report of a run (`chorus analyze --report`), and what records it. */
export { renderReportHtml, renderReportHtmlSync, defaultAssetsDir, type ReportOptions } from './html';
export { ReportRecorder, type ReportRecorderOptions } from './recorder';
export { reportPartOf } from './reportPart';
