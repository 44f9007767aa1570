/**
 * Transit: how long after a strategy hands a request to the provider the service stamps its
 * arrival. On real networks that is tens of ms; here, under a scaled clock, it is the real CPU time
 * of signing, serializing and parsing multiplied by the time scale, so it says how faithful a run
 * was (a service window that starts seconds after the client's stamp costs throttles or idle time).
 */
import type { Clock } from '../../src/core/clock';
import { parseBatchPrompt } from '../../src/core/contract';
import type { ModelProvider } from '../../src/core/providers/provider';
import type { EmulatorRequestRecord } from '../../src/emulator';
import { percentile } from './stats';

export interface TransitStats {
  p50Ms: number | null;
  p95Ms: number | null;
  maxMs: number | null;
}

/** Wraps `providerFor` to note when each request is sent, keyed by what the service can see of it. */
export function transitRecorder(providerFor: (id: string) => ModelProvider, clock: Clock) {
  const sent = new Map<string, number[]>();
  const keyOf = (model: string, files: readonly string[]) => `${model}\n${files.length}\n${files[0] ?? ''}`;
  return {
    providerFor: (id: string): ModelProvider => ({
      converse(request, signal) {
        const key = keyOf(id, parseBatchPrompt(request.prompt).map((f) => f.path));
        sent.set(key, [...(sent.get(key) ?? []), clock.now()]);
        return providerFor(id).converse(request, signal);
      },
    }),
    /** Each record's arrival minus the latest send of the same request before it. */
    stats(records: readonly EmulatorRequestRecord[]): TransitStats {
      const gaps: number[] = [];
      for (const r of records) {
        const before = (sent.get(keyOf(r.model, r.files)) ?? []).filter((t) => t <= r.time);
        if (before.length > 0) gaps.push(r.time - Math.max(...before));
      }
      const round = (v: number | undefined) => (v === undefined ? null : Math.round(v));
      return { p50Ms: round(percentile(gaps, 50)), p95Ms: round(percentile(gaps, 95)), maxMs: round(gaps.length ? Math.max(...gaps) : undefined) };
    },
  };
}
