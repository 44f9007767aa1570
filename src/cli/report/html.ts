/**
 * `chorus analyze --report report.html`: the live dashboard page, frozen. One self-contained file:
 * the page's built JS and CSS inlined, the run embedded as JSON (the same `update` message the
 * extension host posts, so the page needs no second code path), and a CSP that allows exactly those
 * two inline blocks by hash. No network, no CDN; it opens from disk in any browser.
 *
 * The assets are read at run time from the built dist/webview (next to dist/cli.js), not inlined
 * into the CLI bundle at build time: one build of the page serves the panel and the report, and the
 * CLI bundle stays small. `npm run build` produces both.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunSnapshot } from '../../core/metrics/types';
import { type HostMessage, PROTOCOL_LIMITS, type ReportPart, validateHostMessage, validateRunSnapshot } from '../../core/webviewProtocol';

export interface ReportOptions {
  title?: string;
  /** Shown on the page as the run's id. */
  runId?: string;
  /** Whether the run ended early (Ctrl-C, budget). */
  cancelled?: boolean;
  /** Where dashboard.js and dashboard.css are (default: the built dist/webview). */
  assetsDir?: string;
  /** The run's totals and findings (reportPartOf): the summary over the whole run and the findings table. */
  report?: ReportPart;
}

/** dist/webview beside the running CLI bundle (dist/cli.js), or from the sources (tests, tsx). */
export function defaultAssetsDir(): string {
  const candidates = [path.join(__dirname, 'webview'), path.resolve(__dirname, '../../../dist/webview')];
  return candidates.find((dir) => existsSync(path.join(dir, 'dashboard.js'))) ?? candidates[0]!;
}

interface PageAssets {
  js: string;
  css: string;
}

const notBuilt = (dir: string, file: string) =>
  new Error(`The dashboard page is not built: ${path.join(dir, file)} is missing (run npm run build).`);

async function readAssets(dir: string): Promise<PageAssets> {
  const read = (file: string) => readFile(path.join(dir, file), 'utf8').catch(() => Promise.reject(notBuilt(dir, file)));
  return { js: await read('dashboard.js'), css: await read('dashboard.css') };
}

function readAssetsSync(dir: string): PageAssets {
  const read = (file: string) => {
    try {
      return readFileSync(path.join(dir, file), 'utf8');
    } catch {
      throw notBuilt(dir, file);
    }
  };
  return { js: read('dashboard.js'), css: read('dashboard.css') };
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Keeps inlined code from closing its own element (`</script`, `</style`) or opening an HTML comment. */
function inlineSafe(code: string, tag: 'script' | 'style'): string {
  return code
    .replace(/\/[/*]# sourceMappingURL=[^\n]*/g, '')
    .replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1')
    .replace(/<!--/g, '<\\!--');
}

/** Evenly thinned to the page's per-message limit, always keeping the first and the last. */
function thin<T>(items: T[], max: number): T[] {
  if (items.length <= max) return items;
  const step = (items.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => items[Math.round(i * step)]!);
}

export async function renderReportHtml(snapshots: RunSnapshot[], options: ReportOptions = {}): Promise<string> {
  const message = reportMessage(snapshots, options);
  return reportDocument(message, options.title, await readAssets(options.assetsDir ?? defaultAssetsDir()));
}

/** The same, reading the page synchronously (for the CLI's synchronous `--report` hook). */
export function renderReportHtmlSync(snapshots: RunSnapshot[], options: ReportOptions = {}): string {
  const message = reportMessage(snapshots, options);
  return reportDocument(message, options.title, readAssetsSync(options.assetsDir ?? defaultAssetsDir()));
}

function reportMessage(snapshots: RunSnapshot[], options: ReportOptions): HostMessage {
  const checked = snapshots.map((s, i) => {
    const v = validateRunSnapshot(s);
    if (!v.ok) throw new TypeError(`renderReportHtml: snapshot ${i} is invalid: ${v.error}`);
    return v.value;
  });
  const runId = options.runId ?? 'report';
  const message: HostMessage = {
    type: 'update',
    run: { id: runId, state: options.cancelled ? 'cancelled' : 'finished' },
    frames: thin(checked, PROTOCOL_LIMITS.framesPerMessage).map((snapshot) => ({ runId, snapshot })),
    ...(options.report ? { report: options.report } : {}),
  };
  // The page refuses what the protocol refuses: fail here, with the reason, not in the reader's browser.
  const valid = validateHostMessage(message);
  if (!valid.ok) throw new TypeError(`renderReportHtml: the report is invalid: ${valid.error}`);
  return valid.value;
}

function reportDocument(message: HostMessage, title = 'Chorus run report', assets: PageAssets): string {
  const js = inlineSafe(assets.js, 'script');
  const css = inlineSafe(assets.css, 'style');
  // JSON in HTML: escaping `<` keeps `</script>` and `<!--` out; JSON.parse reads \u003c back as `<`.
  const data = JSON.stringify(message).replace(/</g, '\\u003c');
  const csp = [
    "default-src 'none'", `script-src ${sha256(js)}`, `style-src ${sha256(css)}`, 'img-src data:',
    "base-uri 'none'", "form-action 'none'",
  ].join('; ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)}</title>
<style>${css}</style>
</head>
<body>
<div id="app"></div>
<script type="application/json" id="chorus-report">${data}</script>
<script>${js}</script>
</body>
</html>
`;
}
