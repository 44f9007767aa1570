/** When a sliding window has room for one more call (QuotaWindow.waitFor, before probing). */
import type { Reservation } from './windowPeers';

/**
 * Emulated ms until `need` more tokens fit under `tokenLimit` and one more request under
 * `requestLimit`, as the live entries `all` (each counted `spanMs` from its `at`) leave the window,
 * oldest first; 0 when they fit now, or when only an empty window would hold them (then it is 0 as
 * soon as it is empty: a need above the limit must still run once).
 */
export function expiryWaitMs(all: readonly Reservation[], need: number, tokenLimit: number, requestLimit: number, spanMs: number, now: number): number {
  let used = all.reduce((s, e) => s + e.tokens, 0);
  let count = all.length;
  const fits = () => used + need <= tokenLimit && count + 1 <= requestLimit;
  if (fits()) return 0;
  for (const e of [...all].sort((a, b) => a.at - b.at)) {
    used -= e.tokens;
    count -= 1;
    if (fits()) return Math.max(1, e.at + spanMs - now);
  }
  return 0;
}
