/**
 * The series as the page saves them with setState: plain arrays, NaN as null. What getState gives
 * back is checked here before the store trusts it.
 */
import { MODEL_METRICS, type ModelMetric, TOTAL_METRICS, type TotalMetric } from './seriesMetrics';

export interface SavedSeries {
  v: 1;
  origin: number;
  lastAt: number;
  lastRunId: string;
  x: (number | null)[];
  totals: Record<TotalMetric, (number | null)[]>;
  models: { id: string; label: string; values: Record<ModelMetric, (number | null)[]> }[];
}

function isNumberColumn(v: unknown): v is (number | null)[] {
  return Array.isArray(v) && v.every((n) => n === null || (typeof n === 'number' && Number.isFinite(n)));
}

export function isSavedSeries(v: unknown): v is SavedSeries {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Partial<SavedSeries>;
  return s.v === 1 && typeof s.origin === 'number' && typeof s.lastAt === 'number'
    && typeof s.lastRunId === 'string' && isNumberColumn(s.x) && typeof s.totals === 'object' && s.totals !== null
    && TOTAL_METRICS.every((k) => isNumberColumn(s.totals![k]))
    && Array.isArray(s.models) && s.models.every((m) => typeof m?.id === 'string' && typeof m.label === 'string'
      && typeof m.values === 'object' && m.values !== null && MODEL_METRICS.every((k) => isNumberColumn(m.values[k])));
}
