/** When a sliding window has room for one more call (QuotaWindow.waitFor, before probing). */
import type { QuotaWindow } from './quotaWindow';
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

/**
 * Emulated ms until a backlog of `backlog` tokens (the entries ahead and the new one) would be
 * admitted under `limit`. When it fits one window the wait is exactly when the window's entries leave
 * (a burst's reservations expire in clusters, not evenly): right after a throttle, or near a run's
 * end, the drain estimate said "soon" for a window that frees only a minute later, and work stayed
 * there. A longer backlog drains at the limit per window.
 */
export function backlogWaitMs(window: QuotaWindow, backlog: number, limit: number, requestLimit: number): number {
  if (backlog <= limit) return window.waitFor(backlog, limit, requestLimit);
  const excess = window.usage().tokens + backlog - limit;
  return excess > 0 ? (excess / limit) * window.windowMs : 0;
}
