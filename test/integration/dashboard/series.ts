/**
 * A recorded-looking run for the dashboard tests: models ramping up to their quotas over the first
 * minute, a throttle burst that teaches one model a lower effective quota, queues draining as files
 * complete, a few fallbacks and spillovers, and a rolling list of recent batches. Deterministic
 * (seeded noise), so the rendered values can be asserted.
 */
import type { BatchOutcomeKind, BatchRecord, ModelSnapshot, RunSnapshot } from '../../../src/core/metrics/types';

export interface ModelSpec {
  id: string;
  label: string;
  quotaTpm: number;
  /** Fraction of the quota reached at steady state. */
  reach: number;
  /** Seconds at which a throttle happens (each one adds to the count). */
  throttlesAt?: number[];
  /** Effective quota learned after the first throttle. */
  learnedTpm?: number;
  costPerMTokens: number;
}

export const TWO_MODELS: ModelSpec[] = [
  { id: 'us.amazon.nova-pro-v1:0', label: 'Nova Pro', quotaTpm: 100_000, reach: 0.93, costPerMTokens: 0.8,
    throttlesAt: [], learnedTpm: undefined },
  { id: 'us.meta.llama3-3-70b-instruct-v1:0', label: 'Llama 3.3 70B', quotaTpm: 60_000, reach: 0.95, costPerMTokens: 0.72,
    throttlesAt: [95, 97, 160], learnedTpm: 54_000 },
];

export function fiveModels(): ModelSpec[] {
  return [
    ...TWO_MODELS,
    { id: 'us.amazon.nova-lite-v1:0', label: 'Nova Lite', quotaTpm: 200_000, reach: 0.9, costPerMTokens: 0.06, throttlesAt: [600, 1800] },
    { id: 'us.amazon.nova-micro-v1:0', label: 'Nova Micro', quotaTpm: 300_000, reach: 0.85, costPerMTokens: 0.035 },
    { id: 'us.meta.llama3-1-8b-instruct-v1:0', label: 'Llama 3.1 8B', quotaTpm: 150_000, reach: 0.88, costPerMTokens: 0.22, throttlesAt: [2400], learnedTpm: 140_000 },
  ];
}

export const RUN_START = 1_764_200_000_000;

function noise(seed: number): number {
  const x = Math.sin(seed * 12.9898) * 43758.5453;
  return x - Math.floor(x) - 0.5;
}

const OUTCOMES: BatchOutcomeKind[] = ['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'retried', 'ok', 'throttled', 'ok', 'ok', 'failed'];

/** `seconds` snapshots one second apart; `filesTotal` files done linearly over `seconds * 1.5`. */
export function recordRun(models: ModelSpec[], seconds: number, filesTotal = 600): RunSnapshot[] {
  const snapshots: RunSnapshot[] = [];
  const batches: BatchRecord[] = [];
  const totals = models.map(() => ({ requests: 0, input: 0, output: 0 }));
  for (let t = 1; t <= seconds; t++) {
    const at = RUN_START + t * 1000;
    const snapshotModels: ModelSnapshot[] = models.map((spec, i) => {
      const throttles = (spec.throttlesAt ?? []).filter((s) => s <= t).length;
      const effectiveTpm = throttles > 0 && spec.learnedTpm ? spec.learnedTpm : spec.quotaTpm;
      const ramp = Math.min(1, t / 60);
      const dip = (spec.throttlesAt ?? []).some((s) => t >= s && t < s + 8) ? 0.7 : 1;
      const target = Math.min(spec.reach * spec.quotaTpm, effectiveTpm * 0.98);
      const tpm = Math.round(target * ramp * dip * (1 + 0.04 * noise(t * 7 + i)));
      const sums = totals[i]!;
      sums.requests += tpm / 60 / 4200;
      sums.input += (tpm / 60) * 0.85;
      sums.output += (tpm / 60) * 0.15;
      const remaining = Math.max(0, 1 - t / (seconds * 1.5));
      return {
        id: spec.id, label: spec.label, quotaTpm: spec.quotaTpm, effectiveTpm,
        requests: Math.floor(sums.requests), inputTokens: Math.round(sums.input), outputTokens: Math.round(sums.output),
        throttles, errors: t > 200 && i === 0 ? 1 : 0, retries: throttles,
        fallbacksIn: i === 0 ? Math.floor(throttles / 2) : 0, fallbacksOut: i === 1 ? Math.floor(throttles / 2) : 0,
        spilloversIn: i === 1 ? Math.floor(t / 90) : 0, spilloversOut: i === 0 ? Math.floor(t / 90) : 0,
        inFlight: ramp < 1 ? Math.ceil(ramp * 5) : 4 + Math.round(noise(t + i) * 2),
        queued: { interactive: t % 45 < 6 ? 2 : 0, background: Math.round(40 * remaining * (1 + 0.2 * noise(t * 3 + i))) },
        latencyP50Ms: 2400 + i * 800 + Math.round(noise(t * 5 + i) * 300), latencyP95Ms: 6100 + i * 1500,
        costUsd: ((sums.input + sums.output) / 1e6) * spec.costPerMTokens,
        tokensPerMinute: tpm, requestsPerMinute: Math.round((tpm / 4200) * 10) / 10,
      };
    });
    if (t % 3 === 0) {
      const i = (t / 3) % models.length;
      const outcome = OUTCOMES[(t / 3) % OUTCOMES.length]!;
      const reason = outcome === 'throttled' ? `fallback after ThrottlingException on ${models[(i + 1) % models.length]!.label}`
        : t % 9 === 0 ? `spillover: ${models[0]!.label} backlog 41 s > 12 s here` : `complexity ${(0.4 + 0.05 * (t % 10)).toFixed(2)} ≥ ${i === 0 ? '0.70' : '0.00'}`;
      batches.push({ batchId: `b${String(t / 3).padStart(4, '0')}`, model: models[i]!.id, files: 3 + (t % 7),
        inputTokens: 9000 + (t % 13) * 700, outputTokens: 1200 + (t % 5) * 150, outcome, reason, at });
    }
    const tokens = snapshotModels.reduce((s, m) => s + m.tokensPerMinute, 0);
    const quotas = snapshotModels.reduce((s, m) => s + m.quotaTpm, 0);
    const filesDone = Math.min(filesTotal, Math.floor((t / (seconds * 1.5)) * filesTotal));
    snapshots.push({
      at, filesTotal, filesDone, models: snapshotModels, utilization: tokens / quotas,
      etaMs: Math.round(((filesTotal - filesDone) / Math.max(1, filesDone)) * t * 1000),
      recentBatches: batches.slice(-50),
    });
  }
  return snapshots;
}
