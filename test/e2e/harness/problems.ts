/**
 * Reads the Problems panel as a user sees it. The panel is a tree: a row per file (its icon label
 * carries the full path), then a row per marker with severity icon, message, source, code and
 * "[Ln L, Col C]", and under a marker its related information. The list is virtualized: it is
 * scrolled through to read every row, which suits the dozens of findings a UI test makes; for bulk
 * checks, assert in the host on vscode.languages.getDiagnostics instead.
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

interface RawRow { index: number; fileLabel: string | undefined; marker: { icon: string; message: string; source: string; code: string; position: string } | undefined }

/** The rows VS Code has rendered now, by tree index (rows are absolutely positioned). */
function renderedRows(page: Page): Promise<RawRow[]> {
  // No named helpers inside: tsx would wrap them in a `__name` call the page does not have.
  return page.locator('.markers-panel .monaco-list-row').evaluateAll((elements: PageElement[]) => elements.map((row) => {
    const icon = row.querySelector('.marker-icon');
    // A file row: its icon label carries the path. A marker's related information ("Also reported
    // in …") is neither a file nor a marker.
    const isRelated = row.querySelector('.related-info-resource') !== null;
    return {
      index: Number(row.getAttribute('data-index')),
      fileLabel: !icon && !isRelated ? (row.querySelector('.monaco-icon-label')?.getAttribute('aria-label') ?? '') : undefined,
      marker: icon ? {
        icon: icon.className,
        message: row.querySelector('.marker-message')?.textContent?.trim() ?? '',
        source: row.querySelector('.marker-source')?.textContent?.trim() ?? '',
        code: row.querySelector('.marker-code')?.textContent?.trim() ?? '',
        position: row.querySelector('.marker-line')?.textContent ?? '',
      } : undefined,
    };
  }));
}

/** Two animation frames: the list renders the rows a scroll brought into view. */
function rendered(page: Page): Promise<void> {
  return page.evaluate(() => new Promise<void>((done) => {
    const window = globalThis as unknown as { requestAnimationFrame(callback: () => void): void };
    window.requestAnimationFrame(() => window.requestAnimationFrame(() => done()));
  }));
}

/**
 * Every row of the panel: the list is virtualized, so it is scrolled from the top to the end (by
 * the mouse wheel, as a user would) and the rows rendered at each step are collected by index.
 */
export async function readProblems(page: Page): Promise<Problem[]> {
  await page.locator('.markers-panel').waitFor({ state: 'visible', timeout: 30_000 });
  const rows = new Map<number, RawRow>();
  const list = page.locator('.markers-panel .monaco-list').first();
  const box = await list.boundingBox();
  if (box) {
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -1_000_000);
    await rendered(page);
  }
  for (let step = 0; step < 500; step++) {
    const before = rows.size;
    for (const row of await renderedRows(page)) rows.set(row.index, row);
    if (!box || (step > 0 && rows.size === before)) break;
    await page.mouse.wheel(0, Math.max(100, box.height - 40));
    await rendered(page);
  }
  let file = '';
  const raw: (NonNullable<RawRow['marker']> & { file: string })[] = [];
  for (const row of [...rows.values()].sort((a, b) => a.index - b.index)) {
    if (row.fileLabel !== undefined) file = row.fileLabel;
    else if (row.marker) raw.push({ file, ...row.marker });
  }
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
