/**
 * The browser members the tests' page.evaluate() callbacks use. The project compiles without the
 * DOM library (core must not touch `window`), so the callbacks reach them as
 * `(globalThis as unknown as PageGlobals)`: a cast erased at compile time, leaving `globalThis`,
 * which in the page is the window.
 */
export interface PageElement {
  id: string;
  className: string;
  tagName: string;
  getAttribute(name: string): string | null;
}

export interface PageCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}

export interface PageGlobals {
  document: {
    activeElement: PageElement | null;
    querySelectorAll(selector: 'canvas'): Iterable<PageCanvas>;
    addEventListener(type: 'securitypolicyviolation', listener: (e: { violatedDirective: string; blockedURI: string }) => void): void;
    documentElement: { style: { setProperty(name: string, value: string): void } };
    body: { classList: { add(name: string): void } };
  };
  performance: {
    getEntriesByName(name: string): { duration: number }[];
    memory?: { usedJSHeapSize: number };
  };
  MessageEvent: new (type: 'message', init: { data: unknown }) => object;
  dispatchEvent(event: object): boolean;
  requestAnimationFrame(callback: () => void): number;
  getComputedStyle(element: unknown): { borderTopColor: string };
  __csp: string[];
  __host: { posted: unknown[]; state: unknown };
}
