/** The engine's recent tokens/min history (ModelSnapshot.tpmSeries), regrouped by sample time. */
import type { RunSnapshot } from '../core/metrics/types';

export interface HistoryRow {
  at: number;
  /** Tokens/min by model id, for the models that have a point at `at`. */
  tpm: Map<string, number>;
}

/** Rows strictly older than the snapshot itself, oldest first. */
export function historyBefore(snapshot: RunSnapshot): HistoryRow[] {
  const rows = new Map<number, Map<string, number>>();
  for (const m of snapshot.models) {
    for (const p of m.tpmSeries ?? []) {
      if (p.at >= snapshot.at) continue;
      let row = rows.get(p.at);
      if (!row) rows.set(p.at, (row = new Map<string, number>()));
      row.set(m.id, p.tpm);
    }
  }
  return [...rows.entries()].sort(([a], [b]) => a - b).map(([at, tpm]) => ({ at, tpm }));
}
