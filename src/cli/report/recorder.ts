/**
 * Collects a run's metrics for `--report` in bounded memory, however long the run: once `max`
 * snapshots are held, every other one is dropped and from then on only every second (fourth, …)
 * arrival is kept, so the report always spans the whole run at an even resolution. Batches are kept
 * apart, by id (the newest state of each), and attached to the last snapshot for the report's table.
 */
import type { EngineEvent } from '../../core/engine/events';
import type { BatchRecord, RunSnapshot } from '../../core/metrics/types';
import { PROTOCOL_LIMITS, validateRunSnapshot } from '../../core/webviewProtocol';

export interface ReportRecorderOptions {
  /** Snapshots kept for the charts (default 3,600: an hour at 1 s before any thinning). */
  maxSnapshots?: number;
  /** Batches kept for the table, newest first (default and ceiling 2,000). */
  maxBatches?: number;
}

export class ReportRecorder {
  private kept: RunSnapshot[] = [];
  private last: RunSnapshot | null = null;
  private stride = 1;
  private arrivals = 0;
  private readonly batches = new Map<string, BatchRecord>();
  private readonly maxSnapshots: number;
  private readonly maxBatches: number;

  constructor(options: ReportRecorderOptions = {}) {
    this.maxSnapshots = options.maxSnapshots ?? 3600;
    this.maxBatches = Math.min(options.maxBatches ?? PROTOCOL_LIMITS.batchesPerSnapshot, PROTOCOL_LIMITS.batchesPerSnapshot);
    if (!Number.isInteger(this.maxSnapshots) || this.maxSnapshots < 2) {
      throw new TypeError(`Expected maxSnapshots to be an integer ≥ 2, got ${String(options.maxSnapshots)}`);
    }
  }

  /** Pass to `engine.onEvent`; it keeps only `metrics` events. */
  readonly onEvent = (event: EngineEvent): void => {
    if (event.type === 'metrics') this.record(event.snapshot);
  };

  /** Snapshots that failed validation (not recorded: the report would refuse them). */
  rejected = 0;

  record(raw: RunSnapshot): void {
    // Validation also drops fields the page does not read (per-model history the report rebuilds).
    const checked = validateRunSnapshot(raw);
    if (!checked.ok) {
      this.rejected++;
      return;
    }
    const snapshot = checked.value;
    for (const b of snapshot.recentBatches) {
      this.batches.delete(b.batchId); // re-insert: the Map's order is then oldest-updated first
      this.batches.set(b.batchId, b);
    }
    while (this.batches.size > this.maxBatches) this.batches.delete(this.batches.keys().next().value!);
    // The report's series is the recording itself: no batch lists or tokens/min history per sample.
    const slim: RunSnapshot = { ...snapshot, recentBatches: [], models: snapshot.models.map(({ tpmSeries: _, ...m }) => m) };
    this.last = slim;
    if (this.arrivals++ % this.stride !== 0) return;
    this.kept.push(slim);
    if (this.kept.length >= this.maxSnapshots) {
      this.kept = this.kept.filter((_, i) => i % 2 === 0);
      this.stride *= 2;
    }
  }

  get size(): number {
    return this.kept.length + (this.last && this.kept.at(-1) !== this.last ? 1 : 0);
  }

  /** The recorded series, oldest first; the last one is exact and carries the batches. */
  snapshots(): RunSnapshot[] {
    if (!this.last) return [];
    const series = this.kept.at(-1) === this.last ? this.kept.slice(0, -1) : [...this.kept];
    const batches = [...this.batches.values()].sort((a, b) => a.at - b.at);
    return [...series, { ...this.last, recentBatches: batches }];
  }
}
