/**
 * The dashboard page's entry, bundled by esbuild into dist/webview/dashboard.js (+ dashboard.css,
 * uPlot's styles included). Two homes, one page:
 *  - inside VS Code: talks to the extension host (ready handshake, validated messages, setState);
 *  - in a `chorus analyze --report` file: reads the run embedded as JSON in #chorus-report.
 */
import 'uplot/dist/uPlot.min.css';
import './dashboard.css';
import { type PageMessage, validateHostMessage } from '../core/webviewProtocol';
import { DashboardApp } from './app';

interface VsCodeApi {
  postMessage(message: PageMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare const acquireVsCodeApi: (() => VsCodeApi) | undefined;

function startLive(root: HTMLElement, vscode: VsCodeApi): void {
  const app = new DashboardApp(root, {
    title: 'Chorus throughput',
    live: true,
    persistence: { load: () => vscode.getState(), save: (state) => vscode.setState(state) },
  });
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = validateHostMessage(event.data);
    if (!message.ok) {
      console.warn(`Chorus dashboard: rejected a message: ${message.error}`);
      vscode.postMessage({ type: 'protocol-error', detail: message.error });
      return;
    }
    app.apply(message.value);
  });
  // Listening first, then ready: the host posts nothing before this.
  vscode.postMessage({ type: 'ready', since: app.newestAt });
}

function startReport(root: HTMLElement, data: HTMLElement): void {
  const app = new DashboardApp(root, { title: document.title || 'Chorus run report', live: false });
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.textContent ?? '');
  } catch {
    parsed = undefined;
  }
  const message = validateHostMessage(parsed);
  if (!message.ok) {
    root.prepend(Object.assign(document.createElement('p'), { className: 'error', textContent: `This report's data is damaged: ${message.error}` }));
    return;
  }
  app.apply(message.value);
}

const root = document.getElementById('app');
const reportData = document.getElementById('chorus-report');
if (root && reportData) startReport(root, reportData);
else if (root && typeof acquireVsCodeApi === 'function') startLive(root, acquireVsCodeApi());
else if (root) root.textContent = 'The Chorus dashboard runs inside VS Code or in a report written by chorus analyze --report.';
