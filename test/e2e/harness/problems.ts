/**
 * Reads the Problems panel as a user sees it. The panel is a tree: a row per file (its icon label
 * carries the full path), then a row per marker with severity icon, message, source, code and
 * "[Ln L, Col C]". Only rows VS Code has rendered are read (the list is virtualized), which is
 * every row for the handful of findings a UI test makes; for bulk checks, assert in the host on
 * vscode.languages.getDiagnostics instead.
 */
import type { Page } from 'playwright-core';
import type { PageElement } from './pageDom';

export interface Problem {
  /** Absolute path of the file, as the panel's file row names it. */
  file: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  source: string;
  code: string;
  /** 1-based, as shown. */
  line: number;
  column: number;
}

export async function readProblems(page: Page): Promise<Problem[]> {
  const rows = page.locator('.markers-panel .monaco-list-row');
  await page.locator('.markers-panel').waitFor({ state: 'visible', timeout: 30_000 });
  // No named helpers inside: tsx would wrap them in a `__name` call the page does not have.
  const raw = await rows.evaluateAll((elements: PageElement[]) => {
    let file = '';
    const found: { file: string; icon: string; message: string; source: string; code: string; position: string }[] = [];
    // Rows are absolutely positioned; their data-index gives the tree order.
    const ordered = [...elements].sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')));
    for (const row of ordered) {
      const icon = row.querySelector('.marker-icon');
      if (!icon) {
        file = row.querySelector('.monaco-icon-label')?.getAttribute('aria-label') ?? '';
        continue;
      }
      found.push({
        file,
        icon: icon.className,
        message: row.querySelector('.marker-message')?.textContent?.trim() ?? '',
        source: row.querySelector('.marker-source')?.textContent?.trim() ?? '',
        code: row.querySelector('.marker-code')?.textContent?.trim() ?? '',
        position: row.querySelector('.marker-line')?.textContent ?? '',
      });
    }
    return found;
  });
  return raw.map(({ file, icon, message, source, code, position }) => {
    const [, line, column] = /Ln (\d+), Col (\d+)/.exec(position) ?? [];
    return {
      file,
      severity: icon.includes('error') ? 'error' : icon.includes('warning') ? 'warning' : 'info',
      message, source, code,
      line: Number(line ?? 0),
      column: Number(column ?? 0),
    };
  });
}
