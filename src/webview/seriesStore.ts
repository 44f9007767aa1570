/**
 * The page's time series, built from successive snapshots: one ring per (model, metric) plus the
 * run-wide totals, all sharing one time axis so that index i is the same instant everywhere. This is
 * the only thing on the page that grows with time, and it is bounded by `capacity` samples.
 */
import type { RunSnapshot } from '../core/metrics/types';
import { PROTOCOL_LIMITS } from '../core/webviewProtocol';
import { historyBefore } from './history';
import { RingBuffer } from './ringBuffer';
import { isSavedSeries, type SavedSeries } from './savedSeries';
import { MODEL_METRICS, type ModelMetric, TOTAL_METRICS, type TotalMetric } from './seriesMetrics';

const MAX_MODELS = PROTOCOL_LIMITS.models;

export { MODEL_METRICS, type ModelMetric, TOTAL_METRICS, type TotalMetric } from './seriesMetrics';
export type { SavedSeries } from './savedSeries';

interface ModelSeries {
  id: string;
  label: string;
  rings: Record<ModelMetric, RingBuffer>;
  /** The throttle count at the previous sample; -1 when unknown (just created or restored). */
  lastThrottles: number;
}

export interface ModelColumns {
  id: string;
  label: string;
  values: Record<ModelMetric, (number | null)[]>;
}

export interface Columns {
  /** Seconds since the first sample (the run's emulated clock). */
  x: (number | null)[];
  totals: Record<TotalMetric, (number | null)[]>;
  models: ModelColumns[];
}


function rings<K extends string>(keys: readonly K[], capacity: number): Record<K, RingBuffer> {
  return Object.fromEntries(keys.map((k) => [k, new RingBuffer(capacity)])) as Record<K, RingBuffer>;
}

function arrays<K extends string>(r: Record<K, RingBuffer>): Record<K, (number | null)[]> {
  const entries = Object.entries(r) as [K, RingBuffer][];
  return Object.fromEntries(entries.map(([k, ring]) => [k, ring.toArray()])) as Record<K, (number | null)[]>;
}

export class SeriesStore {
  private readonly x: RingBuffer;
  private readonly totals: Record<TotalMetric, RingBuffer>;
  private readonly models = new Map<string, ModelSeries>();
  private origin: number | null = null;
  private lastAt: number | null = null;
  private lastRunId: string | null = null;

  constructor(readonly capacity = 3600) {
    this.x = new RingBuffer(capacity);
    this.totals = rings(TOTAL_METRICS, capacity);
  }

  get length(): number {
    return this.x.length;
  }

  /** The `at` the x axis counts from. */
  get originAt(): number | null {
    return this.origin;
  }

  /** The `at` of the newest sample, for the ready handshake (the host sends only what is newer). */
  get newestAt(): number | null {
    return this.lastAt;
  }

  push(runId: string, snapshot: RunSnapshot): void {
    if (this.lastAt !== null && snapshot.at <= this.lastAt) {
      if (snapshot.at === this.lastAt) return; // a duplicate from the backlog
      this.reset(); // the clock went back: a new engine, a new timeline
    }
    if (this.origin === null) this.backfill(snapshot);
    this.origin ??= snapshot.at;
    const seconds = (snapshot.at - this.origin) / 1000;
    if (this.lastRunId !== null && runId !== this.lastRunId) {
      // A row of gaps between two runs, so no line is drawn across the idle time between them.
      this.appendRow((seconds + (this.x.at(-1) ?? seconds)) / 2, () => NaN);
    }
    for (const m of snapshot.models) this.modelSeries(m.id, m.label);
    const byId = new Map(snapshot.models.map((m) => [m.id, m]));
    let tokens = 0;
    let quotas = 0;
    for (const m of snapshot.models) {
      tokens += m.tokensPerMinute;
      if (!m.disabledReason) quotas += m.quotaTpm;
    }
    this.appendRow(seconds, (metric, series) => {
      if (!series) return metric === 'tokensPerMinute' ? tokens : metric === 'quotaSum' ? quotas : snapshot.utilization;
      const m = byId.get(series.id);
      return m ? modelValue(metric as ModelMetric, m, series) : NaN;
    });
    for (const m of snapshot.models) this.models.get(m.id)!.lastThrottles = m.throttles;
    this.lastAt = snapshot.at;
    this.lastRunId = runId;
  }

