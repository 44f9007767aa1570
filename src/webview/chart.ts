/**
 * One uPlot chart that follows its container's width and the theme. uPlot draws on a canvas and
 * styles its DOM through the CSSOM (element.style), which the CSP allows without 'unsafe-inline'.
 *
 * A chart scrolled out of view keeps its data but does not draw: with five models most of the
 * eleven charts are off screen, and drawing 3,600 points × their series every second for nobody
 * is most of the page's work. It catches up when it scrolls back in.
 */
import uPlot from 'uplot';
import { clock, compact } from './format';
import { type Palette, withAlpha } from './theme';

/** Tick steps of the time axis, in seconds: whole seconds up, then minutes and hours. */
const TIME_INCREMENTS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 43_200, 86_400];

export interface SeriesSpec {
  label: string;
  color: (palette: Palette) => string;
  dash?: number[];
  /** Multiplies the palette's line width. */
  weight?: number;
  /** Shade the area under the line. */
  fill?: boolean;
  /** Draw only points (events such as throttles), no line. */
  pointsOnly?: boolean;
}

export interface ChartSpec {
  height: number;
  series: SeriesSpec[];
}

/** [x, ...one column per series], as the store produces them (null = gap). */
export type ChartData = [(number | null)[], ...(number | null)[][]];

export class Chart {
  private plot: uPlot | null = null;
  private data: ChartData | null = null;
  private window: [number, number] | null = null;
  private readonly resizeObserver: ResizeObserver;
  private readonly visibility: IntersectionObserver;
  private visible = false;
  /** Data arrived while off screen: draw it when the chart comes into view. */
  private stale = false;

  constructor(private readonly container: HTMLElement, private readonly spec: ChartSpec, private palette: Palette) {
    this.resizeObserver = new ResizeObserver(() => this.fitWidth());
    this.resizeObserver.observe(container);
    this.visibility = new IntersectionObserver((entries) => {
      this.visible = entries.at(-1)?.isIntersecting ?? this.visible;
      if (this.visible && this.stale) this.draw();
    });
    this.visibility.observe(container);
  }

  /** Replaces the data; `window` is the x range to show (null = everything). */
  setData(data: ChartData, window: [number, number] | null): void {
    this.data = data;
    this.window = window;
    this.stale = true;
    // The first data builds the chart even off screen, so that the page's layout does not jump later.
    if (this.visible || !this.plot) this.draw();
  }

  private draw(): void {
    this.stale = false;
    if (!this.plot || !this.data) return this.build();
    this.plot.setData(this.data as uPlot.AlignedData, this.window === null);
    if (this.window) this.plot.setScale('x', { min: this.window[0], max: this.window[1] });
  }

  setPalette(palette: Palette): void {
    this.palette = palette;
    this.build();
  }

  destroy(): void {
    this.resizeObserver.disconnect();
    this.visibility.disconnect();
    this.plot?.destroy();
    this.plot = null;
  }

  private build(): void {
    this.plot?.destroy();
    this.plot = null;
    const width = this.container.clientWidth;
    if (!this.data || width === 0) return; // built on the first resize that gives it a width
    this.plot = new uPlot(this.options(width), this.data as uPlot.AlignedData, this.container);
    if (this.window) this.plot.setScale('x', { min: this.window[0], max: this.window[1] });
  }

  private fitWidth(): void {
    const width = this.container.clientWidth;
    if (!this.plot) this.build();
    else if (width > 0 && width !== this.plot.width) this.plot.setSize({ width, height: this.spec.height });
  }

  private options(width: number): uPlot.Options {
    const p = this.palette;
    const axis = (values: (splits: number[]) => string[], size: number, incrs?: number[]): uPlot.Axis => ({
      stroke: p.muted, font: p.font, size, values: (_u, splits) => values(splits),
      grid: { stroke: p.grid, width: 1 }, ticks: { stroke: p.grid, width: 1, size: 4 },
      ...(incrs ? { incrs } : {}),
    });
    return {
      width,
      height: this.spec.height,
      legend: { show: true, live: false },
      cursor: { show: false },
      scales: {
        x: { time: false },
        y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
      },
      // The time axis steps by whole seconds and clock-friendly spans, so a run of a few seconds is
      // not labelled 0:01 0:01 0:02 0:02 (half-second ticks rounded to the second).
      axes: [axis((s) => s.map(clock), 28, TIME_INCREMENTS_S), axis((s) => s.map(compact), 46)],
      series: [{}, ...this.spec.series.map((s) => this.series(s))],
    };
  }

  private series(s: SeriesSpec): uPlot.Series {
    const color = s.color(this.palette);
    const width = this.palette.lineWidth * (s.weight ?? 1);
    if (s.pointsOnly) {
      return {
        label: s.label, stroke: color, width: 0, paths: () => null,
        points: { show: true, size: 7, width: 1, stroke: color, fill: color },
      };
    }
    return {
      label: s.label, stroke: color, width, spanGaps: false,
      ...(s.dash ? { dash: s.dash } : {}),
      ...(s.fill ? { fill: withAlpha(color, 0.12) } : {}),
      points: { show: false },
    };
  }
}
