/**
 * The few DOM members our evaluate*() callbacks use inside the page. The project compiles
 * without the DOM library (core must not touch `window`), so these callbacks name their
 * element type here instead of pulling DOM types into every file of the program.
 */
export interface PageElement {
  readonly id: string;
  readonly className: string;
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageElement | null;
}
