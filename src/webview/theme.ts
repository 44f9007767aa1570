/**
 * Chart colours come from CSS variables (dashboard.css maps them onto VS Code's `--vscode-*` theme
 * variables, with fallbacks for the standalone report). Canvas strokes cannot use `var()`, so the
 * resolved values are read here and re-read when the theme changes.
 */
export interface Palette {
  foreground: string;
  muted: string;
  grid: string;
  quota: string;
  effective: string;
  throttle: string;
  /** One colour per model, in order of appearance. */
  series: string[];
  /** Wider strokes in high-contrast themes. */
  lineWidth: number;
  /** Canvas font for the axes, from the editor's UI font. */
  font: string;
}

const SERIES_COUNT = 6;

export function readPalette(el: Element = document.body): Palette {
  const css = getComputedStyle(el);
  const get = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  const highContrast = document.body.classList.contains('vscode-high-contrast')
    || document.body.classList.contains('vscode-high-contrast-light');
  return {
    foreground: get('--chorus-fg', '#444'),
    muted: get('--chorus-muted', '#888'),
    grid: get('--chorus-grid', 'rgba(128,128,128,0.2)'),
    quota: get('--chorus-quota', '#888'),
    effective: get('--chorus-effective', '#d18616'),
    throttle: get('--chorus-throttle', '#f14c4c'),
    series: Array.from({ length: SERIES_COUNT }, (_, i) => get(`--chorus-series-${i + 1}`, '#3794ff')),
    lineWidth: highContrast ? 2.5 : 1.5,
    font: `${get('--vscode-font-size', '12px')} ${get('--chorus-font', 'system-ui, sans-serif')}`,
  };
}

export function seriesColor(palette: Palette, index: number): string {
  return palette.series[index % palette.series.length]!;
}

/**
 * Calls `onChange` when VS Code switches theme (it rewrites body's class and the `--vscode-*`
 * variables on <html>) or, in the standalone report, when the OS colour scheme flips.
 */
export function watchTheme(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  const media = window.matchMedia('(prefers-color-scheme: dark)');
  media.addEventListener('change', onChange);
  return () => {
    observer.disconnect();
    media.removeEventListener('change', onChange);
  };
}

/** `color` at `alpha` opacity, for area fills; hex and rgb() forms (what themes use), else transparent. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{3,8})$/i.exec(color)?.[1];
  if (hex) {
    const full = hex.length <= 4 ? [...hex].map((c) => c + c).join('') : hex;
    const [r, g, b] = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16));
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }
  const rgb = /^rgba?\(([^,]+),([^,]+),([^,)]+)/.exec(color);
  return rgb ? `rgba(${rgb[1]!.trim()}, ${rgb[2]!.trim()}, ${rgb[3]!.trim()}, ${alpha})` : 'transparent';
}
