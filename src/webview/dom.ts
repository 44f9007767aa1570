/**
 * Building the page's DOM without HTML strings: every piece of run data (model labels, batch reasons)
 * lands in `textContent`, so nothing a model or a config file says can become markup. Inline `style`
 * attributes are refused here because the CSP forbids them; style goes through classes.
 */
type Attrs = Record<string, string | number | boolean | undefined>;
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (name === 'style' || name.startsWith('on')) throw new TypeError(`h(): '${name}' is not allowed (CSP, no inline handlers)`);
    if (name === 'class') el.className = String(value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) if (child) el.append(child);
  return el;
}

/** Sets text only when it changed (most values repeat from one second to the next). */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

export function setAttr(el: Element, name: string, value: string): void {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}
