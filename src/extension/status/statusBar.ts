/** The status bar item: renders formatStatus at most a few times a second; click opens the dashboard, or fixes what blocks. */
import * as vscode from 'vscode';
import { formatStatus, type StatusInput, type StatusView } from './formatStatus';

export class ChorusStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('chorus.status', vscode.StatusBarAlignment.Left, 10);
  private timer: NodeJS.Timeout | undefined;
  /** What is shown now: read by the in-host tests through the extension's API. */
  lastView: StatusView | undefined;

  constructor(private readonly input: () => StatusInput) {
    this.item.name = 'Chorus';
    this.render();
    this.item.show();
  }

  /** Coalesces bursts of engine events into one repaint every 250 ms. */
  refresh(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.render();
    }, 250);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.item.dispose();
  }

  private render(): void {
    const view = formatStatus(this.input());
    this.item.text = view.text;
    this.item.command = view.command;
    this.item.tooltip = new vscode.MarkdownString(view.tooltip.replace(/\n/g, '  \n'), true);
    this.item.backgroundColor = view.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.accessibilityInformation = { label: `Chorus: ${view.state}${view.warning ? ', with a warning' : ''}` };
    this.lastView = view;
  }
}
