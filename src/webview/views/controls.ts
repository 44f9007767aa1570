/** The time window (a native radio group: arrow keys move between choices) and the pause toggle. */
import { h } from '../dom';

export const WINDOWS = [
  { id: '1m', label: '1 min', seconds: 60 },
  { id: '5m', label: '5 min', seconds: 300 },
  { id: '15m', label: '15 min', seconds: 900 },
  { id: '1h', label: '1 hour', seconds: 3600 },
  { id: 'all', label: 'All', seconds: Infinity },
] as const;
export type WindowId = (typeof WINDOWS)[number]['id'];

export function isWindowId(v: unknown): v is WindowId {
  return WINDOWS.some((w) => w.id === v);
}

export function windowSeconds(id: WindowId): number {
  return WINDOWS.find((w) => w.id === id)!.seconds;
}

export interface ControlsOptions {
  window: WindowId;
  paused: boolean;
  /** The report is a finished run: nothing to pause. */
  live: boolean;
  onWindow(id: WindowId): void;
  onPause(paused: boolean): void;
}

export function controls(options: ControlsOptions): HTMLElement {
  const group = h('fieldset', { class: 'segmented' }, h('legend', {}, 'Time window'));
  for (const w of WINDOWS) {
    const input = h('input', { type: 'radio', name: 'window', id: `window-${w.id}`, value: w.id, checked: w.id === options.window });
    input.addEventListener('change', () => input.checked && options.onWindow(w.id));
    group.append(h('span', { class: 'segment' }, input, h('label', { for: `window-${w.id}` }, w.label)));
  }
  const el = h('div', { class: 'controls' }, group);
  if (options.live) {
    let paused = options.paused;
    const pause = h('button', { type: 'button', class: 'toggle', 'aria-pressed': String(paused) }, 'Pause charts');
    pause.addEventListener('click', () => {
      paused = !paused;
      pause.setAttribute('aria-pressed', String(paused));
      options.onPause(paused);
    });
    el.append(pause);
  }
  return el;
}
