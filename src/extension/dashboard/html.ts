/**
 * The webview document for the dashboard panel. Kept free of `vscode` so tests render the exact same
 * document (and CSP) in a plain browser.
 *
 * The CSP: nothing by default; the page's one script only by nonce; styles only from the extension's
 * own resources (the page's stylesheet, uPlot's included) — uPlot sizes its elements through the
 * CSSOM (element.style.x = …), which CSP does not govern, so no 'unsafe-inline' is needed.
 */
export interface DashboardHtmlParts {
  /** `webview.cspSource`: the origin the webview serves local resources from. */
  cspSource: string;
  /** Base64 from crypto.randomBytes, fresh per document. */
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

const attr = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function contentSecurityPolicy({ cspSource, nonce }: Pick<DashboardHtmlParts, 'cspSource' | 'nonce'>): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function dashboardHtml(parts: DashboardHtmlParts): string {
  const nonce = attr(parts.nonce);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(parts))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Chorus throughput</title>
<link rel="stylesheet" nonce="${nonce}" href="${attr(parts.styleUri)}">
</head>
<body>
<div id="app"></div>
<script nonce="${nonce}" src="${attr(parts.scriptUri)}"></script>
</body>
</html>
`;
}
