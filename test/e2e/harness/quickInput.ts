/**
 * The quick input widget (command palette, quick open): open it, filter it, pick an entry.
 * VS Code fills the command list when the palette opens, and an extension's commands only appear
 * once the extension host has registered it; so a missing entry is retried with a fresh palette
 * until a deadline instead of failing on the first look.
 */
import type { Locator, Page } from 'playwright-core';
import type { PageElement } from './pageDom';

const widget = '.quick-input-widget';
const rows = `${widget} .quick-input-list .monaco-list-row`;

export class QuickInput {
  constructor(private readonly page: Page) {}

  get input(): Locator {
    return this.page.locator(`${widget} input.input`);
  }

  /** Opens with `key` (F1: commands, Control+P: files) and types `text` into the filter. */
  async open(key: string, text: string): Promise<void> {
    await this.close();
    await this.page.keyboard.press(key);
    const opened = await this.input.waitFor({ state: 'visible', timeout: 10_000 }).then(() => true, () => false);
    if (!opened) {
      // A key can land where the workbench does not see it at once (a webview, a busy renderer);
      // the generic palette chord reopens the same widget, so pressing it cannot toggle it shut.
      await this.page.keyboard.press(key === 'F1' ? 'Control+Shift+P' : key);
      await this.input.waitFor({ state: 'visible', timeout: 60_000 });
    }
    await this.input.fill(text);
  }

  async close(): Promise<void> {
    if (await this.input.isVisible()) {
      await this.page.keyboard.press('Escape');
      await this.input.waitFor({ state: 'hidden', timeout: 10_000 });
    }
  }

  /** The entries' accessible labels, as VS Code renders them for the current filter. */
  labels(): Promise<string[]> {
    return this.page.locator(rows).evaluateAll((elements: PageElement[]) => elements.map((e) => e.getAttribute('aria-label') ?? ''));
  }

  /**
   * Waits for an entry whose label is `label` (VS Code may append ", recently used" and such)
   * while the palette is opened and filtered by `open`; reopens until `timeoutMs` passes.
   */
  async find(label: string, open: () => Promise<void>, timeoutMs: number): Promise<Locator> {
    const deadline = Date.now() + timeoutMs;
    // Each look waits longer than the last: a file search on a busy machine needs time to
    // answer, and reopening too soon would cancel it.
    for (let lookMs = 3_000; ; lookMs = Math.min(lookMs * 2, 30_000)) {
      await open();
      const quoted = cssString(label);
      const entry = this.page.locator(`${rows}[aria-label="${quoted}"], ${rows}[aria-label^="${quoted}, "]`).first();
      const found = await entry.waitFor({ state: 'visible', timeout: lookMs }).then(() => true, () => false);
      if (found) return entry;
      if (Date.now() > deadline) {
        const seen = await this.labels();
        await this.close();
        throw new Error(`No quick input entry "${label}" within ${timeoutMs} ms; entries were: ${JSON.stringify(seen)}`);
      }
    }
  }
}

function cssString(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}
