/**
 * Drives the workbench the way a user does: through the palette, quick open, the keyboard and
 * what the screen shows. Selectors are VS Code's own DOM classes and ARIA labels (1.139); when a
 * VS Code update moves one, it is fixed here, once.
 */
import { mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { artifactsRoot } from './paths';
import { readProblems, type Problem } from './problems';
import { QuickInput } from './quickInput';
import type { PageElement } from './pageDom';

/** Generous: the machine is shared and the extension host starts after the workbench. */
const appearTimeoutMs = 120_000;

export interface StatusBarItem {
  /** DOM id: `<extension id>.<item id>` for extensions' items, e.g. `status.problems` for VS Code's. */
  id: string;
  text: string;
  ariaLabel: string;
}

export class WorkbenchDriver {
  readonly quickInput: QuickInput;

  constructor(readonly page: Page) {
    this.quickInput = new QuickInput(page);
  }

  /** The workbench is laid out and the workspace folder shows in the explorer. */
  async waitForWorkbench(): Promise<void> {
    const startTimeoutMs = 5 * 60_000;
    await this.page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: startTimeoutMs });
    await this.page.locator('.explorer-folders-view').waitFor({ state: 'visible', timeout: startTimeoutMs });
  }

  /** Waits until the command palette lists `title` (e.g. "Chorus: Show Log"). */
  async waitForCommand(title: string): Promise<void> {
    await this.quickInput.find(title, () => this.quickInput.open('F1', `>${title}`), appearTimeoutMs);
    await this.quickInput.close();
  }

  /** Runs a command by its palette title, exactly as listed. */
  async runCommand(title: string): Promise<void> {
    const entry = await this.quickInput.find(title, () => this.quickInput.open('F1', `>${title}`), appearTimeoutMs);
    await entry.click();
    await this.quickInput.input.waitFor({ state: 'hidden', timeout: 10_000 });
  }

  /** Opens a workspace file by its path relative to the folder, through quick open. */
  async openFile(relativePath: string): Promise<void> {
    const name = basename(relativePath);
    const folder = dirname(relativePath);
    // Quick open labels a file "name folder, file results" ("name, file results" at the root).
    const label = folder === '.' ? name : `${name} ${folder}`;
    const entry = await this.quickInput.find(label, () => this.quickInput.open('Control+P', relativePath), appearTimeoutMs);
    await entry.click();
    await this.activeTab(name).waitFor({ state: 'visible', timeout: appearTimeoutMs });
    await this.activeEditor().locator('.view-lines').waitFor({ state: 'visible' });
  }

  /** Types into the active editor at its cursor, key by key (auto-closing brackets apply). */
  async type(text: string): Promise<void> {
    await this.activeEditor().locator('textarea, .native-edit-context').first().focus();
    await this.page.keyboard.type(text);
  }

  /** Ctrl+S, then waits until the active tab is no longer marked dirty. */
  async save(): Promise<void> {
    await this.page.keyboard.press('Control+S');
    await this.page.locator('.part.editor .tab.active.dirty').waitFor({ state: 'detached', timeout: appearTimeoutMs });
  }

  /** Opens the Problems panel and reads its entries (only rows VS Code has rendered). */
  async problems(): Promise<Problem[]> {
    await this.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
    return readProblems(this.page);
  }

  /** Every status bar item currently shown. */
  statusBarItems(): Promise<StatusBarItem[]> {
    return this.page.locator('.part.statusbar .statusbar-item').evaluateAll((items: PageElement[]) => items.map((item) => ({
      id: item.id,
      text: (item.querySelector('.statusbar-item-label')?.textContent ?? '').trim(),
      ariaLabel: item.getAttribute('aria-label') ?? '',
    })));
  }

  /** Waits for a status bar item by DOM id (see StatusBarItem.id) or by its visible text. */
  async statusBarItem(idOrText: string | RegExp): Promise<StatusBarItem> {
    const all = this.page.locator('.part.statusbar .statusbar-item');
    const item = typeof idOrText === 'string'
      ? all.and(this.page.locator(`[id="${idOrText}"]`)).or(all.filter({ hasText: idOrText }))
      : all.filter({ hasText: idOrText });
    await item.first().waitFor({ state: 'visible', timeout: appearTimeoutMs });
    const [found] = await item.first().evaluateAll((items: PageElement[]) => items.map((element) => ({
      id: element.id,
      text: (element.querySelector('.statusbar-item-label')?.textContent ?? '').trim(),
      ariaLabel: element.getAttribute('aria-label') ?? '',
    })));
    return found!;
  }

  /** The output channel the Output view shows, once it is visible: its name and its text. */
  async visibleOutput(): Promise<{ channel: string; text: string }> {
    const view = this.page.locator('.part.panel .pane-body.output-view');
    await view.waitFor({ state: 'visible', timeout: appearTimeoutMs });
    // The view's accessible label is "<channel> - Output".
    const label = await view.getAttribute('aria-label') ?? '';
    const text = await view.locator('.view-lines').innerText();
    return { channel: label.replace(/ - Output$/, ''), text };
  }

  /** Saves a PNG of the whole workbench under test-artifacts/; returns its path. */
  async screenshot(name: string): Promise<string> {
    const file = join(artifactsRoot, `${name}.png`);
    mkdirSync(dirname(file), { recursive: true });
    await this.page.screenshot({ path: file });
    return file;
  }

  activeEditor(): Locator {
    return this.page.locator('.part.editor .editor-group-container.active .monaco-editor').first();
  }

  private activeTab(name: string): Locator {
    return this.page.locator('.part.editor .tab.active').filter({ hasText: name });
  }
}