  /**
   * A page opened mid-run starts with the engine's recent tokens/min history (`tpmSeries`, 10 minutes
   * at 10 s) rather than a single point. Only tokens/min and the quotas are known for those samples.
   */
  private backfill(snapshot: RunSnapshot): void {
    const rows = historyBefore(snapshot);
    if (rows.length === 0) return;
    const origin = rows[0]!.at;
    const quotas = new Map(snapshot.models.map((m) => [m.id, m.quotaTpm]));
    const quotaSum = snapshot.models.reduce((sum, m) => sum + (m.disabledReason ? 0 : m.quotaTpm), 0);
    for (const m of snapshot.models) this.modelSeries(m.id, m.label);
    for (const { at, tpm } of rows) {
      const total = [...tpm.values()].reduce((a, b) => a + b, 0);
      this.appendRow((at - origin) / 1000, (metric, series) => {
        if (series) return metric === 'tokensPerMinute' ? (tpm.get(series.id) ?? NaN) : metric === 'quotaTpm' ? quotas.get(series.id)! : NaN;
        return metric === 'tokensPerMinute' ? total : metric === 'quotaSum' ? quotaSum : total / (quotaSum || 1);
      });
    }
    this.origin = origin;
  }

  columns(): Columns {
    return {
      x: this.x.toArray(),
      totals: arrays(this.totals),
      models: [...this.models.values()].map((s) => ({ id: s.id, label: s.label, values: arrays(s.rings) })),
    };
  }

  save(): SavedSeries | null {
    if (this.origin === null || this.lastAt === null || this.lastRunId === null) return null;
    const { x, totals, models } = this.columns();
    return { v: 1, origin: this.origin, lastAt: this.lastAt, lastRunId: this.lastRunId, x, totals, models };
  }

  /** Rebuilds from saved state; anything malformed leaves the store empty (it refills from the host). */
  restore(saved: unknown): boolean {
    this.reset();
    if (!isSavedSeries(saved)) return false;
    const n = saved.x.length;
    const valid = saved.models.length <= MAX_MODELS
      && saved.models.every((m) => MODEL_METRICS.every((k) => m.values[k].length === n))
      && TOTAL_METRICS.every((k) => saved.totals[k].length === n);
    if (!valid) return false;
    for (const m of saved.models) this.modelSeries(m.id, m.label);
    for (let i = 0; i < n; i++) {
      this.appendRow(saved.x[i] ?? NaN, (metric, series) => {
        const column = series ? saved.models.find((m) => m.id === series.id)!.values[metric as ModelMetric]
          : saved.totals[metric as TotalMetric];
        return column[i] ?? NaN;
      });
    }
    this.origin = saved.origin;
    this.lastAt = saved.lastAt;
    this.lastRunId = saved.lastRunId;
    return true;
  }

  reset(): void {
    this.x.clear();
    for (const ring of Object.values(this.totals)) ring.clear();
    this.models.clear();
    this.origin = this.lastAt = this.lastRunId = null;
  }

  /** Pushes one value into every ring; `value` gets the model's series (undefined for the totals). */
  private appendRow(x: number, value: (metric: string, series?: ModelSeries) => number): void {
    this.x.push(x);
    for (const k of TOTAL_METRICS) this.totals[k].push(value(k));
    for (const s of this.models.values()) for (const k of MODEL_METRICS) s.rings[k].push(value(k, s));
  }

  /** A model seen for the first time gets rings already as long as the others, filled with gaps. */
  private modelSeries(id: string, label: string): ModelSeries {
    let s = this.models.get(id);
    if (!s) {
      s = { id, label, rings: rings(MODEL_METRICS, this.capacity), lastThrottles: -1 };
      for (const ring of Object.values(s.rings)) for (let i = 0; i < this.x.length; i++) ring.push(NaN);
      this.models.set(id, s);
    }
    s.label = label;
    return s;
  }
}

function modelValue(metric: ModelMetric, m: RunSnapshot['models'][number], s: ModelSeries): number {
  switch (metric) {
    case 'tokensPerMinute': return m.tokensPerMinute;
    case 'quotaTpm': return m.quotaTpm;
    case 'effectiveTpm': return m.effectiveTpm < m.quotaTpm ? m.effectiveTpm : NaN;
    case 'requestsPerMinute': return m.requestsPerMinute;
    case 'inFlight': return m.inFlight;
    case 'queuedInteractive': return m.queued.interactive;
    case 'queuedBackground': return m.queued.background;
    case 'throttleMarks': return s.lastThrottles >= 0 && m.throttles > s.lastThrottles ? m.tokensPerMinute : NaN;
  }
}
